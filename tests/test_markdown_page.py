"""One reused Markdown converter per process (adapters/markdown_page.py, render_markdown) gives
what MkDocs' own Page.render gives, page after page, with every Markdown extension mkdocs.yml may
enable; an off-nav planned page converts nothing while MkDocs reads it."""
from __future__ import annotations

import io
import logging

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.pages import Page

from gongkai.adapters.markdown_page import ReusedConverterPage, nav_paths, render_markdown

CONFIG = """
site_name: t
docs_dir: {docs}
site_dir: {site}
markdown_extensions:
  - toc: {{permalink: false}}
  - tables
  - fenced_code
  - attr_list
  - abbr
  - admonition
  - def_list
  - footnotes
  - sane_lists
"""

SOURCES = {
    "a.md": "# 标题\n\n## 一、总则\n\n## 一、总则\n\n正文[^1]，见[下一页](b.md#sec)和[本页](#一总则)。\n\n[^1]: 脚注。\n",
    "b.md": "# 第二页\n\n## 第二节 {#sec}\n\n*[HTML]: 超文本\n\nHTML 表格：\n\n| 项目 | 金额 |\n| --- | --- |\n| 甲 | 1 |\n\n<div id=\"raw\">原始</div>\n",
    "c.md": "",
    "d.md": "!!! note \"提示\"\n    注意事项。\n\n术语\n:   解释\n\n```text\n<代码>\n```\n\n1. 一\n2. 二\n\n[缺页](missing.md)\n",
    "e.md": "# 只有标题\n",
    "f.md": "再一个脚注[^1]，HTML 缩写不再生效。\n\n[^1]: 第二页的脚注。\n",
}


def toc_of(items) -> list:
    return [(i.title, i.id, i.level, toc_of(i.children)) for i in items]


def rendered(page: Page) -> tuple:
    """(links_to_anchors: MkDocs' check reads an empty dict and None alike: `if not page.links_to_anchors`)"""
    return (page.content, toc_of(page.toc), page.title, page.present_anchor_ids, page.links_to_anchors or None)


@pytest.fixture
def setup(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for uri, text in SOURCES.items():
        (docs / uri).write_text(text, encoding="utf-8")
    config = load_config(config_file=io.StringIO(CONFIG.format(docs=docs, site=tmp_path / "site")))
    return config, get_files(config)


@pytest.mark.parametrize("order", [list(SOURCES), list(reversed(SOURCES)), [*SOURCES, *SOURCES]])
def test_reused_converter_renders_as_mkdocs_does(setup, order):
    config, files = setup
    logging.getLogger("mkdocs.structure.pages").setLevel(logging.INFO)  # Page.render keeps links_to_anchors above DEBUG
    for uri in order:
        file = files.get_file_from_path(uri)
        expected, reused = Page(None, file, config), ReusedConverterPage(None, file, config)
        for page in (expected, reused):
            page.read_source(config)
            page.render(config, files)
        assert reused.content == "" and reused.present_anchor_ids is None  # MkDocs' reading pass: nothing yet
        reused.content = render_markdown(reused, reused.markdown, config, files)
        assert rendered(reused) == rendered(expected), uri
    assert "超文本" in files.get_file_from_path("b.md").page.content  # the extensions really ran


def test_nav_paths_are_every_page_the_nav_names():
    nav = [{"首页": "index.md"}, {"政策": ["zc/index.md", {"解读": "zcjd/index.md"}]}, "search.md", {"外链": "https://x.example/"}]
    assert nav_paths(nav) == {"index.md", "zc/index.md", "zcjd/index.md", "search.md", "https://x.example/"}


def test_a_file_made_when_written_is_made_then_and_not_kept(setup, tmp_path):
    """The JSON export (site/feeds.py) reaches MkDocs as a maker of pieces: its text exists only while MkDocs
    writes it, and never whole (at 100,000 items the whole text was ~0.5 GB at once)."""
    import tracemalloc

    from gongkai.adapters.markdown_page import generated_files
    from gongkai.site.plan import GeneratedFile

    config, _ = setup
    config.plugins._current_plugin = None  # as between MkDocs' plugin events
    made = []

    def make():
        made.append(1)
        yield "{\"items\": [\n"
        yield from (f"\"条目{n:06d}{'文' * 500}\",\n" for n in range(40_000))  # ~60 MB as one str
        yield "\"末条\"]}\n"

    plain, lazy = generated_files(config, [GeneratedFile("feed.xml", "<feed/>"), GeneratedFile("data/items.json", make=make)])
    assert not made and "_content" not in vars(lazy)  # nothing made, nothing kept
    tracemalloc.start()
    try:
        for file in (plain, lazy):
            file.copy_file()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert made == [1]
    assert peak < 5 * 2**20, peak  # written piece by piece, not joined first
    assert (tmp_path / "site" / "data" / "items.json").read_text(encoding="utf-8") == "".join(make())
    assert (tmp_path / "site" / "feed.xml").read_text(encoding="utf-8") == "<feed/>"
