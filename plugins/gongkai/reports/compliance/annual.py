"""Check: every annual report computes and balances, and last year's was published on time (条例第四十九条)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from gongkai.compliance.annual import AnnualReportError, build_report, load_manual, manual_path, report_years
from gongkai.core.problems import Problem, relative
from gongkai.reports.compliance.base import CheckResult, Context, Finding

CODE = "annual_report"


def check(ctx: Context) -> CheckResult:
    state = ctx.state
    findings: list[Finding] = []
    years = report_years(state)
    for year in years:
        try:
            build_report(state, ctx.register, year)
        except AnnualReportError as exc:
            # A draft (no publication date yet) is reported but does not stop the site from being built.
            draft = not isinstance(load_manual(manual_path(state.root, state, year), state.root)[0].get("published"), date)
            findings += [
                Finding(replace(p, severity="warning") if draft else p, {"year": year, "draft": draft})
                for p in exc.problems
                if not p.path.startswith(tuple(ctx.register.files))  # the register check reports those
            ]
    last = ctx.as_of.year - 1
    month, day = (int(x) for x in ctx.settings.annual_report_due.split("-"))
    due = date(ctx.as_of.year, month, day)
    if ctx.as_of > due:
        path = manual_path(state.root, state, last)
        published = None
        if last in years:
            published = load_manual(path, state.root)[0].get("published")
        if not isinstance(published, date) or published > due:
            when = f"于 {published} 发布" if isinstance(published, date) else "尚未发布"
            findings.append(Finding(
                Problem(relative(path, state.root), "published", f"{last} 年度政府信息公开工作年度报告{when}，应在 {due} 前发布", f"填写 {relative(path, state.root)} 并写明 published 发布日期（条例第四十九条）", severity="warning"),
                {"year": last, "kind": "late_report", "due": due.isoformat()},
            ))
    summary = f"年度报告 {len(years)} 份（{'、'.join(map(str, years)) or '无'}），问题 {len(findings)} 处"
    return CheckResult(CODE, "政府信息公开工作年度报告", summary, findings)
