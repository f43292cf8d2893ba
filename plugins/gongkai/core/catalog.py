"""catalog.yml: the agency, the catalog tree, topics, reviewers and review rules.

Everything the product knows about a bureau comes from this file; code never
repeats its values.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml

from gongkai.core.problems import Problem, ProjectError, relative
from gongkai.core.schema_check import field_line, line_marks, read_yaml_with_lines
from gongkai.core.textfile import NotUtf8, read_text
from gongkai.core.yamlstrict import yaml_problem

UPDATE_PATTERN = re.compile(r"^(?:(\d+)([dwmy])|on_change)$")


@dataclass(frozen=True)
class UpdateInterval:
    """How often a column must receive a new item ('14d', '6m', '1y', 'on_change')."""

    text: str
    count: int = 0
    unit: str = ""  # d, w, m, y; "" means only when something changes

    @property
    def on_change(self) -> bool:
        return not self.unit

    def deadline_after(self, last: date) -> date | None:
        """The date by which the next item is due, or None for on_change columns."""
        if self.on_change:
            return None
        if self.unit == "d":
            return last + timedelta(days=self.count)
        if self.unit == "w":
            return last + timedelta(weeks=self.count)
        months = self.count * (12 if self.unit == "y" else 1)
        year, month = divmod(last.month - 1 + months, 12)
        year += last.year
        month += 1
        day = min(last.day, _days_in_month(year, month))
        return date(year, month, day)

    @property
    def label(self) -> str:
        if self.on_change:
            return "有变化时更新"
        names = {"d": "天", "w": "周", "m": "个月", "y": "年"}
        return f"每 {self.count} {names[self.unit]}至少更新一次"


def _days_in_month(year: int, month: int) -> int:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return (nxt - timedelta(days=1)).day


@dataclass
class Column:
    code: str
    name: str
    description: str
    proactive: bool
    requires: tuple[str, ...]
    update: UpdateInterval
    parent: "Column | None" = None
    children: list["Column"] = field(default_factory=list)

    @property
    def path(self) -> list["Column"]:
        """Ancestors from the top level down to this column."""
        chain: list[Column] = []
        node: Column | None = self
        while node is not None:
            chain.insert(0, node)
            node = node.parent
        return chain

    @property
    def required_fields(self) -> set[str]:
        """Fields this column and its ancestors require."""
        return {f for c in self.path for f in c.requires}

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Topic:
    code: str
    name: str


@dataclass(frozen=True)
class Reviewer:
    name: str
    role: str


@dataclass
class Catalog:
    path: Path
    agency: dict
    site: dict
    reviewers: dict[str, Reviewer]
    decisions: dict[str, str]  # decision text -> publish / on_request / withhold
    disclosure: list[str]
    validity: list[str]
    doc_types: list[str]
    topics: list[Topic]
    columns: list[Column]  # top level
    raw: dict = field(repr=False, default_factory=dict)
    marks: dict[tuple, int] = field(repr=False, default_factory=dict)  # the line of each field in catalog.yml

    def line_of(self, field_name: str) -> int:
        return field_line(self.marks, field_name)

    def all_columns(self) -> list[Column]:
        return [c for top in self.columns for c in top.walk()]

    def column(self, code: str) -> Column | None:
        return self._by_code.get(code)

    def topic_by_name(self, name: str) -> Topic | None:
        return next((t for t in self.topics if t.name == name), None)

    @property
    def index_prefix(self) -> str:
        return str(self.agency["index_prefix"])

    @property
    def index_pattern(self) -> re.Pattern:
        return re.compile(rf"^{re.escape(self.index_prefix)}/(\d{{4}})-(\d{{5}})$")

    @property
    def limits(self) -> dict[str, int]:
        """Size limits in bytes (catalog.yml limits, checked at load): front_matter, body, attachment."""
        raw = self.raw.get("limits") or {}
        return {name: int(raw[key]) * unit for name, (key, unit) in LIMIT_KEYS.items() if key in raw}

    @property
    def publish_decisions(self) -> list[str]:
        return [d for d, meaning in self.decisions.items() if meaning == "publish"]

    def __post_init__(self):
        self._by_code = {c.code: c for c in self.all_columns()}


DECISION_MEANINGS = {"publish", "on_request", "withhold"}
MARKUP_CHARS = re.compile(r'[<>"]')  # see _Checker.plain
REQUIRED_AGENCY = ["name", "credit_code", "index_prefix", "address", "phone", "email"]
REQUIRED_SITE = ["name", "domain", "id_code"]
LIMIT_KEYS = {"front_matter": ("front_matter_kb", 1024), "body": ("body_kb", 1024), "attachment": ("attachment_mb", 1024 * 1024)}


def load_catalog(path: Path, root: Path | None = None) -> Catalog:
    """Load and check catalog.yml; raise ProjectError listing every problem."""
    rel = relative(path, root or path.parent)
    data, node = _read_mapping(path, rel)
    check = _Checker(rel, line_marks(node))
    agency, site = data.get("agency") or {}, data.get("site") or {}
    for key in REQUIRED_AGENCY:
        check.need(bool(agency.get(key)), f"agency.{key}", "未填写", "填写机关信息")
    for key in REQUIRED_SITE:
        check.need(bool(site.get(key)), f"site.{key}", "未填写", "填写网站信息")
    check.plain(site.get("name"), "site.name")
    limits = data.get("limits")
    for key, _ in LIMIT_KEYS.values():
        value = limits.get(key) if isinstance(limits, dict) else None
        check.need(isinstance(value, int) and not isinstance(value, bool) and value > 0, f"limits.{key}", "未填写或不是正整数", "在 limits 下填写大小上限（正整数），如 front_matter_kb: 64、body_kb: 2048、attachment_mb: 50")
    reviewers = _reviewers(data, check)
    decisions = _decisions(data, check)
    topics = _topics(data, check)
    columns = _ColumnReader(check).read_all(data.get("columns") or [])
    if check.problems:
        raise ProjectError(check.problems)
    return Catalog(
        path=path,
        agency=agency,
        site=site,
        reviewers=reviewers,
        decisions=decisions,
        disclosure=[str(x) for x in data.get("disclosure") or []],
        validity=[str(x) for x in data.get("validity") or []],
        doc_types=[str(x) for x in data.get("doc_types") or []],
        topics=topics,
        columns=columns,
        raw=data,
        marks=check.marks,
    )


def _read_mapping(path: Path, rel: str) -> tuple[dict, yaml.Node]:
    try:
        text = read_text(path, rel)
    except FileNotFoundError:
        raise ProjectError([Problem(rel, "", "找不到目录文件", "在项目根目录放置 catalog.yml")])
    except NotUtf8 as exc:
        raise ProjectError([exc.problem])
    try:
        data, node = read_yaml_with_lines(text)
    except yaml.YAMLError as exc:
        raise ProjectError([yaml_problem(rel, exc, 0, text)])
    if not isinstance(data, dict):
        raise ProjectError([Problem(rel, "", "内容不是键值映射", "按 README 中的示例填写 catalog.yml", line=1)])
    return data, node


class _Checker:
    """Collects every problem of catalog.yml, so an editor sees them all at once."""

    def __init__(self, rel: str, marks: dict[tuple, int]):
        self.rel = rel
        self.marks = marks  # the line of each field (a missing one: its parent's)
        self.problems: list[Problem] = []

    def need(self, cond: bool, fld: str, msg: str, fix: str) -> bool:
        if not cond:
            self.problems.append(Problem(self.rel, fld, msg, fix, line=field_line(self.marks, fld)))
        return bool(cond)

    def plain(self, name, fld: str) -> bool:
        """Names reach the theme's navigation and header unescaped: no HTML characters."""
        return self.need(not MARKUP_CHARS.search(str(name or "")), fld, f"名称「{name}」含有 < > 或 \" 符号", "名称只写文字，不要写 HTML 符号")


def _reviewers(data: dict, check: _Checker) -> dict[str, Reviewer]:
    reviewers: dict[str, Reviewer] = {}
    for i, r in enumerate(data.get("reviewers") or []):
        if check.need(isinstance(r, dict) and r.get("name"), f"reviewers[{i + 1}].name", "缺少审查人员姓名", "每位审查人员写 name 和 role"):
            reviewers[str(r["name"])] = Reviewer(str(r["name"]), str(r.get("role", "")))
    check.need(bool(reviewers), "reviewers", "没有任何经授权的保密审查人员", "至少列出一位审查人员")
    return reviewers


def _decisions(data: dict, check: _Checker) -> dict[str, str]:
    decisions = {str(k): str(v) for k, v in ((data.get("review") or {}).get("decisions") or {}).items()}
    for d, meaning in decisions.items():
        check.need(meaning in DECISION_MEANINGS, f"review.decisions.{d}", f"含义「{meaning}」无效", "写 publish、on_request 或 withhold")
    check.need("publish" in decisions.values(), "review.decisions", "没有表示“同意公开”的审查结论", "至少一个结论的含义为 publish")
    return decisions


def _topics(data: dict, check: _Checker) -> list[Topic]:
    topics = []
    for i, t in enumerate(data.get("topics") or []):
        if check.need(isinstance(t, dict) and t.get("code") and t.get("name"), f"topics[{i + 1}]", "主题缺少 code 或 name", "写成 {code: xxx, name: 主题名称}"):
            check.plain(t["name"], f"topics[{i + 1}].name")
            topics.append(Topic(str(t["code"]), str(t["name"])))
    check.need(bool(topics), "topics", "没有主题分类", "至少列出一个主题")
    return topics


class _ColumnReader:
    """Builds the column tree; codes are unique across the whole tree."""

    def __init__(self, check: _Checker):
        self.check = check
        self.seen: set[str] = set()

    def read_all(self, nodes: list) -> list[Column]:
        columns = [c for i, n in enumerate(nodes) if (c := self.read(n, None, f"columns[{i + 1}]"))]
        self.check.need(bool(columns), "columns", "目录树为空", "至少列出一个栏目")
        return columns

    def read(self, node, parent: Column | None, where: str) -> Column | None:
        need = self.check.need
        if not need(isinstance(node, dict) and node.get("code") and node.get("name"), where, "栏目缺少 code 或 name", "每个栏目写 code、name、description"):
            return None
        code = str(node["code"])
        need(code not in self.seen, f"{where}.code", f"栏目代码「{code}」重复", "栏目代码必须唯一")
        need(re.fullmatch(r"[a-z0-9-]+", code) is not None, f"{where}.code", f"栏目代码「{code}」含有非法字符", "只用小写字母、数字和连字符")
        self.seen.add(code)
        self.check.plain(node["name"], f"{where}.name")
        column = Column(
            code=code,
            name=str(node["name"]),
            description=str(node.get("description", "")),
            proactive=bool(node.get("proactive", True)),
            requires=tuple(node.get("requires") or ()),
            update=self.update_interval(node, where),
            parent=parent,
        )
        for j, child in enumerate(node.get("children") or []):
            if built := self.read(child, column, f"{where}.children[{j + 1}]"):
                column.children.append(built)
        return column

    def update_interval(self, node: dict, where: str) -> UpdateInterval:
        text = str(node.get("update", "on_change"))
        m = UPDATE_PATTERN.match(text)
        self.check.need(m is not None, f"{where}.update", f"更新要求「{text}」无法识别", "写成 14d、2w、6m、1y 或 on_change")
        return UpdateInterval(text, int(m.group(1)), m.group(2)) if m and m.group(1) else UpdateInterval(text)
