"""Search indexing while MkDocs renders (site/search.py LiveIndex): the same index as
Pagefind over the written site, and a Pagefind failure mid-build fails the build."""
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


def test_live_index_writes_the_same_fragments_as_pagefind_over_the_site(project, tmp_path):
    from gongkai.site.search import BUNDLE_DIR, pagefind_executable

    site = signed_project(project).build(tmp_path / "site")
    cli = tmp_path / "cli"
    subprocess.run([str(pagefind_executable()), "--site", str(site), "--output-path", str(cli)], check=True, capture_output=True)
    live = sorted(p.name for p in (site / BUNDLE_DIR / "fragment").iterdir())
    assert len(live) == 3
    assert live == sorted(p.name for p in (cli / "fragment").iterdir())  # fragment names are content hashes


def test_pagefind_dying_mid_build_fails_the_build_and_keeps_the_previous_site(project, monkeypatch):
    from gongkai.adapters.builder import BuildFailed
    from gongkai.site.search import LiveIndex

    signed_project(project)
    project.build()
    before = tree_bytes(project.root / "site")
    real_add = LiveIndex.add

    def add_after_crash(self, path, html):
        self._process.kill()
        self._process.wait()
        real_add(self, path, html)

    monkeypatch.setattr(LiveIndex, "add", add_after_crash)
    with pytest.raises(BuildFailed, match="Pagefind"):
        project.build()
    assert tree_bytes(project.root / "site") == before
    assert not list(project.root.glob(".site.building-*"))
