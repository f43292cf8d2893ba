"""Schema rules: every problem with every item, in plain Chinese, all at once.

Structure comes from item_schema.yml (JSON Schema data, worded in Chinese by
schema_check.SchemaCheck, with a compiled fast path for valid items); the rules
that involve the catalog, other items or files on disk are below.
"""
from __future__ import annotations

import os
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import yaml

from gongkai.core.catalog import Catalog
from gongkai.core.items import Item, as_date
from gongkai.core.problems import Problem, resolve_folder, resolve_in
from gongkai.core.schema_check import SchemaCheck, field_path, fill_sources, joined
from gongkai.core.textfile import usable_file_name
from gongkai.core.withdrawal import withdrawal_rules

SCHEMA_PATH = Path(__file__).with_name("item_schema.yml")


@lru_cache(maxsize=1)
def raw_schema() -> dict:
    return yaml.safe_load(SCHEMA_PATH.read_text(encoding="utf-8"))


def enum_sources(catalog: Catalog) -> dict[str, list[str]]:
    return {
        "columns": [c.code for c in catalog.all_columns()],
        "topics": [t.name for t in catalog.topics],
        "doc_types": catalog.doc_types,
        "disclosure": catalog.disclosure,
        "validity": catalog.validity,
        "decisions": list(catalog.decisions),
        "withdrawal": list((catalog.raw.get("withdrawal") or {}).get("reasons") or {}),
    }


def schema_for(catalog: Catalog) -> dict:
    """The item schema with the catalog's value lists filled in."""
    return fill_sources(raw_schema(), enum_sources(catalog))


def fix_values(catalog: Catalog) -> dict:
    """What x-fix texts may name: the agency's prefixes and each value list, joined with 、."""
    return {
        "index_prefix": catalog.index_prefix,
        "agency": catalog.agency["name"],
        "doc_no_prefix": catalog.agency.get("doc_no_prefix", ""),
        **joined(enum_sources(catalog)),
    }


def fix_text(field: str, catalog: Catalog) -> str:
    return raw_schema()["properties"].get(field, {}).get("x-fix", "").format(**fix_values(catalog))


def label(field: str) -> str:
    return raw_schema()["properties"].get(field, {}).get("x-label", field)


class Validator:
    """Validates items against one catalog; build it once, use it for every item."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self._check = SchemaCheck(schema_for(catalog), fix_values(catalog), fast=True)
        self._folders: dict[Path, Path] = {}  # resolved folders, for this validator's pass
        # Once, not per item: catalog properties that build a dict, a pattern or a set on every call.
        self._limits, self._index = catalog.limits, catalog.index_pattern
        self._required: dict[str, list[str]] = {}  # column code -> its required fields, sorted

    def _problem(self, item: Item, field: str, message: str, fix: str | None = None) -> Problem:
        return Problem(item.rel, field, message, fix if fix is not None else fix_text(field, self.catalog), line=item.line_at(field_path(field)) if field else 1)

    def structure(self, item: Item) -> list[Problem]:
        # A missing field has no line of its own: the closing --- (where it would be added) stands for it.
        return self._check.problems(item.meta, item.rel, item.line_at)

    def own(self, item: Item) -> list[Problem]:
        """An item's own problems: why its front matter cannot be read, or schema, rules and sizes."""
        if item.parse_problems:
            return list(item.parse_problems)
        return self.structure(item) + self.rules(item) + self.sizes(item)

    def sizes(self, item: Item) -> list[Problem]:
        """The body and each attachment within catalog.yml's limits (a huge file would stall the build)."""
        limits, out = self._limits, []
        body_limit = limits.get("body")
        if body_limit and len(item.body) * 4 > body_limit and (size := len(item.body.encode("utf-8"))) > body_limit:
            out.append(Problem(item.rel, "", f"正文太大（{_size(size)}，上限 {_size(body_limit)}，见 catalog.yml 的 limits.body_kb）", "把长的表格或原文作为附件；或分成几个条目", line=item.end_line + 1))
        for i, attachment in enumerate(item.attachments):
            try:
                size = attachment.path.stat().st_size
            except (OSError, ValueError):
                continue  # a missing file is reported by rules()
            if limits.get("attachment") and size > limits["attachment"]:
                out.append(self._problem(item, f"attachments[{i + 1}].file", f"附件「{attachment.file}」太大（{_size(size)}，上限 {_size(limits['attachment'])}，见 catalog.yml 的 limits.attachment_mb）", "压缩文件（如降低 PDF 扫描分辨率）或拆分成几个附件"))
        return out

    def rules(self, item: Item) -> list[Problem]:
        """Rules involving the catalog and files on disk (only on structurally sound fields)."""
        out: list[Problem] = []
        meta = item.meta
        column = self.catalog.column(item.column_code)
        match = self._index.match(item.id) if isinstance(meta.get("id"), str) else None
        if isinstance(meta.get("id"), str) and not match:
            out.append(self._problem(item, "id", f"「{item.id}」不符合本机关的索引号格式"))
        created = as_date(meta.get("created"))
        published = as_date(meta.get("published"))
        if match and created and int(match.group(1)) != created.year:
            out.append(self._problem(item, "id", f"索引号中的年份 {match.group(1)} 与生成日期 {created} 不一致", "索引号的年份应为生成日期所在年份；用 gongkai new 生成新索引号"))
        if created and published and published < created:
            out.append(self._problem(item, "published", f"发布日期 {published} 早于生成日期 {created}", "发布日期不能早于生成日期"))
        if column is not None:
            if column.children:
                codes = "、".join(c.code for c in column.children)
                out.append(self._problem(item, "catalog", f"栏目「{column.name}」有下级栏目，条目不能直接放在这里", f"改为其下级栏目之一：{codes}"))
            if column.code not in self._required:
                self._required[column.code] = sorted(column.required_fields)
            for required in self._required[column.code]:
                if required not in meta:
                    out.append(Problem(item.rel, required, f"栏目「{column.name}」要求填写{label(required)}", fix_text(required, self.catalog), line=item.end_line))
        return out + self.attachment_files(item)

    def attachment_files(self, item: Item) -> list[Problem]:
        """Each listed attachment is a file in the item's folder (or below it), and no Markdown."""
        out: list[Problem] = []
        for i, entry in enumerate(item.listed("attachments")):
            if not (isinstance(entry, dict) and isinstance(entry.get("file"), str)):
                continue
            name = entry["file"]
            field = f"attachments[{i + 1}].file"
            try:
                if not usable_file_name(name):
                    raise ValueError(name)
                target = resolve_in(item.path.parent / name, self._folders)
                inside = resolve_folder(item.path.parent, self._folders) in target.parents
                found = inside and target.is_file()
            except (OSError, ValueError):  # a NUL byte, a name longer than the file system allows
                out.append(self._problem(item, field, f"附件文件名「{name[:60]}」无效", "文件名只用文字、数字、-、_ 和 .，不超过 80 个字"))
                continue
            if not inside:
                out.append(self._problem(item, field, f"附件「{name}」不在本条目所在的文件夹内", "把附件放在与本文件相同的文件夹（或其子文件夹）里，file 只写相对路径"))
            elif target.suffix.lower() == ".md":
                out.append(self._problem(item, field, f"附件「{name}」是 Markdown 文件", "附件应为 PDF、Word、Excel 等文件；Markdown 文件会被当作条目"))
            elif not found:
                out.append(self._problem(item, field, f"找不到附件文件「{name}」", "检查文件名（含扩展名）是否与磁盘上的文件完全一致"))
        return out


def cross_item_rules(items: list[Item], catalog: Catalog) -> list[Problem]:
    """Rules across items: unique 索引号, slugs and 文号; references to other items."""
    out: list[Problem] = []
    unique = {"id": ("索引号", "用 gongkai new 生成新的索引号"), "slug": ("网址别名", "换一个网址别名"), "doc_no": ("文号", "核对文号：每份文件的文号不同")}
    groups: dict[str, dict[str, list[Item]]] = {field: defaultdict(list) for field in unique}
    for item in items:
        for field in unique:
            if isinstance(item.meta.get(field), str):
                groups[field][item.meta[field]].append(item)
    by_id = groups["id"]
    for field, (what, fix) in unique.items():
        for key, group in groups[field].items():
            for item in group if len(group) > 1 else []:
                others = "、".join(o.rel for o in group if o is not item)
                out.append(Problem(item.rel, field, f"{what}「{key}」与 {others} 重复", f"{what}必须唯一；{fix}", line=item.line_of(field)))
    for item in items:
        for field in ("replaced_by", "interprets"):
            ref = item.meta.get(field)
            if isinstance(ref, str) and ref not in by_id:
                out.append(Problem(item.rel, field, f"找不到索引号为「{ref}」的条目", fix_text(field, catalog), line=item.line_of(field)))
            elif isinstance(ref, str) and ref == item.id:
                out.append(Problem(item.rel, field, "不能指向本条目自己", fix_text(field, catalog), line=item.line_of(field)))
    return out


def across_items(items: list[Item], catalog: Catalog) -> list[Problem]:
    """validate()'s rules across items (those whose front matter could be read), and files beside them."""
    sound = [i for i in items if not i.parse_problems]
    return cross_item_rules(sound, catalog) + withdrawal_rules(sound, catalog) + unlisted_attachments(items)


def validate(items: list[Item], catalog: Catalog) -> dict[str, list[Problem]]:
    """Problems per item path (items with none are absent), each file's in line order."""
    validator = Validator(catalog)
    found: dict[str, list[Problem]] = defaultdict(list)
    for item in items:
        found[item.rel].extend(validator.own(item))
    for problem in across_items(items, catalog):
        found[problem.path].append(problem)
    return in_file_order(found)


def in_file_order(found: dict[str, list[Problem]]) -> dict[str, list[Problem]]:
    return {k: sorted(v, key=_in_file_order) for k, v in found.items() if v}


def _in_file_order(problem: Problem) -> tuple:
    return (problem.line or 0, problem.field)


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{(n + 1023) // 1024} KB"


def unlisted_attachments(items: list[Item]) -> list[Problem]:
    """A warning for each file beside items that no item lists in `attachments`: it is not
    published, which an editor who put it there most likely did not mean."""
    # As strings (no resolve(), no Path per file: 10,000 items); normpath makes them what Path joins give.
    parents = [os.path.dirname(str(item.path)) or "." for item in items]  # str(item.path.parent)
    listed = {os.path.normpath(os.path.join(parent, entry["file"])) for item, parent in zip(items, parents)
              for entry in item.attachment_entries}
    by_parent: dict[str, list[Item]] = defaultdict(list)
    for item, parent in zip(items, parents):
        by_parent[parent].append(item)
    out: list[Problem] = []
    for folder, here in sorted((Path(parent), here) for parent, here in by_parent.items()):
        try:
            names = sorted(e.name for e in os.scandir(folder) if e.is_file() and not e.name.startswith(".") and not e.name.endswith(".md"))
        except OSError:
            continue
        folder_text = str(folder)
        for name in names:
            if os.path.normpath(os.path.join(folder_text, name)) in listed:
                continue
            owner = next((i for i in here if name.startswith(i.path.stem)), None)
            where = owner.rel if owner else here[0].rel.rsplit("/", 1)[0] + "/" + name
            line = owner.line_at(("attachments",)) if owner else None
            out.append(Problem(where, "attachments", f"文件「{name}」在条目文件夹中，但没有列在任何条目的 attachments 中，不会发布", "是附件就在 attachments 中写上 {file: 文件名, title: 附件名称}；不是就把它移出 content/", line=line, severity="warning"))
    return out
