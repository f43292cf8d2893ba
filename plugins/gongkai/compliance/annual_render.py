"""Rendering the annual report: one Markdown/HTML body (site page and file), CSV per table, trace JSON."""
from __future__ import annotations

import csv
import io
import json
from html import escape
from pathlib import Path

from gongkai.compliance import annual_format as fmt
from gongkai.compliance.annual import AnnualReport, Table
from gongkai.core.problems import write_text_files


def _th(text: str, scope: str = "col", colspan: int = 1, rowspan: int = 1) -> str:
    span = (f' colspan="{colspan}"' if colspan > 1 else "") + (f' rowspan="{rowspan}"' if rowspan > 1 else "")
    return f'<th scope="{scope}"{span}>{escape(str(text))}</th>'


def table3_head(columns: list) -> str:
    """Table 三's grouped header as the 2021 format draws it: 申请人情况 over 自然人, 法人或其他组织
    (over its five kinds) and 总计."""
    groups: dict[str, list[str]] = {}
    for a in fmt.raw_format()["applicants"]:
        groups.setdefault(a["group"], []).append(a["key"])
    first = _th(columns[0], rowspan=3) + _th("申请人情况", "colgroup", colspan=len(columns) - 1)
    second, third = "", ""
    for group, keys in groups.items():
        if keys == [group]:
            second += _th(group, rowspan=2)
        else:
            second += _th(group, "colgroup", colspan=len(keys))
            third += "".join(_th(k) for k in keys)
    second += _th(columns[-1], rowspan=2)
    return f"<tr>{first}</tr><tr>{second}</tr><tr>{third}</tr>"


def table_html(table: Table, caption: str, head_rows: str = "") -> str:
    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in table.columns)
    body = "".join(
        "<tr>" + f'<th scope="row">{escape(str(r[0]))}</th>' + "".join(f"<td>{escape(str(v))}</td>" for v in r[1:]) + "</tr>"
        for r in table.rows
    )
    head = head_rows or f"<tr>{head}</tr>"
    # The wrapper scrolls sideways on a phone: reachable and named for keyboard and screen-reader users.
    return f'<div class="gk-annual-wrap" tabindex="0" role="region" aria-label="{escape(caption)}（表格，可左右滚动）"><table class="gk-annual">\n<caption>{escape(caption)}</caption>\n<thead>{head}</thead>\n<tbody>{body}</tbody>\n</table></div>'


def _paragraphs(text: str) -> str:
    return "\n\n".join(escape(p.strip()) for p in str(text or "").split("\n\n") if p.strip())


def body(report: AnnualReport) -> str:
    """The report as Markdown with HTML tables, sections 一 to 六."""
    s = fmt.raw_format()["sections"]
    m = report.manual
    t3 = report.table3()
    parts = [
        f"# {escape(report.title)}",
        "",
        f"本报告根据《中华人民共和国政府信息公开条例》第五十条和国办公开办函〔2021〕30号规定的格式编制，"
        f"统计期限为 {report.year} 年 1 月 1 日至 12 月 31 日。",
        "",
        f"## {s[0]}",
        "",
        _paragraphs(m.get("overview")),
        "",
        f"## {s[1]}",
        "",
        _paragraphs(m.get("proactive")),
        "",
        *[table_html(t, t.title) + "\n" for t in report.table2],
        f"## {s[2]}",
        "",
        table_html(t3, "收到和处理政府信息公开申请情况（单位：件）", table3_head(t3.columns)),
        "",
        f"## {s[3]}",
        "",
        table_html(report.table4, "政府信息公开行政复议、行政诉讼情况（单位：件）"),
        "",
        f"## {s[4]}",
        "",
        _paragraphs(m.get("problems")),
        "",
        f"## {s[5]}",
        "",
        _paragraphs(m.get("other")),
        "",
    ]
    return "\n".join(parts)


def html_document(report: AnnualReport) -> str:
    import markdown as md  # MkDocs' own dependency; the core only uses it to write the office's file

    content = md.markdown(body(report), extensions=["tables"])
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(report.title)}</title>
<style>body{{font-family:serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.8}}
table{{border-collapse:collapse;width:100%;margin:1rem 0}}th,td{{border:1px solid #333;padding:.25rem .5rem}}
caption{{font-weight:bold}}td{{text-align:center}}</style></head>
<body>
{content}
</body></html>
"""


def csv_text(table: Table) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(table.csv_rows())
    return "\ufeff" + buf.getvalue()  # BOM: Excel on Windows opens UTF-8 CSV correctly


def write_files(report: AnnualReport, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{report.year}年度报告"
    files: dict[str, str] = {
        f"{stem}.md": body(report),
        f"{stem}.html": html_document(report),
        f"{stem}-表三-申请情况.csv": csv_text(report.table3()),
        f"{stem}-表四-复议诉讼.csv": csv_text(report.table4),
        f"{stem}-数据来源.json": json.dumps(
            {"year": report.year, "manual": report.manual_rel, "cells": report.trace}, ensure_ascii=False, indent=2
        ) + "\n",
    }
    long = [[t.title, r[0], col, v] for t in report.table2 for r in t.rows for col, v in zip(t.columns[1:], r[1:])]
    table2 = Table("二", ["项目", "信息内容", "指标", "数值"], long)
    files[f"{stem}-表二-主动公开.csv"] = csv_text(table2)
    return write_text_files(out, files)
