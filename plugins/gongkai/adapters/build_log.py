"""What the build tells the person running it: the gate's decisions and the compliance summary.

Errors are logged at ERROR so MkDocs' strict mode (and `gongkai build`) stops on them.
"""
from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError

from gongkai.project import State
from gongkai.reports.compliance.render import check_and_write, summary_lines
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


def check_compliance(state: State, plan: SitePlan, folder: Path, strict: bool) -> None:
    """Write reports/compliance.*, log one line per check; blocking errors stop a strict build."""
    report = check_and_write(state, plan, folder)
    for line in summary_lines(report):
        log.info(f"合规检查 {line}")
    log.info(f"合规检查报告：{folder / 'compliance.html'}")
    if not report.blocking:
        return
    for result in report.blocking:
        for finding in result.findings:
            if finding.problem.severity == "error":
                log.error(str(finding))
    if strict:
        names = "、".join(r.title for r in report.blocking)
        raise PluginError(f"合规检查未通过（{names}），已停止构建；详见 {folder / 'compliance.html'}")
