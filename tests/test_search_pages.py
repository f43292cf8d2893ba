"""Pagefind reads only the indexed part of each item page (site/search.py SearchPages):
the same index as Pagefind over the written site, and nothing left behind on failure."""
from __future__ import annotations

import subprocess

import pytest

from conftest import base_meta
from review_helpers import tree_bytes


def signed_project(project, count: int = 3):
    for seq in range(1, count + 1):
        path = project.write(f"gzdt/2026-{seq:05d}.md", base_meta(seq), f"第{seq}条正文，养护工程三公经费。\n")
        project.sign(path)
    return project


def test_indexed_part_keeps_every_pagefind_attribute():
    from gongkai.site.search import indexed_part

    page = '<html lang="zh"><head><title>t</title></head><body><nav>导航</nav><main><article data-pagefind-body><p>正文</p></article></main><footer>页脚</footer></body></html>'
    part = indexed_part(page)
    assert part.startswith('<html lang="zh"><head><title>t</title></head><body><article data-pagefind-body>')
    assert "导航" not in part and "页脚" not in part and "<p>正文</p>" in part
    outside = page.replace("<footer>", '<footer><span data-pagefind-filter="年份">2026</span>')
    assert indexed_part(outside) == outside  # a filter outside the body element: the whole page
    plain = "<html><body><p>没有 data-pagefind-body 的页面</p></body></html>"
    assert indexed_part(plain) == plain


def test_search_pages_give_the_same_fragments_as_pagefind_over_the_site(project, tmp_path):
    from gongkai.adapters.reproducible import canonical_bundle
    from gongkai.site.search import BUNDLE_DIR, pagefind_executable

    site = signed_project(project).build(tmp_path / "site")
    cli = tmp_path / "cli"
    subprocess.run([str(pagefind_executable()), "--site", str(site), "--output-path", str(cli)], check=True, capture_output=True)
    canonical_bundle(cli)  # the build's bundle is renumbered and sorted too (adapters/reproducible.py)
    built = sorted(p.name for p in (site / BUNDLE_DIR / "fragment").iterdir())
    assert len(built) == 3
    assert built == sorted(p.name for p in (cli / "fragment").iterdir())  # fragment names are content hashes
    assert sorted(p.name for p in (site / BUNDLE_DIR / "index").iterdir()) == sorted(p.name for p in (cli / "index").iterdir())
    assert not list(tmp_path.glob(".site.search-*"))  # the pages Pagefind read are gone


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
