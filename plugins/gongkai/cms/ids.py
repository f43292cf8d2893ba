"""`gongkai assign-ids --base <branch>`: the final 索引号 of items a merge request adds.

The web editor cannot count: it fills in the next free number as of the moment the form
opened, so two editors who create items at the same time get the same number. This step
(run by the merge-request pipeline, which commits its change back to the request's branch)
gives every item the branch adds whose number is already taken — on the target branch or by
another new item — the next free number of its year. Only the `id:` line changes; the
file keeps its name (the editor's draft stays where the CMS put it), and new items are
unsigned, so no sign-off is affected. The editor sees the final number in the merge request
and in the CMS before review; the target branch's own duplicate check stays the backstop.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from gongkai.core.catalog import Catalog
from gongkai.core.items import discover, parse_item
from gongkai.project import CONTENT_DIR
from gongkai.review.history import git

ID_LINE = re.compile(r"^id\s*:\s*(?P<value>[^#\n]*?)\s*(?P<comment>#.*)?$", re.MULTILINE)


class AssignError(Exception):
    """A git or file problem, worded for the pipeline log."""


@dataclass(frozen=True)
class Assignment:
    path: str
    old: str
    new: str


def ids_on(root: Path, ref: str) -> set[str]:
    """Every `id:` value of an item file on ref, without checking it out."""
    found = git(root, "grep", "-h", "-E", r"^id\s*:", ref, "--", f"{CONTENT_DIR}/*.md")
    if found.returncode not in (0, 1):  # 1: nothing found
        raise AssignError(f"无法读取 {ref} 上的条目：{found.stderr.strip()}")
    return {m.group("value").strip().strip("'\"") for m in ID_LINE.finditer(found.stdout)}


def added_paths(root: Path, base: str) -> set[str]:
    """Item files in the working tree that do not exist on base (new in this branch)."""
    listed = git(root, "ls-tree", "-r", "--name-only", "-z", base, "--", CONTENT_DIR)
    if listed.returncode != 0:
        raise AssignError(f"找不到分支或提交「{base}」：{listed.stderr.strip()}（CI 中请先 git fetch 目标分支）")
    on_base = set(listed.stdout.split("\0"))
    return {p.relative_to(root).as_posix() for p in discover(root / CONTENT_DIR)} - on_base


def assign_ids(root: Path, catalog: Catalog, base: str) -> list[Assignment]:
    """Renumber the branch's new items whose 索引号 collides; return what changed."""
    added = added_paths(root, base)
    items = [parse_item(root / rel, root) for rel in sorted(added)]
    taken = ids_on(root, base)
    taken |= {str(parse_item(p, root).meta.get("id", "")) for p in discover(root / CONTENT_DIR) if p.relative_to(root).as_posix() not in added}
    every = taken | {str(item.meta.get("id", "")) for item in items}  # a new number is above all of these
    changes = []
    for item in items:
        current = str(item.meta.get("id", ""))
        match = catalog.index_pattern.match(current)
        if match is None or current not in taken:
            taken.add(current)  # a later new item with the same number is the one renumbered
            continue
        new = next_free(catalog, every, int(match.group(1)))
        rewrite_id(root / item.rel, current, new)
        taken.add(new)
        every.add(new)
        changes.append(Assignment(item.rel, current, new))
    return changes


def next_free(catalog: Catalog, taken: set[str], year: int) -> str:
    numbers = [int(m.group(2)) for m in map(catalog.index_pattern.match, taken) if m and int(m.group(1)) == year]
    return f"{catalog.index_prefix}/{year}-{max(numbers, default=0) + 1:05d}"


def rewrite_id(path: Path, old: str, new: str) -> None:
    """Replace the value of the front matter's `id:` line, keeping its comment and the rest."""
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\n---")
    match = ID_LINE.search(head)
    if match is None or match.group("value").strip().strip("'\"") != old:
        raise AssignError(f"{path}：找不到 id: {old} 这一行，请手工把索引号改为 {new}")
    line = f"id: {new}" + (f"  {match.group('comment')}" if match.group("comment") else "")
    path.write_text(head[: match.start()] + line + head[match.end():] + sep + rest, encoding="utf-8")
