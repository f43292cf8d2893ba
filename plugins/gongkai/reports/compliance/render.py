"""The compliance report as text (terminal), JSON (tools) and Markdown/HTML (people).

Written by every build to a reports directory beside the site, never into it.
"""
from __future__ import annotations

import json
from html import escape
from pathlib import Path

from gongkai.core.problems import write_text_files
from gongkai.reports.compliance import ComplianceReport

STATUS = {"ok": "通过", "warn": "有问题", "fail": "不通过"}
JSON_FILE, MD_FILE, HTML_FILE = "compliance.json", "compliance.md", "compliance.html"


def summary_lines(report: ComplianceReport) -> list[str]:
    return [f"[{STATUS[r.status]}] {r.title}（{r.code}{'，阻断构建' if r.blocking else ''}）：{r.summary}" for r in report.results]


def text(report: ComplianceReport) -> str:
    out = [f"{report.agency} 合规检查（截至 {report.as_of}）", ""]
    for r in report.results:
        out.append(f"== {r.title}（{r.code}）")
        out += [f"  {f}" for f in r.findings] or ["  无问题"]
        out.append("")
    out += ["汇总："] + [f"  {line}" for line in summary_lines(report)]
    out += [f"注：{n}" for n in report.notes]
    if report.blocking:
        out.append(f"阻断构建的检查：{'、'.join(r.title for r in report.blocking)}")
    return "\n".join(out) + "\n"


def markdown(report: ComplianceReport) -> str:
    out = [f"# {report.agency} 合规检查报告", "", f"截至 {report.as_of}。本报告不在公开网站上发布。", ""]
    out += [f"> 注：{n}" for n in report.notes] + ([""] if report.notes else [])
    out += ["## 汇总", "", "| 检查 | 结果 | 阻断构建 | 说明 |", "| --- | --- | --- | --- |"]
    out += [f"| {r.title} | {STATUS[r.status]} | {'是' if r.blocking else '否'} | {r.summary} |" for r in report.results]
    for r in report.results:
        out += ["", f"## {r.title}", "", r.summary, ""]
        for f in r.findings:
            p = f.problem
            where = f"{p.path}:{p.line}" if p.line else p.path
            out.append(f"- `{where}` {p.field + '：' if p.field else ''}{p.message} —— {p.fix}")
    return "\n".join(out) + "\n"


def html(report: ComplianceReport) -> str:
    rows = "".join(
        f'<tr class="{r.status}"><td>{escape(r.title)}</td><td>{STATUS[r.status]}</td><td>{"是" if r.blocking else "否"}</td><td>{escape(r.summary)}</td></tr>'
        for r in report.results
    )
    sections = []
    for r in report.results:
        items = "".join(
            f"<li><code>{escape(f.problem.path)}{':' + str(f.problem.line) if f.problem.line else ''}</code> "
            f"{escape(f.problem.field + '：' if f.problem.field else '')}{escape(f.problem.message)} —— <em>{escape(f.problem.fix)}</em></li>"
            for f in r.findings
        )
        sections.append(f"<h2>{escape(r.title)}</h2><p>{escape(r.summary)}</p>" + (f"<ul>{items}</ul>" if items else "<p>无问题。</p>"))
    notes = "".join(f"<p class=\"note\">注：{escape(n)}</p>" for n in report.notes)
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<title>{escape(report.agency)} 合规检查报告</title>
<style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.6}}
table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #999;padding:.3rem .5rem;text-align:left}}
td:nth-child(2),td:nth-child(3){{white-space:nowrap}}tr.fail td:nth-child(2){{color:#a00;font-weight:bold}}tr.warn td:nth-child(2){{color:#a60}}.note{{background:#fff6d5;padding:.5rem}}</style>
</head><body>
<h1>{escape(report.agency)} 合规检查报告</h1>
<p>截至 {report.as_of}。本报告不在公开网站上发布。</p>{notes}
<table><thead><tr><th>检查</th><th>结果</th><th>阻断构建</th><th>说明</th></tr></thead><tbody>{rows}</tbody></table>
{''.join(sections)}
</body></html>
"""


def write_reports(report: ComplianceReport, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        JSON_FILE: json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n",
        MD_FILE: markdown(report),
        HTML_FILE: html(report),
    }
    return write_text_files(folder, files)
