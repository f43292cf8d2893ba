"""What the build tells the person running it: the gate's decisions and the compliance summary.

Errors are logged at ERROR so MkDocs' strict mode (and `gongkai build`) stops on them.
"""
from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError

from gongkai.project import State
from gongkai.reports.compliance import ComplianceReport, run_checks
from gongkai.reports.compliance.render import summary_lines, write_reports
from gongkai.site.plan import SitePlan

log = logging.getLogger("mkdocs.plugins.gongkai")


def log_state(state: State, strict: bool) -> None:
    for problem in state.errors:
        log.error(str(problem))
    for notice in state.notices:
        log.info(notice)  # not a warning: strict mode would fail every tarball build
    if state.roster:
        log.info(f"签名核对：{state.roster.summary}")
    for decision in state.withheld:
        log.info(f"未发布 {decision.item.rel}：{decision.reason_text}")
    log.info(f"共 {len(state.items)} 个条目：发布 {len(state.published)} 个，未发布 {len(state.withheld)} 个")
    if state.errors and strict:
        raise PluginError(f"条目元数据有 {len(state.errors)} 处错误（见上），已停止构建；修正后再构建")


def check_compliance(state: State, plan: SitePlan, folder: Path, strict: bool, write: bool = True) -> ComplianceReport:
    """Check, log one line per check, write reports/compliance.* (a build: not yet, see
    write_compliance); blocking errors stop a strict build."""
    report = run_checks(state, plan=plan)
    if write:
        write_compliance(report, folder)
    return log_compliance(report, strict)


def log_compliance(report: ComplianceReport, strict: bool) -> ComplianceReport:
    for line in summary_lines(report):
        log.info(f"合规检查 {line}")
    if not report.blocking:
        return report
    for result in report.blocking:
        for finding in result.findings:
            if finding.problem.severity == "error":
                log.error(str(finding))
    if strict:
        names = "、".join(r.title for r in report.blocking)
        raise PluginError(f"合规检查未通过（{names}），已停止构建；问题见上，完整报告可运行 gongkai report 查看")
    return report


def write_compliance(report: ComplianceReport, folder: Path) -> None:
    write_reports(report, folder)
    log.info(f"合规检查报告：{folder / 'compliance.html'}")
