"""The plan's pages and generated files as MkDocs files; the pages' Markdown turned into HTML by
one converter per process.

MkDocs makes a new Python-Markdown converter, with every extension, for each page it renders
(Page.render): about a quarter of a millisecond each, and at 10,000 items both rendering
processes do it for every page (adapters/split_render.py), 20,000 times. A converter is made
to be reset between documents; render_markdown does what MkDocs 1.6's Page.render does with
one that is (tests/test_markdown_page.py compares the two), when the adapter renders the page.
"""
from __future__ import annotations

import logging
import os

import markdown
from mkdocs.structure.pages import (
    Page,
    _ExtractAnchorsTreeprocessor,
    _ExtractTitleTreeprocessor,
    _RawHTMLPreprocessor,
    _RelativePathTreeprocessor,
)
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc

log = logging.getLogger("mkdocs.structure.pages")  # the logger whose level Page.render reads
_converter: tuple[object, markdown.Markdown] | None = None  # (the config it was made for, the converter)
# Each page's anchors (and links to anchors) stay until MkDocs checks the links after the last page.
# Most item pages have the same few anchors ("_1", "_2" from Chinese headings): one shared set each.
_ANCHOR_SETS: dict[frozenset, frozenset] = {}


def converter(config) -> markdown.Markdown:
    """The converter for this config's extensions, made once per config and reset for each page."""
    global _converter
    if _converter is None or _converter[0] is not config:
        _converter = (config, markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {}))
    md = _converter[1]
    md.reset()
    return md


def planned_files(config, uris: list[str]) -> list[File]:
    """Files with empty sources for the planned pages, each with a ReusedConverterPage unless the
    nav names it (MkDocs gives a page its nav title only when it makes the Page itself)."""
    in_nav = nav_paths(config.nav)
    files = [File.generated(config, uri, content="") for uri in uris]
    for file in files:
        if file.src_uri not in in_nav:
            ReusedConverterPage(None, file, config)  # becomes file.page
    return files


def generated_files(config, outputs: list) -> list[File]:
    """MkDocs files for the plan's generated files (site/plan.py GeneratedFile): those made when
    written are made only when MkDocs writes them."""
    files = []
    for out in outputs:
        if out.make is None:
            files.append(File.generated(config, out.uri, content=out.content))
        else:
            files.append(MadeWhenWrittenFile.generated(config, out.uri, content=""))
            files[-1].make = out.make
    return files


class MadeWhenWrittenFile(File):
    """A generated file made as MkDocs writes it, piece by piece, and not kept meanwhile: the JSON
    export was ~1.2 KB an item for the whole build, and ~0.5 GB at once when made whole (100,000 items)."""

    make = staticmethod(lambda: ())  # -> the file's text in pieces

    @property
    def _content(self) -> str:
        return "".join(self.make())

    @_content.setter
    def _content(self, value) -> None:
        self.make = lambda: (value,)  # File.generated sets it; generated_files then sets the maker

    def copy_file(self, dirty: bool = False) -> None:
        """As File.copy_file for text content (always modified, as a generated file is), written as made."""
        os.makedirs(os.path.dirname(self.abs_dest_path), exist_ok=True)
        with open(self.abs_dest_path, "w", encoding="utf-8") as output:
            output.writelines(self.make())


def nav_paths(nav) -> set[str]:
    """The paths a MkDocs nav setting names."""
    if isinstance(nav, dict):
        return set().union(*map(nav_paths, nav.values()))
    if isinstance(nav, list):
        return set().union(*map(nav_paths, nav))
    return {nav} if isinstance(nav, str) else set()


class ReusedConverterPage(Page):
    """An off-nav planned page: MkDocs' reading step converts nothing (the adapter converts the
    planned Markdown with render_markdown when it renders the page, so no page's HTML waits in
    memory for all the others to be converted, as MkDocs' two passes would have it)."""

    gongkai_off_nav = True  # not in the nav: templates/partials/nav.html reuses its navigation HTML

    def render(self, config, files) -> None:
        self.content = ""


def render_markdown(page: Page, text: str, config, files) -> str:
    """What MkDocs 1.6's Page.render does to page with text as its Markdown, on the shared
    converter (registering a tree processor under the same name replaces the last page's):
    the HTML, returned, and the page's toc, anchors and links to anchors, set."""
    md = converter(config)
    raw_html = _RawHTMLPreprocessor()
    raw_html._register(md)
    anchors = _ExtractAnchorsTreeprocessor(page.file, files, config)
    anchors._register(md)
    relative_paths = _RelativePathTreeprocessor(page.file, files, config)
    relative_paths._register(md)
    title = _ExtractTitleTreeprocessor()
    title._register(md)
    html = md.convert(text)
    page.toc = get_toc(getattr(md, "toc_tokens", []))
    page._title_from_render = title.title
    found = frozenset(anchors.present_anchor_ids | raw_html.present_anchor_ids)
    if len(_ANCHOR_SETS) > 100_000:
        _ANCHOR_SETS.clear()
    page.present_anchor_ids = _ANCHOR_SETS.setdefault(found, found)
    if log.getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = relative_paths.links_to_anchors or None  # most pages have none: no empty dict kept
    return html
