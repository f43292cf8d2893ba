"""Loading items: Markdown files with YAML front matter under content/.

Front matter is parsed strictly here (MkDocs would silently ignore a YAML
error and render the raw front matter, review notes included, into the page).
"""
from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import yaml

from gongkai.core.plainyaml import plain_front_matter
from gongkai.core.problems import Problem, relative
from gongkai.core.schema_check import line_marks
from gongkai.core.textfile import NotUtf8, decode_text, read_bytes, split_front_matter, usable_file_name
from gongkai.core.yamlstrict import NESTING_LIMIT, StrictLoader, compose_checked, refuse_deep, yaml_problem


@dataclass
class Attachment:
    file: str  # path relative to the item's directory, as written
    title: str
    path: Path  # absolute path on disk

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower().lstrip(".")


@dataclass
class Item:
    path: Path  # absolute
    rel: str  # relative to the project root, for messages
    meta: dict  # front matter as parsed
    body: str  # Markdown body
    lines: dict[str, int] = field(default_factory=dict)  # field -> 1-based line
    parse_problems: list[Problem] = field(default_factory=list)
    front_matter: str = field(default="", repr=False)  # as written, from the line after the opening ---
    end_line: int = 2  # 1-based line of the closing ---: where a missing field would go

    # Convenience accessors for fields validation has already checked.
    @property
    def id(self) -> str:
        return str(self.meta.get("id", ""))

    @property
    def title(self) -> str:
        return str(self.meta.get("title", ""))

    @property
    def column_code(self) -> str:
        return str(self.meta.get("catalog", ""))

    @property
    def topics(self) -> list[str]:
        value = self.meta.get("topics") or []
        return [str(t) for t in value] if isinstance(value, list) else []

    @property
    def published(self) -> date | None:
        return as_date(self.meta.get("published"))

    @property
    def created(self) -> date | None:
        return as_date(self.meta.get("created"))

    @property
    def review(self) -> dict:
        value = self.meta.get("review")
        return value if isinstance(value, dict) else {}

    @property
    def attachments(self) -> list[Attachment]:
        return [Attachment(e["file"], str(e.get("title") or e["file"]), self.path.parent / e["file"]) for e in self.attachment_entries]

    def listed(self, field_name: str) -> list:
        """A list field's entries; none when the field holds something else (a schema error, reported there)."""
        value = self.meta.get(field_name)
        return value if isinstance(value, list) else []

    @property
    def attachment_entries(self) -> list[dict]:
        """The `attachments` entries that name a usable file: what attachments are made of."""
        return [e for e in self.listed("attachments") if isinstance(e, dict) and usable_file_name(e.get("file"))]

    @property
    def id_key(self) -> str:
        """The part of the 索引号 after the agency prefix ('2026-00012'): the stable URL key."""
        return self.id.rsplit("/", 1)[-1]

    def line_of(self, name: str) -> int | None:
        return self.lines.get(name)

    def line_at(self, path: tuple) -> int:
        """The line of a field path (("attachments", 0, "file")), else of its nearest enclosing
        entry; a missing field's is the closing --- (where it would be added)."""
        if not path or path[0] not in self.lines:
            return self.end_line
        if len(path) == 1:
            return self.lines[path[0]]
        marks = self.__dict__.get("_marks")
        if marks is None:
            marks = self.__dict__["_marks"] = nested_lines(self)
        while len(path) > 1 and path not in marks:
            path = path[:-1]
        return marks.get(path) or self.lines[path[0]]


def as_date(value) -> date | None:
    """A bare or quoted ISO date; a date with a time of day is not one."""
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def discover(content_dir: Path) -> list[Path]:
    """Every item file under content/, in a stable order."""
    return [path for path, _, _ in _item_files(content_dir)]


def _item_files(content_dir: Path) -> list[tuple[Path, str, bool]]:
    """(path, path under content_dir, whether it is a symlink) of every *.md file under content_dir
    but hidden ones, sorted by path; symlinked folders are not entered (as Path.rglob). One
    os.scandir walk: no stat per file, which rglob and is_file cost a tenth of loading 10,000 items."""
    found: list[tuple[Path, str, bool]] = []
    folders = [(content_dir, "")]
    while folders:
        folder, under = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except (PermissionError, FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                folders.append((folder / entry.name, f"{under}{entry.name}/"))
            elif entry.name.endswith(".md") and not entry.name.startswith(".") and entry.is_file():
                found.append((folder / entry.name, under + entry.name, entry.is_symlink()))
    found.sort(key=lambda f: f[1].split("/"))  # as the paths sort (by part), without comparing Path objects
    return found


def parse_item(path: Path, root: Path, text: str | None = None, rel: str | None = None, max_front_matter: int | None = None) -> Item:
    """The item in path (or in text). Front matter over max_front_matter bytes is refused unread."""
    rel = rel or relative(path, root)
    try:
        text = decode_text(read_bytes(path) if text is None else text.encode("utf-8", "surrogatepass"), rel)
    except NotUtf8 as exc:
        return Item(path=path, rel=rel, meta={}, body="", parse_problems=[exc.problem])
    item = Item(path=path, rel=rel, meta={}, body=text)
    if not text.startswith("---"):
        item.parse_problems.append(Problem(rel, "", "缺少开头的元数据（front matter）", "文件第一行写 ---，然后写字段，再用 --- 结束；可用 gongkai new 生成模板", line=1))
        return item
    try:
        fm_text, body = split_front_matter(text)
    except ValueError:
        item.parse_problems.append(Problem(rel, "", "元数据没有结束标记", "在字段之后单独一行写 ---", line=1))
        return item
    item.body, item.front_matter = body.lstrip("\n"), fm_text
    item.end_line = max(2, fm_text.count("\n") + 1)
    if max_front_matter is not None and len(fm_text) > max_front_matter // 4 and (size := len(fm_text.encode("utf-8"))) > max_front_matter:
        item.parse_problems.append(Problem(rel, "", f"元数据太大（{size:,} 字节，上限 {max_front_matter:,} 字节，见 catalog.yml 的 limits）", "元数据只写字段；长的内容写在正文中", line=1))
        return item
    if (plain := plain_front_matter(fm_text)) is not None:  # the common shape, without PyYAML
        item.meta, item.lines = plain
        return item
    try:
        loader = StrictLoader(fm_text)
        try:
            node = compose_checked(loader, check_depth=False)  # _construct checks the depth on its way
            data = _construct(loader, node) if node is not None else {}
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        item.parse_problems.append(yaml_problem(rel, exc, line_offset=0, text=fm_text))  # fm_text keeps the newline after the opening ---
        return item
    if not isinstance(data, dict):
        item.parse_problems.append(Problem(rel, "", "元数据不是“字段: 值”的形式", "每行写一个“字段: 值”", line=2))
        return item
    item.meta = data
    if isinstance(node, yaml.MappingNode):
        item.lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    return item


def nested_lines(item: Item) -> dict[tuple, int]:
    """1-based line of every key and list entry of the front matter, by path (('topics', 0): …);
    composed again only for items with problems, so the common path keeps its speed."""
    try:
        loader = StrictLoader(item.front_matter)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError:
        return {}
    return line_marks(node) if node is not None else {}


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_DATE, _YMD = "tag:yaml.org,2002:timestamp", re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class _Unusual(Exception):
    """A shape the quick construction leaves to PyYAML: aliases, merge keys, duplicate keys."""


def _quick(loader: StrictLoader, node, seen: set[int], depth: int = 1):
    if id(node) in seen:
        raise _Unusual  # an alias: shared (or recursive) structure
    if depth > NESTING_LIMIT:
        raise _Unusual  # PyYAML's path checks the depth first
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _STR:
            return node.value
        if node.tag == _DATE and _YMD.fullmatch(node.value):  # as PyYAML makes it, without its bookkeeping
            with contextlib.suppress(ValueError):  # no such day: PyYAML (StrictLoader) reports it
                return date(int(node.value[:4]), int(node.value[5:7]), int(node.value[8:]))
        return loader.construct_object(node)  # numbers, booleans, other dates, non-dates: PyYAML's own rules
    if node.tag == _SEQ:
        return [_quick(loader, n, seen, depth + 1) for n in node.value]
    if node.tag != _MAP or any(not isinstance(k, yaml.ScalarNode) or k.tag == "tag:yaml.org,2002:merge" for k, _ in node.value):
        raise _Unusual
    keys = [_quick(loader, k, seen, depth + 1) for k, _ in node.value]
    if len(set(keys)) != len(keys):
        raise _Unusual  # PyYAML (StrictLoader) reports the duplicate, with its line
    return dict(zip(keys, [_quick(loader, v, seen, depth + 1) for _, v in node.value]))


def _construct(loader: StrictLoader, node):
    """loader.construct_document(node), without PyYAML's per-node bookkeeping for the plain
    shapes front matter has (that bookkeeping was a third of loading 10,000 items). Anything
    else, and any error, goes to PyYAML, which reports errors in its own order."""
    try:
        return _quick(loader, node, set())
    except Exception:
        refuse_deep(node)
        loader.constructed_objects, loader.recursive_objects, loader.state_generators = {}, {}, []
        return loader.construct_document(node)


def relative_paths(paths: list[Path], root: Path) -> list[str]:
    """relative(path, root) for each path, resolving each folder once instead of every
    component of every path (that was a tenth of loading 10,000 items)."""
    folders: dict[Path, Path] = {}
    top = root.resolve()
    out = []
    for path in paths:
        if path.parent not in folders:
            folders[path.parent] = path.parent.resolve()
        resolved = path.resolve() if path.is_symlink() else folders[path.parent] / path.name
        try:
            out.append(resolved.relative_to(top).as_posix())
        except ValueError:  # outside the project: as relative() does
            out.append(path.as_posix())
    return out


def load_items(content_dir: Path, root: Path, max_front_matter: int | None = None) -> list[Item]:
    """Every item, parsed. (Parsing in two worker processes was measured and lost: sending
    10,000 parsed items back costs a third of parsing them, and the cores are seldom free.)"""
    files = _item_files(content_dir)
    try:  # the folders walked are no symlinks: an item's path under the root is content_dir's, then its own
        prefix = content_dir.resolve().relative_to(root.resolve()).as_posix() + "/"
    except ValueError:
        prefix = None
    rels = [None if prefix is None or link else (under if prefix == "./" else prefix + under) for _, under, link in files]
    if None in rels:
        rels = relative_paths([path for path, _, _ in files], root)
    return [parse_item(path, root, rel=rel, max_front_matter=max_front_matter) for (path, _, _), rel in zip(files, rels)]


def forget_front_matter(items: list[Item]) -> None:
    """For a build, once its items are validated: drop each item's front matter as written (~1.8 KB,
    most of it the sign-off), which only finding the line of a nested field reads; a message made
    later names the field's own line instead. At 100,000 items that is ~0.2 GB (issue 12)."""
    for item in items:
        item.front_matter = ""
