"""The site plan: every page, copied file and generated file the public site has.

A plan holds only what may be published; it is the whole of what a renderer may output.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from gongkai.core.items import Item

# libyaml's emitter when present: same YAML as safe_dump, 5x faster (1.1 s -> 0.2 s for 10,000 pages).
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass
class Page:
    uri: str  # source path, e.g. "column/gzdt/index.md"
    title: str
    body: str  # Markdown/HTML without front matter
    meta: dict = field(default_factory=dict)

    @property
    def url_dir(self) -> str:
        """The directory URL the page is served at ('' for the home page)."""
        return posixpath.dirname(self.uri)

    @property
    def source(self) -> str:
        front = yaml.dump({"title": self.title, **self.meta}, Dumper=_DUMPER, allow_unicode=True, sort_keys=True)
        return f"---\n{front}---\n\n{self.body}"


@dataclass
class CopiedFile:
    uri: str  # destination path in the site
    source: Path


@dataclass
class GeneratedFile:
    uri: str  # destination path in the site
    content: str  # redirect pages, feeds, the JSON export: written as they are


@dataclass
class SitePlan:
    pages: list[Page]
    files: list[CopiedFile]
    nav: list  # MkDocs-style nav: [{title: uri or [...]}, ...]
    outputs: list[GeneratedFile] = field(default_factory=list)


def date_text(item: Item) -> str:
    return item.published.isoformat() if item.published else ""


def newest_first(items: list[Item]) -> list[Item]:
    return sorted(items, key=lambda i: (date_text(i), i.id), reverse=True)


def human_size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"
