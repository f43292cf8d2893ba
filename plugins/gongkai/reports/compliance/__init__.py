"""Statutory compliance, computed from the data on every build.

    report = run_checks(state)            # every check, with a summary line each
    report.blocking                       # the checks catalog.yml marks as blocking that found problems

Checks: deadlines, empty_columns, stale_columns, replaced_by, interpretations,
broken_links, request_register, request_deadlines, annual_report.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from gongkai.project import State
from gongkai.site.pages import plan_site
from gongkai.reports.compliance import annual, columns, deadlines, links, relations, requests
from gongkai.reports.compliance.base import CheckResult, Context, Finding, Settings

__all__ = ["CheckResult", "ComplianceReport", "Context", "Finding", "Settings", "run_checks", "CHECKS"]

CHECKS = [
    deadlines.check,
    columns.check_empty,
    columns.check_stale,
    relations.check_replaced,
    relations.check_interpretations,
    links.check,
    requests.check_register,
    requests.check_replies,
    annual.check,
]


@dataclass
class ComplianceReport:
    as_of: date
    agency: str
    results: list[CheckResult]
    notes: list[str] = field(default_factory=list)

    @property
    def blocking(self) -> list[CheckResult]:
        return [r for r in self.results if r.blocks_build]

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]

    def result(self, code: str) -> CheckResult:
        return next(r for r in self.results if r.code == code)

    def to_json(self) -> dict:
        return {
            "agency": self.agency,
            "as_of": self.as_of.isoformat(),
            "ok": not self.blocking,
            "blocking": [r.code for r in self.blocking],
            "notes": self.notes,
            "checks": [r.to_json() for r in self.results],
        }


def run_checks(state: State, as_of: date | None = None, plan=None) -> ComplianceReport:
    if plan is None:
        plan = plan_site(state)
    ctx = Context(state, as_of or state.today, plan)
    results = []
    for check in CHECKS:
        result = check(ctx)
        result.blocking = result.code in ctx.settings.blocking
        results.append(result)
    notes = [n for n in [ctx.calendar.fallback_note] if n]
    return ComplianceReport(ctx.as_of, str(state.catalog.agency["name"]), results, notes)
