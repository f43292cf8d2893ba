"""The annual report (政府信息公开工作年度报告) in the 国办公开办函〔2021〕30号 format.

Table 二 (normative documents) is counted from items, table 三 from the request
register, and what the repository cannot know (licences, penalties, fees,
reconsideration and litigation, the prose) from annual/<year>.yml (its fields:
annual_schema.yml). Every cell
keeps the ids it counted, and the report's own arithmetic is verified.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from gongkai.compliance import annual_format as fmt
from gongkai.compliance.register import Register, Request
from gongkai.core.items import Item, as_date
from gongkai.core.problems import Problem, relative
from gongkai.core.schema_check import SchemaCheck, fill_sources, line_marks, nearest_line, read_yaml_with_lines
from gongkai.core.textfile import NotUtf8, read_text
from gongkai.core.yamlstrict import yaml_problem
from gongkai.project import State

TOTAL = "总计"
NEW, CARRIED_IN, HANDLED, CARRIED_OUT = "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "（七）总计", "四、结转下年度继续办理"
RESULTS = "三、本年度办理结果"
SCHEMA_PATH = Path(__file__).with_name("annual_schema.yml")  # the fields of annual/<year>.yml


class AnnualReportError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Table:
    title: str
    columns: list[str]  # header labels, first is the row label column
    rows: list[list]  # [label, value, value, ...]

    def csv_rows(self) -> list[list]:
        return [self.columns, *self.rows]


@dataclass
class AnnualReport:
    year: int
    agency: str
    manual_rel: str
    manual: dict
    table2: list[Table]
    table3_counts: dict[tuple[str, str], int]  # (row, column) -> count
    table4: Table
    trace: dict = field(default_factory=dict)  # "table.row.column" -> [ids]

    @property
    def title(self) -> str:
        return f"{self.agency}{self.year}年政府信息公开工作年度报告"

    @property
    def published(self) -> date | None:
        value = self.manual.get("published")
        return value if isinstance(value, date) else None

    def table3(self) -> Table:
        cols = [*fmt.applicants(), TOTAL]
        rows = []
        for label in table3_row_labels():
            if label in group_rows():
                rows.append([label] + [""] * len(cols))  # a group heading: its numbers are in the sub-rows
            else:
                rows.append([row_label(label)] + [self.table3_counts.get((label, c), 0) for c in cols])
        return Table("三、收到和处理政府信息公开申请情况", ["本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和", *cols], rows)


def leaf_rows() -> dict[str, str]:
    """Outcome key -> table 三 row id ("（三）不予公开/1.属于国家秘密" for sub-rows)."""
    out = {}
    for row in fmt.outcome_rows():
        for child in row.children or (row,):
            out[child.key] = f"{row.row}/{child.row}" if row.children else row.row
    return out


def group_rows() -> set[str]:
    return {RESULTS} | {row.row for row in fmt.outcome_rows() if row.children}


def table3_row_labels() -> list[str]:
    labels = [NEW, CARRIED_IN, RESULTS]
    for row in fmt.outcome_rows():
        labels.append(row.row)
        labels += [f"{row.row}/{c.row}" for c in row.children]
    return labels + [HANDLED, CARRIED_OUT]


def row_label(row_id: str) -> str:
    """What the table shows: a sub-row without its group prefix."""
    return row_id.split("/", 1)[-1]


def _leaf_labels() -> list[str]:
    return list(leaf_rows().values())


# -- inputs -------------------------------------------------------------------
def annual_dir(state: State) -> Path:
    return state.root / str((state.catalog.raw.get("annual_report") or {}).get("dir", "annual"))


def manual_path(root: Path, state: State, year: int) -> Path:
    return annual_dir(state) / f"{year}.yml"


def report_years(state: State) -> list[int]:
    folder = annual_dir(state)
    return sorted(int(p.stem) for p in folder.glob("*.yml") if p.stem.isdigit()) if folder.is_dir() else []


@lru_cache(maxsize=1)
def manual_schema() -> SchemaCheck:
    """annual_schema.yml with the section titles, rows and columns of annual_format.yml filled in."""
    form = fmt.raw_format()
    t4 = form["table4"]
    sources = {
        **{f"section{i}": title for i, title in enumerate(form["sections"], 1)},
        "table2_rows": [row for block in form["table2"] if block["source"] == "manual" for row in block["rows"]],
        "table4_groups": {g["key"]: g["title"] for g in t4["groups"]},
        "table4_results": t4["results"],
        "table4_cells": [*t4["results"], t4["total"]],
    }
    return SchemaCheck(fill_sources(yaml.safe_load(SCHEMA_PATH.read_text(encoding="utf-8")), sources))


def load_manual(path: Path, root: Path) -> tuple[dict, list[Problem]]:
    """annual/<year>.yml and its problems (annual_schema.yml); a quoted publication date counts as a date."""
    rel = relative(path, root)
    if not path.is_file():
        return {}, [Problem(rel, "", "找不到年度报告的手工数据文件", "复制上一年度的文件并填写本年度的数字和文字")]
    try:
        text = read_text(path, rel)
        data, node = read_yaml_with_lines(text)
    except NotUtf8 as exc:
        return {}, [exc.problem]
    except yaml.YAMLError as exc:
        return {}, [yaml_problem(rel, exc, 0, text)]
    marks = line_marks(node) if node is not None else {(): 1}
    problems = manual_schema().problems(data or {}, rel, lambda p: nearest_line(marks, p))
    if not isinstance(data, dict):
        return {}, problems
    if as_date(data.get("published")):
        data["published"] = as_date(data["published"])
    return data, problems


# -- computing ------------------------------------------------------------------
def _normative(state: State) -> dict[str, list[Item]]:
    rules = (state.catalog.raw.get("annual_report") or {}).get("normative") or {}
    out = {}
    for name, rule in rules.items():
        cols, types = set((rule or {}).get("columns") or []), set((rule or {}).get("doc_types") or [])
        out[name] = [i for i in state.published if i.column_code in cols and (not types or i.meta.get("doc_type") in types)]
    return out


def _table2(state: State, year: int, manual: dict, trace: dict, manual_source: str) -> list[Table]:
    by_id = {i.id: i for i in state.published}
    listed = set(manual.get("repealed") or [])
    tables = []
    groups = _normative(state)
    for block in fmt.raw_format()["table2"]:
        rows = []
        for name in block["rows"]:
            if block["source"] == "manual":
                rows.append([name, (manual.get("table2") or {}).get(name, 0)])
                trace[f"表二.{name}.{block['columns'][1]}"] = f"{manual_source}: table2.{name}"
                continue
            counted = _count_normative(groups.get(name, []), year, by_id, listed)
            for col, found in zip(block["columns"][1:], counted):
                trace[f"表二.{name}.{col}"] = sorted(i.id for i in found)
            rows.append([name, *map(len, counted)])
        tables.append(Table(block["title"], list(block["columns"]), rows))
    return tables


def _count_normative(docs: list[Item], year: int, by_id: dict[str, Item], listed: set[str]) -> tuple[list[Item], list[Item], list[Item]]:
    """(made this year, repealed this year, in force at its end): a document is repealed when its successor is made."""
    end = date(year, 12, 31)

    def repealed_on(i: Item) -> date | None:
        successor = by_id.get(str(i.meta.get("replaced_by", "")))
        return successor.created if successor else None

    made = [i for i in docs if i.created and i.created.year == year]
    repealed = [i for i in docs if i.meta.get("validity") != "有效" and ((d := repealed_on(i)) and d.year == year or i.id in listed)]
    in_force = [i for i in docs if i.created and i.created <= end and (i.meta.get("validity") == "有效" or ((d := repealed_on(i)) and d > end))]
    return made, repealed, in_force


def count_table3(requests: list[Request], year: int, trace: dict) -> dict[tuple[str, str], int]:
    start, end = date(year - 1, 12, 31), date(year, 12, 31)
    leaves = leaf_rows()
    cells: dict[tuple[str, str], list[str]] = {}

    def add(row: str, r: Request):
        for col in (r.applicant, TOTAL):
            cells.setdefault((row, col), []).append(r.id)

    for r in requests:
        if r.received is None:
            continue
        if r.received.year == year:
            add(NEW, r)
        if r.pending_at(start):
            add(CARRIED_IN, r)
        if r.replied and r.replied.year == year and r.received <= end:
            add(HANDLED, r)
            if r.outcome in leaves:
                add(leaves[r.outcome], r)
        if r.pending_at(end):
            add(CARRIED_OUT, r)
    for (row, col), ids in cells.items():
        trace[f"表三.{row}.{col}"] = sorted(ids)
    return {k: len(v) for k, v in cells.items()}


def _table4(manual: dict, trace: dict, manual_source: str) -> Table:
    t4 = fmt.raw_format()["table4"]
    rows = []
    for group in t4["groups"]:
        cells = (manual.get("table4") or {}).get(group["key"]) or {}
        values = [cells.get(c, 0) for c in t4["results"]]
        for c in [*t4["results"], t4["total"]]:
            trace[f"表四.{group['title']}.{c}"] = f"{manual_source}: table4.{group['key']}" + ("" if c in cells or c != t4["total"] else "（合计由系统计算）")
        rows.append([group["title"], *values, cells.get(t4["total"], sum(v for v in values if isinstance(v, int)))])
    return Table("四、政府信息公开行政复议、行政诉讼情况", ["类别", *t4["results"], t4["total"]], rows)


def build_report(state: State, register: Register, year: int) -> AnnualReport:
    """Compute the report for year; raise AnnualReportError when inputs or arithmetic are wrong."""
    path = manual_path(state.root, state, year)
    manual, problems = load_manual(path, state.root)
    problems += [p for p in register.problems if p.severity == "error"]
    if problems:
        raise AnnualReportError(problems)
    trace: dict = {}
    report = AnnualReport(
        year=year,
        agency=str(state.catalog.agency["name"]),
        manual_rel=relative(path, state.root),
        manual=manual,
        table2=_table2(state, year, manual, trace, relative(path, state.root)),
        table3_counts=count_table3(register.requests, year, trace),
        table4=_table4(manual, trace, relative(path, state.root)),
        trace=trace,
    )
    errors = verify(report)
    if errors:
        raise AnnualReportError(errors)
    return report


def verify(report: AnnualReport) -> list[Problem]:
    """The report's own arithmetic (表三 per column; totals equal the sum of their parts)."""
    out: list[Problem] = []
    where = f"{report.year} 年度报告"
    n = report.table3_counts
    cols = [*fmt.applicants(), TOTAL]
    for col in cols:
        get = lambda row: n.get((row, col), 0)  # noqa: E731
        left, right = get(NEW) + get(CARRIED_IN), get(HANDLED) + get(CARRIED_OUT)
        if left != right:
            out.append(Problem(where, f"表三.{col}", f"本年新收 {get(NEW)} + 上年结转 {get(CARRIED_IN)} = {left}，不等于办理结果总计 {get(HANDLED)} + 结转下年度 {get(CARRIED_OUT)} = {right}", "核对依申请公开登记：每件申请应有收到日期，办结的应有答复日期和办理结果"))
        leaves = sum(get(r) for r in _leaf_labels())
        if leaves != get(HANDLED):
            out.append(Problem(where, f"表三.{col}", f"各项办理结果之和 {leaves} 不等于办理结果总计 {get(HANDLED)}", "每件已答复的申请应有且只有一个办理结果（outcome）"))
    for row in {r for r, _ in n}:
        parts = sum(n.get((row, c), 0) for c in fmt.applicants())
        if parts != n.get((row, TOTAL), 0):
            out.append(Problem(where, f"表三.{row}", f"各类申请人之和 {parts} 不等于总计 {n.get((row, TOTAL), 0)}", "每件申请的申请人类型（applicant）应为表三的列之一"))
    for row in report.table4.rows:
        values, total = row[1:-1], row[-1]
        if sum(values) != total:
            out.append(Problem(report.manual_rel, f"table4.{row[0]}", f"各项结果之和 {sum(values)} 不等于总计 {total}", "改正总计，或删去总计让系统计算"))
    return out
