"""Item bodies against an allow-list of HTML (body_policy.yml), with nh3 (Ammonia) as the sanitiser.

`gongkai check` renders each body with the site's Markdown extensions and reports every tag,
attribute or address outside the list as an error on its source line (so the item is withheld
and cannot be signed): nothing is silently dropped. The build still passes each rendered body
through `sanitize`, so whatever slipped past a check never reaches a page.
"""
from __future__ import annotations

import re
from collections import Counter
from fnmatch import fnmatchcase
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import nh3
import yaml

from gongkai.core.items import Item
from gongkai.core.problems import Problem

if TYPE_CHECKING:
    import markdown

FIELD = "正文"
MKDOCS_BUILTINS = ["toc", "tables", "fenced_code"]  # MkDocs always adds these to markdown_extensions
# Without any of these a body renders to Markdown's own tags only: no raw HTML, attributes or entities;
# its links are then checked from the source (plain_links_allowed), Markdown is rendered only if one fails.
RISKY = re.compile(r"<|\{|&|!\[")
RISKY_TEXTS = ("<", "{", "&", "![")  # RISKY's alternatives: `in` finds them twice as fast as its search
INLINE_LINK = re.compile(r"\]\(([^)\n]*)")
LINK_DEFINITION = re.compile(r"\]:(.*)$", re.MULTILINE)  # anywhere: in quotes and lists too
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
URL_NOISE = re.compile(r"[\x00-\x20\x7f]")  # browsers drop these inside a URL (java\tscript:)
OWN_FILE = re.compile(r"^(?:\./)?[^/\\:?#\s][^/\\:?#]*$")  # a file name in the item's folder
TEXT_ALIGN = re.compile(r"^\s*text-align:\s*(left|right|center)\s*;?\s*$")
ALIGN_STYLE = re.compile(r'style="text-align:\s*(left|right|center);?"')


@lru_cache(maxsize=1)
def policy() -> dict:
    data = yaml.safe_load((Path(__file__).with_name("body_policy.yml")).read_text(encoding="utf-8"))
    data["tags"] = set(data["tags"])
    data["attributes"] = {tag: set(names) for tag, names in data["attributes"].items()}
    return data


def attribute_allowed(tag: str, name: str) -> bool:
    attributes = policy()["attributes"]
    return name in attributes.get(tag, ()) or name in attributes.get("*", ())


def value_allowed(tag: str, name: str, value: str) -> bool:
    """The rules on attribute values that an allow-list of names cannot say."""
    if name == "href":
        scheme = SCHEME.match(URL_NOISE.sub("", value))
        return scheme is None or scheme.group(1).lower() in policy()["url_schemes"]
    if name == "src":
        return bool(OWN_FILE.match(value)) and ".." not in value.split("/")
    if name == "style":
        return bool(TEXT_ALIGN.match(value))
    if name == "class":
        allowed = policy()["classes"].get(tag, ())
        return bool(value.split()) and all(any(fnmatchcase(c, pattern) for pattern in allowed) for c in value.split())
    return True


def _filter(tag: str, name: str, value: str) -> str | None:
    return value if value_allowed(tag, name, value) else None


def sanitize(html: str) -> str:
    """The body as the site shows it: only what body_policy.yml allows. A table column's alignment
    becomes the align attribute (Material honours it): the Content-Security-Policy allows no inline style."""
    return ALIGN_STYLE.sub(r'align="\1"', _clean(html))


def _clean(html: str) -> str:
    p = policy()
    return nh3.clean(
        html, tags=p["tags"], attributes=p["attributes"], attribute_filter=_filter,
        url_schemes=set(p["url_schemes"]), link_rel=None, strip_comments=True,
    )


class _Elements(HTMLParser):
    """Start tags (with attributes) and comments, in document order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, [(n, v or "") for n, v in attrs]))

    def handle_comment(self, data):
        self.found.append(("!--", []))


def elements(html: str) -> list[tuple[str, list[tuple[str, str]]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.found


def signature(html: str) -> Counter:
    """What nh3 could remove, counted: tags, comments and attribute names."""
    return Counter(k for tag, attrs in elements(html) for k in [tag, *(f"{tag}[{n}]" for n, _ in attrs)])


def outside_policy(html: str) -> list[tuple[str, str, str]]:
    """(kind, name, value) of each construct outside the list: kind is tag, attribute or value."""
    found = []
    for tag, attrs in elements(html):
        if tag not in policy()["tags"]:
            found.append(("tag", tag, ""))
            continue
        for name, value in attrs:
            if not attribute_allowed(tag, name):
                found.append(("attribute", name, value))
            elif not value_allowed(tag, name, value):
                found.append(("value", name, value))
    if not found and signature(_clean(html)) != signature(html):
        found.append(("tag", "?", ""))  # nh3 would drop something the walk above let through
    return found


@lru_cache(maxsize=4)
def _extensions(root: Path) -> tuple[list, dict]:
    """The Markdown extensions the site renders with: MkDocs' own and mkdocs.yml's markdown_extensions."""
    names, configs = list(MKDOCS_BUILTINS), {}
    try:
        data = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    except (OSError, UnicodeError, yaml.YAMLError):
        data = {}
    for entry in data.get("markdown_extensions") or []:
        name, config = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        if name not in names:
            names.append(name)
        if config:
            configs[name] = config
    return names, configs


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may hold !ENV or !!python/name tags: read them as plain values."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


@lru_cache(maxsize=4)
def _renderer(root: Path) -> "markdown.Markdown":
    import markdown  # only for bodies with HTML or unusual links: most checks never render one

    names, configs = _extensions(root)
    return markdown.Markdown(extensions=names, extension_configs=configs)


def render(body: str, root: Path) -> str:
    return _renderer(root).reset().convert(body)


def body_problems(item: Item, root: Path) -> list[Problem]:
    """An error for each construct of the item's body outside the allow-list, on its source line;
    none while the front matter cannot be read (that error withholds the item already)."""
    if item.parse_problems or (not any(text in item.body for text in RISKY_TEXTS) and plain_links_allowed(item.body)):
        return []
    found = outside_policy(render(item.body, root))
    if not found:
        return []
    lines = _SourceLines(item)
    return [_problem(item.rel, kind, name, value, lines.find(kind, name, value)) for kind, name, value in found]


def plain_links_allowed(body: str) -> bool:
    """Every link target written [text](target) or [id]: target is one a link may have (1 ms a body
    saved at 10,000 items). Anything unusual (a title, spaces, a second bracket) counts as failing."""
    if "]" not in body:  # both patterns begin with ]: no link at all (most bodies)
        return True
    targets = [*INLINE_LINK.findall(body), *(m.strip() for m in LINK_DEFINITION.findall(body))]
    return all(t and not URL_NOISE.search(t) and value_allowed("a", "href", t) for t in targets)


def _problem(rel: str, kind: str, name: str, value: str, line: int) -> Problem:
    fixes = policy()["tag_fixes"] if kind == "tag" else policy()["attribute_fixes"]
    key = "on" if kind != "tag" and name.startswith("on") else name
    fix = fixes.get(key) or fixes["default"]
    shown = value if len(value) <= 40 else value[:40] + "…"
    if kind == "tag":
        what = "HTML 注释 <!-- … -->" if name == "!--" else ("网站不接受的 HTML" if name == "?" else f"不允许的 HTML 标签 <{name}>")
    elif kind == "attribute":
        what = f"不允许的属性 {name}=\"{shown}\""
    else:
        what = f"不允许的{'链接地址' if name == 'href' else '图片地址' if name == 'src' else '属性值'} {name}=\"{shown}\""
    return Problem(rel, FIELD, f"正文含有{what}（网站只接受普通的文字、标题、列表、表格、链接和本条目的图片）", fix, line=line)


class _SourceLines:
    """Where a construct is written in the file: the next place its text occurs in the body."""

    def __init__(self, item: Item):
        self.body = item.body
        self.first = _body_line(item)
        self.used: Counter = Counter()

    def find(self, kind: str, name: str, value: str) -> int:
        if kind == "tag":
            pattern = re.escape("<!--") if name == "!--" else rf"<\s*{re.escape(name)}\b"
        elif kind == "attribute":
            pattern = rf"\b{re.escape(name)}\s*="
        else:
            pattern = re.escape(value) if value and value in self.body else rf"\b{re.escape(name)}\s*=|\]\("
        hits = [m.start() for m in re.finditer(pattern, self.body, re.IGNORECASE)]
        if not hits:
            return self.first
        at = hits[min(self.used[pattern], len(hits) - 1)]
        self.used[pattern] += 1
        return self.first + self.body.count("\n", 0, at)


def _body_line(item: Item) -> int:
    """The file line the body starts on (the body is the file's tail after the front matter)."""
    try:
        text = item.path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n").lstrip("\ufeff")
    except OSError:
        return 1
    return text[: len(text) - len(item.body)].count("\n") + 1 if text.endswith(item.body) else 1
