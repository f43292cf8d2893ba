"""Checks on the catalog as the inspection sees it: empty columns and stale columns."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from gongkai.core.items import as_date
from gongkai.reports.compliance.base import CheckResult, Context, Finding

EMPTY = "empty_columns"
STALE = "stale_columns"


def column_dates(ctx: Context) -> dict[str, list[date]]:
    """Column code -> publication dates of what the public sees there (items and generated pages)."""
    dates: dict[str, list[date]] = defaultdict(list)
    for item in ctx.state.published:
        if item.published:
            dates[item.column_code].append(item.published)
    for page in getattr(ctx.plan, "pages", None) or []:
        if page.item_id:
            continue  # an item's page: its date is counted above
        code = page.meta.get("gongkai_column")
        when = as_date(page.meta.get("gongkai_date"))
        if code and when and when <= ctx.as_of:
            dates[code].append(when)
    return dates


def leaves(ctx: Context):
    return [c for c in ctx.state.catalog.all_columns() if c.proactive and not c.children]


def check_empty(ctx: Context) -> CheckResult:
    dates = column_dates(ctx)
    limit = ctx.settings.empty_columns_fail_at
    empty = [c for c in leaves(ctx) if not dates.get(c.code)]
    failed = len(empty) >= limit
    findings = [
        Finding(
            ctx.column_problem(
                c.code,
                f"主动公开栏目「{'／'.join(p.name for p in c.path)}」没有任何已发布的信息（空白栏目）",
                "发布本栏目应公开的信息；确实没有内容的栏目应从 catalog.yml 的目录中调整",
                severity="error" if failed else "warning",
            ),
            {"column": c.code},
        )
        for c in empty
    ]
    if failed:
        verdict = f"已达到检查指标的单项否决标准（{limit} 个）"
    else:
        verdict = f"距单项否决标准（{limit} 个）还差 {limit - len(empty)} 个"
    summary = f"主动公开栏目 {len(leaves(ctx))} 个，空白栏目 {len(empty)} 个，{verdict}"
    return CheckResult(EMPTY, "空白栏目", summary, findings, failed=failed)


def check_stale(ctx: Context) -> CheckResult:
    dates = column_dates(ctx)
    findings: list[Finding] = []
    scheduled = [c for c in leaves(ctx) if not c.update.on_change]
    for c in scheduled:
        if not dates.get(c.code):
            continue  # reported as an empty column
        newest = max(dates[c.code])
        due = c.update.deadline_after(newest)
        if ctx.as_of > due:
            idle = (ctx.as_of - newest).days
            findings.append(Finding(
                ctx.column_problem(
                    c.code,
                    f"栏目「{c.name}」要求{c.update.label}（{c.update.text}），最新信息发布于 {newest}，应于 {due} 前更新，已 {idle} 天未更新",
                    "发布本栏目的新信息；更新要求在 catalog.yml 的 update 中设定",
                ),
                {"column": c.code, "newest": newest.isoformat(), "due": due.isoformat(), "idle_days": idle, "update": c.update.text},
            ))
    summary = f"有定期更新要求的栏目 {len(scheduled)} 个，截至 {ctx.as_of} 超期未更新 {len(findings)} 个"
    return CheckResult(STALE, "栏目更新", summary, findings)
