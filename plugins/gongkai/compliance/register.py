"""The request register (依申请公开登记): requests/<year>.yml, one list per year of receipt.

It is kept in the repository for the statistics and the deadline checks, and
is never published: it lives outside docs_dir and nothing here renders it.
Personal data does not belong in it (the applicant is recorded by type only).

    - id: 2026-001                  # 登记编号，全部登记中唯一
      received: 2026-03-02          # 收到申请日期
      applicant: 自然人              # annual_format.yml applicants
      channel: 网上申请              # catalog.yml requests.channels
      subject: 申请获取……            # 申请内容摘要，不写个人信息
      outcome: 予以公开              # annual_format.yml outcomes（叶子行）；未办结不写
      replied: 2026-03-20           # 答复日期；未办结不写
      extension: {approved: 2026-03-25, workdays: 10}      # 延期（经批准，最长 20 个工作日）
      correction: {requested: 2026-03-04, received: 2026-03-09}  # 补正：告知日期、收到补正日期
      consultations: [{from: 2026-03-10, to: 2026-03-20, with: 第三方}]  # 征求意见期间不计
      note: 备注
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml

from gongkai.compliance.annual_format import applicants, outcome_keys
from gongkai.core.catalog import Catalog
from gongkai.core.items import as_date
from gongkai.core.problems import Problem, relative
from gongkai.compliance.workdays import WorkCalendar
from gongkai.core.yamlstrict import StrictLoader, yaml_problem

FIELDS = {
    "id": "登记编号", "received": "收到申请日期", "applicant": "申请人类型", "channel": "申请渠道",
    "subject": "申请内容摘要", "outcome": "办理结果", "replied": "答复日期", "extension": "延期答复",
    "correction": "补正", "consultations": "征求意见", "note": "备注",
}
REQUIRED = ["id", "received", "applicant", "channel", "subject"]
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
    data: dict
    lines: dict[str, int] = field(default_factory=dict)
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

    def problem(self, name: str, message: str, fix: str, severity: str = "error") -> Problem:
        field = f"[{self.index}].{name}" if name else f"[{self.index}]"
        return Problem(self.rel, field, message, fix, line=self.lines.get(name.split(".")[0], self.line), severity=severity)


@dataclass
class Register:
    requests: list[Request]
    problems: list[Problem]
    files: list[str]


def register_dir(root: Path, catalog: Catalog) -> Path:
    return root / RequestRules.from_catalog(catalog).register_dir


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
        for request in loaded:
            problems += _validate(request, int(path.stem), rules, today)
            requests.append(request)
    seen: dict[str, Request] = {}
    for request in requests:
        if request.id and request.id in seen:
            other = seen[request.id]
            problems.append(request.problem("id", f"登记编号「{request.id}」与 {other.rel} 第 {other.index} 项重复", "每件申请的登记编号必须唯一"))
        seen.setdefault(request.id, request)
    return Register(requests, problems, files)


def _load_file(path: Path, rel: str) -> tuple[list[Request], list[Problem]]:
    try:
        loader = StrictLoader(path.read_text(encoding="utf-8"))
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else []
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        return [], [yaml_problem(rel, exc, 0)]
    if data is None:
        return [], []
    if not isinstance(data, list):
        return [], [Problem(rel, "", "登记文件应当是一个列表", "每件申请以“- id: ...”开头，一件一项", line=1)]
    out = []
    for i, (entry, entry_node) in enumerate(zip(data, node.value), 1):
        request = Request(rel, i, entry if isinstance(entry, dict) else {}, line=entry_node.start_mark.line + 1)
        if isinstance(entry_node, yaml.MappingNode):
            request.lines = {str(k.value): k.start_mark.line + 1 for k, _ in entry_node.value}
        if not isinstance(entry, dict):
            request.data = {"__invalid__": True}
        out.append(request)
    return out, []


def _validate(r: Request, year: int, rules: RequestRules, today: date) -> list[Problem]:
    out: list[Problem] = []
    if r.data.get("__invalid__"):
        return [r.problem("", "这一项不是“字段: 值”的形式", "每件申请写成 - id: …、received: … 等字段")]
    for name in r.data:
        if name not in FIELDS:
            out.append(r.problem(str(name), "不认识这个字段", f"检查拼写或删除它；可用字段：{'、'.join(FIELDS)}"))
    for name in REQUIRED:
        if r.data.get(name) in (None, ""):
            out.append(Problem(r.rel, f"[{r.index}].{name}", f"缺少{FIELDS[name]}", f"填写 {name}（{FIELDS[name]}）", line=r.line))
    if "id" in r.data and not isinstance(r.data["id"], (str, int)):
        out.append(r.problem("id", "登记编号应当是文字", "写成如 2026-001"))
    for name in ("received", "replied"):
        if name in r.data and r.date(name) is None:
            out.append(r.problem(name, f"「{r.data[name]}」不是有效的日期", "写成 YYYY-MM-DD，如 2026-03-05"))
    received, replied = r.received, r.replied
    if received and received.year != year:
        out.append(r.problem("received", f"收到日期 {received} 不在 {year} 年", f"登记在以收到年份命名的文件中：{Path(r.rel).with_name(f'{received.year}.yml').as_posix()}"))
    if received and received > today:
        out.append(r.problem("received", f"收到日期 {received} 晚于今天", "核对日期"))
    if replied and received and replied < received:
        out.append(r.problem("replied", f"答复日期 {replied} 早于收到日期 {received}", "核对日期"))
    if replied and replied > today:
        out.append(r.problem("replied", f"答复日期 {replied} 晚于今天", "尚未答复的申请不写 replied 和 outcome"))
    applicant = r.data.get("applicant")
    if applicant not in (None, "") and applicant not in applicants():
        out.append(r.problem("applicant", f"「{applicant}」不是年报表三的申请人类型", f"可选：{'、'.join(applicants())}"))
    channel = r.data.get("channel")
    if channel not in (None, "") and channel not in rules.channels:
        out.append(r.problem("channel", f"「{channel}」不是 catalog.yml 中的申请渠道", f"可选：{'、'.join(rules.channels)}"))
    subject = r.data.get("subject")
    if subject not in (None, ""):
        if not isinstance(subject, str) or len(subject) > 200:
            out.append(r.problem("subject", "申请内容摘要应当是 200 字以内的文字", "用一句话概括申请公开的信息"))
        else:
            for pattern, what in PERSONAL:
                if pattern.search(subject):
                    out.append(r.problem("subject", f"摘要中含有{what}", "登记只写申请内容的摘要，不写申请人的个人信息"))
    outcome = r.data.get("outcome")
    if outcome not in (None, "") and outcome not in outcome_keys():
        out.append(r.problem("outcome", f"「{outcome}」不是年报表三的办理结果", f"可选：{'、'.join(outcome_keys())}"))
    if bool(outcome) != ("replied" in r.data):
        out.append(r.problem("outcome" if not outcome else "replied", "办理结果和答复日期要同时填写", "办结的申请写 outcome 和 replied；未办结的两项都不写"))
    out += _validate_clock_fields(r, rules)
    note = r.data.get("note")
    if note is not None and not isinstance(note, str):
        out.append(r.problem("note", "备注应当是文字", "写一句话"))
    return out


def _validate_clock_fields(r: Request, rules: RequestRules) -> list[Problem]:
    out: list[Problem] = []
    ext = r.data.get("extension")
    if ext is not None:
        days = ext.get("workdays") if isinstance(ext, dict) else None
        if not isinstance(ext, dict) or set(ext) - {"approved", "workdays"} or r.date("extension", "approved") is None:
            out.append(r.problem("extension", "延期答复的格式不对", "写成 {approved: 批准延期的日期, workdays: 延长的工作日数}"))
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= rules.extension_max:
            out.append(r.problem("extension.workdays", f"延长期限「{days}」无效", f"延长期限为 1 至 {rules.extension_max} 个工作日（条例第三十三条，只能延长一次）"))
    cor = r.data.get("correction")
    if cor is not None:
        asked = r.date("correction", "requested")
        if not isinstance(cor, dict) or set(cor) - {"requested", "received"} or asked is None:
            out.append(r.problem("correction", "补正的格式不对", "写成 {requested: 告知补正的日期, received: 收到补正材料的日期}；尚未补正的不写 received"))
        else:
            if "received" in cor and r.date("correction", "received") is None:
                out.append(r.problem("correction.received", f"「{cor['received']}」不是有效的日期", "写成 YYYY-MM-DD"))
            got = r.date("correction", "received")
            if r.received and asked < r.received:
                out.append(r.problem("correction.requested", f"告知补正日期 {asked} 早于收到申请日期 {r.received}", "核对日期"))
            if got and got < asked:
                out.append(r.problem("correction.received", f"收到补正日期 {got} 早于告知补正日期 {asked}", "核对日期"))
    cons = r.data.get("consultations")
    if cons is not None:
        ok = isinstance(cons, list) and all(isinstance(c, dict) and not set(c) - {"from", "to", "with"} and as_date(c.get("from")) and as_date(c.get("to")) and as_date(c["from"]) <= as_date(c["to"]) for c in cons)
        if not ok:
            out.append(r.problem("consultations", "征求意见期间的格式不对", "写成列表，每项 {from: 开始日期, to: 结束日期, with: 征求意见对象}，开始不晚于结束"))
    return out


@dataclass
class Clock:
    """The reply deadline of one request, under 条例第三十、三十三条."""

    start: date | None  # the day the clock (re)started: receipt, or receipt of the corrected application
    allowed: int  # working days allowed (reply limit + recorded extension)
    deadline: date | None
    used: int  # counted working days from start to the reply (or to as_of while pending)
    excluded: int  # working days spent consulting third parties (not counted)

    @property
    def over(self) -> int:
        return max(0, self.used - self.allowed)


def clock(r: Request, rules: RequestRules, cal: WorkCalendar, as_of: date) -> Clock:
    ext = r.data.get("extension")
    allowed = rules.reply_workdays + (ext["workdays"] if isinstance(ext, dict) and isinstance(ext.get("workdays"), int) else 0)
    start = r.received
    if isinstance(r.data.get("correction"), dict):
        start = r.date("correction", "received")  # the clock restarts; stopped while awaiting the correction
    if start is None:
        return Clock(None, allowed, None, 0, 0)
    paused: set[date] = set()
    for c in r.data.get("consultations") or []:
        if isinstance(c, dict) and as_date(c.get("from")) and as_date(c.get("to")):
            day = as_date(c["from"])
            while day <= as_date(c["to"]):
                paused.add(day)
                day += timedelta(days=1)
    end = r.replied if r.replied and r.replied <= as_of else as_of  # a later reply is still pending at as_of
    used = excluded = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if cal.is_workday(day):
            if day in paused:
                excluded += 1
            else:
                used += 1
    return Clock(start, allowed, _deadline(start, allowed, paused, cal), used, excluded)


def _deadline(start: date, allowed: int, paused: set[date], cal: WorkCalendar) -> date:
    day, counted = start, 0
    while counted < allowed:
        day += timedelta(days=1)
        if cal.is_workday(day) and day not in paused:
            counted += 1
    return day
