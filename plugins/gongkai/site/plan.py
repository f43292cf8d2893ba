"""The site plan: every page, copied file and generated file the public site has.

A plan holds only what may be published; it is the whole of what a renderer may output.
A page is data for a template (templates/gk/…), plus the Markdown an editor wrote, if any.
"""
from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.core.items import Item
from gongkai.site.templates import page_text


ITEM_TEMPLATE = "gk/item.html"


@dataclass
class Page:
    uri: str  # source path, e.g. "column/gzdt/index.md"
    title: str
    template: str  # under templates/, e.g. "gk/item.html"
    data: dict = field(default_factory=dict)  # what the template shows: plain strings, lists and dicts
    meta: dict = field(default_factory=dict)  # the theme's page.meta (description, gov_meta, gongkai_*)
    markdown: str = ""  # what an editor wrote; the site generator turns it into HTML

    @property
    def url_dir(self) -> str:
        """The directory URL the page is served at ('' for the home page)."""
        return posixpath.dirname(self.uri)

    @property
    def body(self) -> str:
        """The page's content with the editor's Markdown left as written: what the link checks read."""
        return page_text(self.template, self.data, self.markdown, self.title)

    @property
    def item_id(self) -> str:
        """The 索引号 of the item the page shows ('' for other pages)."""
        return str(self.meta.get("gongkai_item") or "")

    @property
    def search_period(self) -> str:
        """The month ('2026-03') whose search index holds the page; '' when it is not searchable."""
        index = self.data.get("index")
        return index["period"] if index else ""

    def made(self) -> Page:
        """The page with its data, meta and Markdown (see LazyPage)."""
        return self


class LazyPage(Page):
    """A page whose data, meta and Markdown are made when asked, and not kept.

    Item pages are planned so: kept from planning to the end of the build they were ~5 KB an
    item, half a gigabyte at 100,000 items (issue 12), though each is rendered once. Every read
    of data, meta, markdown or body makes the page again; a renderer calls made() once a page."""

    def __init__(self, uri: str, title: str, template: str, make: Callable[[], Page], item_id: str, search_period: str):
        self.uri, self.title, self.template = uri, title, template
        self._make, self._item_id, self._search_period = make, item_id, search_period

    def made(self) -> Page:
        return self._make()

    __eq__, __hash__ = object.__eq__, object.__hash__  # the same page, not the same made data (which would make both)

    data = property(lambda self: self._make().data)
    meta = property(lambda self: self._make().meta)
    markdown = property(lambda self: self._make().markdown)
    item_id = property(lambda self: self._item_id)
    search_period = property(lambda self: self._search_period)


@dataclass
class CopiedFile:
    uri: str  # destination path in the site
    source: Path


@dataclass
class GeneratedFile:
    uri: str  # destination path in the site
    content: str = ""  # redirect pages, feeds: written as they are
    # or made when written, piece by piece, not kept (the JSON export)
    make: Callable[[], Iterable[str]] | None = field(default=None, repr=False)

    def text(self) -> str:
        return "".join(self.make()) if self.make is not None else self.content


@dataclass
class SitePlan:
    pages: list[Page]
    files: list[CopiedFile]
    nav: list  # MkDocs-style nav: [{title: uri or [...]}, ...]
    outputs: list[GeneratedFile] = field(default_factory=list)


_DATE_TEXTS: dict[tuple, str] = {}  # (type, front-matter value) -> text: a few thousand dates, asked ~10 times per item


def date_text(item: Item) -> str:
    value = item.meta.get("published")
    try:
        key = (type(value), value)
        return _DATE_TEXTS[key]
    except KeyError:
        if len(_DATE_TEXTS) > 100_000:  # a long preview session of odd values: start again
            _DATE_TEXTS.clear()
        published = item.published
        text = _DATE_TEXTS[key] = published.isoformat() if published else ""
        return text
    except TypeError:  # unhashable (a list, a mapping): not a date
        return ""


def newest_first(items: list[Item]) -> list[Item]:
    return sorted(items, key=lambda i: (date_text(i), i.id), reverse=True)


def human_size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"
