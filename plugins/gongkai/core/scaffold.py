"""Editing items for people: scaffold a new item, rewrite the sign-off block (review/signing/sign.py signs).

Both edit the file as text so that an editor's comments and layout survive.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from gongkai.core.catalog import Catalog
from gongkai.core.items import discover, parse_item
from gongkai.core.schema import label


class ScaffoldError(Exception):
    """A refusal with a message for the person at the keyboard."""


def next_index_number(catalog: Catalog, content_dir: Path, root: Path, year: int) -> str:
    highest = 0
    for path in discover(content_dir):
        match = catalog.index_pattern.match(str(parse_item(path, root).meta.get("id", "")))
        if match and int(match.group(1)) == year:
            highest = max(highest, int(match.group(2)))
    for number in _annual_report_ids(catalog, root, year):  # annual reports carry a 索引号 too (annual/<year>.yml)
        highest = max(highest, number)
    return f"{catalog.index_prefix}/{year}-{highest + 1:05d}"


def _annual_report_ids(catalog: Catalog, root: Path, year: int) -> list[int]:
    folder = root / str((catalog.raw.get("annual_report") or {}).get("dir") or "annual")
    found = []
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            match = re.match(r"id:\s*['\"]?(\S+?)['\"]?(\s+#.*)?$", line)
            index = catalog.index_pattern.match(match.group(1)) if match else None
            if index and int(index.group(1)) == year:
                found.append(int(index.group(2)))
    return found


def new_item(catalog: Catalog, root: Path, content_dir: Path, column_code: str, title: str, today: date) -> Path:
    column = catalog.column(column_code)
    if column is None:
        codes = "、".join(f"{c.code}（{c.name}）" for c in catalog.all_columns() if not c.children)
        raise ScaffoldError(f"没有代码为「{column_code}」的栏目。可用栏目：{codes}")
    if column.children:
        codes = "、".join(f"{c.code}（{c.name}）" for c in column.children)
        raise ScaffoldError(f"栏目「{column.name}」有下级栏目，请选择其中之一：{codes}")
    if not title.strip():
        raise ScaffoldError("标题不能为空")
    index_number = next_index_number(catalog, content_dir, root, today.year)
    folder = content_dir.joinpath(*[c.code for c in column.path])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{index_number.rsplit('/', 1)[1]}.md"
    topics = "、".join(t.name for t in catalog.topics)
    required = column.required_fields
    optional = lambda field: "" if field in required else "# "  # noqa: E731
    text = f"""---
id: {index_number}  # {label('id')}：自动生成，发布后不得修改
title: {_yaml_str(title)}
catalog: {column.code}  # {column.name}
topics: []  # {label('topics')}，至少一个，可选：{topics}
{optional('doc_no')}doc_no: ""  # {label('doc_no')}，如 {catalog.agency.get('doc_no_prefix', '')}发〔{today.year}〕1号
{optional('interprets')}interprets: ""  # {label('interprets')}的索引号（政策解读必填）
# doc_type: 通知  # {label('doc_type')}，可选：{'、'.join(catalog.doc_types)}
# publisher: {catalog.agency['name']}  # {label('publisher')}，不写即本机关
created: {today.isoformat()}  # {label('created')}：信息形成或变更的日期
published: {today.isoformat()}  # {label('published')}
disclosure: 主动公开  # {label('disclosure')}：{' / '.join(catalog.disclosure)}
validity: 有效  # {label('validity')}：{' / '.join(catalog.validity)}
summary: ""  # {label('summary')}：一两句话，200 字以内
# author: 撰稿人姓名
# attachments:  # 附件放在本文件所在文件夹
#   - {{file: 附件1.pdf, title: 附件名称}}
---

在这里写正文（Markdown 格式）。
"""
    path.write_text(text, encoding="utf-8")
    return path


def _yaml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


_TOP_KEY = re.compile(r"^[^\s#-][^:]*:")


def replace_review_block(text: str, block: str) -> str:
    """Return text with the front matter's `review:` block replaced by (or extended with) block."""
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        raise ScaffoldError("文件没有元数据（front matter）")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise ScaffoldError("元数据没有结束标记 ---") from None
    front = lines[1:end]
    kept: list[str] = []
    skipping = False
    for line in front:
        if re.match(r"^review\s*:", line):
            skipping = True
            continue
        if skipping and (_TOP_KEY.match(line) or line.startswith("#")):
            skipping = False
        if not skipping:
            kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join([lines[0], *kept, *block.rstrip("\n").split("\n"), *lines[end:]])
