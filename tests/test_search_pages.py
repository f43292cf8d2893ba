"""Pagefind reads only the indexed part of each item page (site/search.py SearchPages):
the same index as Pagefind over the written site, and nothing left behind on failure."""
from __future__ import annotations


import pytest

from conftest import base_meta
from review_helpers import tree_bytes


def signed_project(project, count: int = 3):
    for seq in range(1, count + 1):
        path = project.write(f"gzdt/2026-{seq:05d}.md", base_meta(seq), f"第{seq}条正文，养护工程三公经费。\n")
        project.sign(path)
    return project


def test_pagefind_reads_one_search_document_per_searchable_page(project, tmp_path, monkeypatch):
    from gongkai.site import search
    from gongkai.site.search import BUNDLE_DIR

    seen = {}
    real = search.index_site

    def spy(site_dir, pages):
        from gongkai.site.search_journal import JournalReader

        written = JournalReader(pages.folder)  # what every rendering process wrote
        written.refresh()
        seen.update({path: written.text(period, path) for period, path in written.where})
        written.close()
        return real(site_dir, pages)

    from gongkai.adapters import mkdocs_plugin

    monkeypatch.setattr(mkdocs_plugin, "index_site", spy)
    site = signed_project(project).build(tmp_path / "site")
    items = sorted(k for k in seen if k.startswith("item/"))
    assert items == [f"item/2026-{n:05d}/index.html" for n in (1, 2, 3)]
    doc = seen["item/2026-00001/index.html"]
    assert '<html lang="und">' in doc and "养护 护工 工程" in doc and "<nav" not in doc
    assert len(list((site / BUNDLE_DIR / "fragment").iterdir())) == len(seen)
    assert not list(tmp_path.glob(".site.search-*"))  # the documents Pagefind read are gone


def test_failed_pagefind_leaves_the_previous_site_and_no_search_pages(project, monkeypatch):
    from pathlib import Path

    from gongkai.adapters.builder import BuildFailed
    from gongkai.site import search

    signed_project(project)
    project.build()
    before = tree_bytes(project.root / "site")
    monkeypatch.setattr(search, "pagefind_executable", lambda: Path("/bin/false"))
    with pytest.raises(BuildFailed, match="Pagefind"):
        project.build()
    assert tree_bytes(project.root / "site") == before
    assert sorted(p.name for p in project.root.iterdir() if p.name.startswith(".site")) == []


def test_older_years_go_to_further_bundles(tmp_path):
    """Pagefind runs once per SHARD_PAGES pages, newest years in the main bundle (bounded memory)."""
    import json

    from gongkai.site.search import BUNDLE_DIR, SHARDS_FILE, SearchPages, index_site
    from gongkai.site.search_doc import search_document

    site = tmp_path / "site"
    site.mkdir()
    pages = SearchPages(site)
    for year, n in [("2026", 3), ("2025", 2), ("2024", 2), ("2023", 1)]:
        for k in range(n):
            index = {"title": f"{year}年第{k}号", "heading": [f"{year}年第{k}号"], "sort": [("date", f"{year}-01-01")]}
            pages.add(f"item/{year}-{k}/index.html", search_document(index, "<p>正文</p>"), year)
    assert pages.shards(4) == [["2026"], ["2025", "2024"], ["2023"]]
    assert pages.shards(4, 2) == [["2026"], ["2025"], ["2024"], ["2023"]]  # older bundles smaller
    from gongkai.site import search

    search.SHARD_PAGES, search.ARCHIVE_PAGES, old = 4, 4, (search.SHARD_PAGES, search.ARCHIVE_PAGES)
    try:
        index_site(site, pages)
    finally:
        search.SHARD_PAGES, search.ARCHIVE_PAGES = old
        pages.remove()
    shards = json.loads((site / BUNDLE_DIR / SHARDS_FILE).read_text(encoding="utf-8"))
    assert shards == {"archive": [{"path": "pagefind-2/", "from": "2024", "to": "2025"}, {"path": "pagefind-3/", "from": "2023", "to": "2023"}]}
    assert [len(list((site / b / "fragment").iterdir())) for b in ("pagefind", "pagefind-2", "pagefind-3")] == [3, 4, 1]
