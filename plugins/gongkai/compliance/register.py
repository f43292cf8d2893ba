"""The request register (依申请公开登记): requests/<year>.yml, one list per year of receipt.

It is kept in the repository for the statistics and the deadline checks, and
is never published: it lives outside docs_dir and nothing here renders it.
Personal data does not belong in it (the applicant is recorded by type only).

The fields of an entry, their Chinese names and fixes are register_schema.yml
(JSON Schema data); what a schema cannot say is the *_rule functions below.
The reply deadline of each request is reply_clock.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from gongkai.compliance.annual_format import applicants, outcome_keys
from gongkai.core.catalog import Catalog
from gongkai.core.items import as_date
from gongkai.core.problems import Problem, relative
from gongkai.core.schema_check import SchemaCheck, fill_sources, joined, line_marks, nearest_line, read_yaml_with_lines
from gongkai.core.textfile import NotUtf8, read_text
from gongkai.core.yamlstrict import yaml_problem

SCHEMA_PATH = Path(__file__).with_name("register_schema.yml")
# Personal data that must not be copied into the register's summaries.
PERSONAL = [
    (re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)"), "身份证号码"),
    (re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"), "手机号码"),
]


@dataclass(frozen=True)
class RequestRules:
    """catalog.yml `requests:`."""

    register_dir: str
    reply_workdays: int
    extension_max: int
    correction_notice: int
    channels: tuple[str, ...]

    @classmethod
    def from_catalog(cls, catalog: Catalog) -> "RequestRules":
        r = catalog.raw.get("requests") or {}
        return cls(
            register_dir=str(r.get("register_dir", "requests")),
            reply_workdays=int(r.get("reply_workdays", 20)),
            extension_max=int(r.get("extension_max_workdays", 20)),
            correction_notice=int(r.get("correction_notice_workdays", 7)),
            channels=tuple(str(c["name"]) for c in r.get("channels") or [] if isinstance(c, dict) and c.get("name")),
        )


@dataclass
class Request:
    rel: str  # register file, relative to the project root
    index: int  # 1-based position in the file's list
    data: dict  # the entry ({} when it is not a mapping)
    marks: dict[tuple, int] = field(default_factory=dict)  # line of each field, by path (core.schema_check.line_marks)
    line: int | None = None  # line of the entry's first field

    @property
    def id(self) -> str:
        return str(self.data.get("id", ""))

    def date(self, name: str, sub: str | None = None) -> date | None:
        value = self.data.get(name)
        if sub is not None:
            value = value.get(sub) if isinstance(value, dict) else None
        return as_date(value)  # bare or quoted ISO dates, as for items

    @property
    def received(self) -> date | None:
        return self.date("received")

    @property
    def replied(self) -> date | None:
        return self.date("replied")

    @property
    def applicant(self) -> str:
        return str(self.data.get("applicant", ""))

    @property
    def outcome(self) -> str | None:
        value = self.data.get("outcome")
        return str(value) if value else None

    def pending_at(self, day: date) -> bool:
        """Received on or before day and not yet answered at the end of it."""
        return self.received is not None and self.received <= day and (self.replied is None or self.replied > day)

    def line_of(self, path: tuple) -> int | None:
        return nearest_line(self.marks, path) or self.line

    def problem(self, name: str, message: str, fix: str, severity: str = "error") -> Problem:
        """A problem with field name ("extension.workdays"; "" for the whole entry) of this entry."""
        field = f"[{self.index}].{name}" if name else f"[{self.index}]"
        path = tuple(int(p) - 1 if p.isdigit() else p for p in re.split(r"[.\[\]]+", name) if p)
        return Problem(self.rel, field, message, fix, line=self.line_of(path), severity=severity)


@dataclass
class Register:
    requests: list[Request]
    problems: list[Problem]
    files: list[str]


def register_dir(root: Path, catalog: Catalog) -> Path:
    return root / RequestRules.from_catalog(catalog).register_dir


@lru_cache(maxsize=1)
def raw_schema() -> dict:
    return yaml.safe_load(SCHEMA_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=4)
def entry_schema(rules: RequestRules) -> SchemaCheck:
    """register_schema.yml with the value lists of annual_format.yml and catalog.yml filled in."""
    sources = {"applicants": applicants(), "outcomes": outcome_keys(), "channels": list(rules.channels), "extension_max": rules.extension_max}
    return SchemaCheck(fill_sources(raw_schema(), sources), joined(sources))


def load_register(root: Path, catalog: Catalog, today: date, content_dir: Path | None = None) -> Register:
    rules = RequestRules.from_catalog(catalog)
    folder = root / rules.register_dir
    problems: list[Problem] = []
    requests: list[Request] = []
    files: list[str] = []
    content = (content_dir or root / "content").resolve()
    if folder.exists() and (folder.resolve() == content or content in folder.resolve().parents):
        problems.append(Problem(relative(catalog.path, root), "requests.register_dir", "依申请公开登记放在了网站内容目录中", "登记含有申请信息，不得公开：把 register_dir 设为 content/ 以外的目录（如 requests）"))
        return Register([], problems, [])
    for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
        rel = relative(path, root)
        files.append(rel)
        if not re.fullmatch(r"\d{4}", path.stem):
            problems.append(Problem(rel, "", "登记文件名不是年份", "每年一个文件，以收到申请的年份命名，如 requests/2026.yml"))
            continue
        loaded, file_problems = _load_file(path, rel)
        problems += file_problems
        for request, entry in loaded:
            problems += check_request(request, entry, int(path.stem), rules, today)
            requests.append(request)
    problems += unique_id_rule(requests)
    return Register(requests, problems, files)


def _load_file(path: Path, rel: str) -> tuple[list[tuple[Request, object]], list[Problem]]:
    """(request, the entry as written) for each entry of one register file."""
    try:
        text = read_text(path, rel)
        data, node = read_yaml_with_lines(text)
    except NotUtf8 as exc:
        return [], [exc.problem]
    except yaml.YAMLError as exc:
        return [], [yaml_problem(rel, exc, 0, text)]
    if data is None:
        return [], []
    if not isinstance(data, list):
        return [], [Problem(rel, "", "登记文件应当是一个列表", "每件申请以“- id: ...”开头，一件一项", line=1)]
    out = []
    for i, (entry, entry_node) in enumerate(zip(data, node.value), 1):
        marks = line_marks(entry_node)
        out.append((Request(rel, i, entry if isinstance(entry, dict) else {}, marks, line=marks[()]), entry))
    return out, []


# -- rules JSON Schema cannot say ------------------------------------------------------
def check_request(r: Request, entry, year: int, rules: RequestRules, today: date) -> list[Problem]:
    """The entry's structure (register_schema.yml), then the rules on its dates and text."""
    found = entry_schema(rules).problems(entry, r.rel, r.line_of, prefix=f"[{r.index}]")
    if not isinstance(entry, dict):
        return found
    return [
        *found,
        *received_year_rule(r, year),
        *date_order_rules(r, today),
        *correction_dates_rule(r),
        *consultation_order_rule(r),
        *personal_data_rule(r),
    ]


def received_year_rule(r: Request, year: int) -> list[Problem]:
    """Each year's file holds the requests received that year (the annual report counts by it)."""
    if r.received is None or r.received.year == year:
        return []
    right_file = Path(r.rel).with_name(f"{r.received.year}.yml").as_posix()
    return [r.problem("received", f"收到日期 {r.received} 不在 {year} 年", f"登记在以收到年份命名的文件中：{right_file}")]


def date_order_rules(r: Request, today: date) -> list[Problem]:
    """Received, then replied, and neither after today."""
    out: list[Problem] = []
    received, replied = r.received, r.replied
    if received and received > today:
        out.append(r.problem("received", f"收到日期 {received} 晚于今天", "核对日期"))
    if replied and received and replied < received:
        out.append(r.problem("replied", f"答复日期 {replied} 早于收到日期 {received}", "核对日期"))
    if replied and replied > today:
        out.append(r.problem("replied", f"答复日期 {replied} 晚于今天", "尚未答复的申请不写 replied 和 outcome"))
    return out


def correction_dates_rule(r: Request) -> list[Problem]:
    """补正 is asked after receipt, and the corrected application comes after the request for it."""
    asked, got = r.date("correction", "requested"), r.date("correction", "received")
    out: list[Problem] = []
    if asked and r.received and asked < r.received:
        out.append(r.problem("correction.requested", f"告知补正日期 {asked} 早于收到申请日期 {r.received}", "核对日期"))
    if asked and got and got < asked:
        out.append(r.problem("correction.received", f"收到补正日期 {got} 早于告知补正日期 {asked}", "核对日期"))
    return out


def consultation_order_rule(r: Request) -> list[Problem]:
    """Each consultation period starts no later than it ends (it is left out of the reply clock)."""
    out: list[Problem] = []
    periods = r.data.get("consultations")
    for i, period in enumerate(periods if isinstance(periods, list) else [], 1):
        start, end = (as_date(period.get(k)) if isinstance(period, dict) else None for k in ("from", "to"))
        if start and end and start > end:
            out.append(r.problem(f"consultations[{i}]", f"征求意见期间的开始日期 {start} 晚于结束日期 {end}", "核对日期：开始不晚于结束"))
    return out


def personal_data_rule(r: Request) -> list[Problem]:
    """The register records what was asked for, never who asked."""
    subject = r.data.get("subject")
    if not isinstance(subject, str):
        return []
    return [r.problem("subject", f"摘要中含有{what}", "登记只写申请内容的摘要，不写申请人的个人信息") for pattern, what in PERSONAL if pattern.search(subject)]


def unique_id_rule(requests: list[Request]) -> list[Problem]:
    """登记编号 are unique across all the years' files."""
    out: list[Problem] = []
    seen: dict[str, Request] = {}
    for request in requests:
        if request.id and request.id in seen:
            other = seen[request.id]
            out.append(request.problem("id", f"登记编号「{request.id}」与 {other.rel} 第 {other.index} 项重复", "每件申请的登记编号必须唯一"))
        seen.setdefault(request.id, request)
    return out
