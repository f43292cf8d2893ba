"""What every compliance check shares: settings from catalog.yml, findings, results."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

import yaml

from gongkai.core.problems import Problem, relative
from gongkai.project import State
from gongkai.compliance.workdays import WorkCalendar


@dataclass(frozen=True)
class Settings:
    """catalog.yml `compliance:` (thresholds, which checks block the build)."""

    deadline_workdays: int
    due_soon_workdays: int
    empty_columns_fail_at: int
    annual_report_due: str  # "MM-DD"
    blocking: frozenset[str]

    @classmethod
    def from_catalog(cls, raw: dict) -> "Settings":
        c = raw.get("compliance") or {}
        return cls(
            deadline_workdays=int(c.get("proactive_deadline_workdays", 20)),
            due_soon_workdays=int(c.get("due_soon_workdays", 5)),
            empty_columns_fail_at=int(c.get("empty_columns_fail_at", 5)),
            annual_report_due=str(c.get("annual_report_due", "01-31")),
            blocking=frozenset(c.get("blocking") or ()),
        )


@dataclass
class Finding:
    problem: Problem
    facts: dict = field(default_factory=dict)  # machine-readable details for tools

    def to_json(self) -> dict:
        return {**self.problem.to_json(), "facts": self.facts}

    def __str__(self) -> str:
        return str(self.problem)


@dataclass
class CheckResult:
    code: str  # e.g. "deadlines"; catalog.yml compliance.blocking names these
    title: str  # Chinese name of the check
    summary: str  # one line for the report
    findings: list[Finding] = field(default_factory=list)
    failed: bool = False  # the check's own threshold was reached (e.g. 5 empty columns)
    blocking: bool = False  # set by the runner from catalog.yml

    @property
    def status(self) -> str:
        if self.failed or self.blocks_build:
            return "fail"
        return "warn" if self.findings else "ok"

    @property
    def blocks_build(self) -> bool:
        """Blocking checks stop the build on errors (warnings are reported, never block)."""
        return self.blocking and (self.failed or any(f.problem.severity == "error" for f in self.findings))

    def to_json(self) -> dict:
        return {
            "code": self.code,
            "title": self.title,
            "status": self.status,
            "blocking": self.blocking,
            "summary": self.summary,
            "findings": [f.to_json() for f in self.findings],
        }


@dataclass
class Context:
    """Everything a check may look at; as_of is the date "now" means."""

    state: State
    as_of: date
    plan: object | None = None  # pages.SitePlan, when the caller planned the site
    calendar: WorkCalendar = field(default_factory=WorkCalendar)

    @cached_property
    def settings(self) -> Settings:
        return Settings.from_catalog(self.state.catalog.raw)

    @cached_property
    def catalog_rel(self) -> str:
        return relative(self.state.catalog.path, self.state.root)

    @cached_property
    def column_lines(self) -> dict[str, int]:
        """Column code -> 1-based line of its `code:` in catalog.yml, for findings about columns."""
        lines: dict[str, int] = {}
        try:
            root = yaml.compose(Path(self.state.catalog.path).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            return lines

        def walk(node):
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if key.value == "code" and isinstance(value, yaml.ScalarNode):
                        lines.setdefault(value.value, key.start_mark.line + 1)
                    walk(value)
            elif isinstance(node, yaml.SequenceNode):
                for value in node.value:
                    walk(value)

        for key, value in (root.value if isinstance(root, yaml.MappingNode) else []):
            if key.value == "columns":
                walk(value)
        return lines

    def column_problem(self, code: str, message: str, fix: str, severity: str = "warning") -> Problem:
        return Problem(self.catalog_rel, f"columns.{code}", message, fix, line=self.column_lines.get(code), severity=severity)

    @cached_property
    def register(self):
        from gongkai.project import build_date
        from gongkai.compliance.register import load_register  # the register is only read when a check needs it

        # Dates are checked against the real build date: an earlier --as-of must not make later entries errors.
        return load_register(self.state.root, self.state.catalog, max(self.state.today, build_date()))
