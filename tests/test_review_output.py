"""Leak-proof, atomic and reproducible output.

Canaries: unique tokens in everything that must not be published (unsigned,
stale, 不予公开, scheduled, self-reviewed and sensitive items, their titles,
summaries, keywords, slugs, attachments and file names, stray files). After a
build none may appear anywhere in the output tree: HTML, sitemap, 404 page,
JSON, and the Pagefind index and fragments (gzip, decompressed here).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from review_helpers import edit_catalog, gongkai, make_project, sign, tree_bytes, tree_texts, write_item

def canary(kind: str, part: str) -> str:
    return f"zqxcanary{kind}{part}"


def write_canary(root: Path, n: int, kind: str, **meta) -> Path:
    folder = root / "content" / "gzdt" / canary(kind, "dir")
    folder.mkdir(parents=True)
    attachment = f"{canary(kind, 'file')}.csv"
    (folder / attachment).write_text(f"列,值\n{canary(kind, 'attach')},1\n", encoding="utf-8")
    return write_item(
        root, f"2026-0055{n}", f"{canary(kind, 'title')} 不应公开的标题", body=f"正文 {canary(kind, 'body')}。",
        folder=f"gzdt/{canary(kind, 'dir')}", stem=canary(kind, "name"), summary=f"概述 {canary(kind, 'summary')}",
        keywords=[canary(kind, "kw")], slug=canary(kind, "slug"), attachments=[{"file": attachment, "title": canary(kind, "attachtitle")}], **meta,
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("canary"))
    folder = root / "content" / "gzdt"
    folder.mkdir(parents=True)
    (folder / "visible.csv").write_text("列,值\nzqxvisibleattach,1\n", encoding="utf-8")
    sign(root, write_item(root, "2026-00550", "公开的条目 zqxvisibletitle", body="正文 zqxvisiblebody 公路养护。", attachments=[{"file": "visible.csv", "title": "明细"}]))
    write_canary(root, 1, "unsigned")
    # published items that point at withheld ones must not reveal their titles
    sign(root, write_item(root, "2026-00557", "政策解读 zqxvisibleinterp", column="zcjd", interprets="11999900MB1234567Q/2026-00551"))
    stale = write_canary(root, 2, "stale")
    sign(root, write_item(root, "2026-00558", "旧文件 zqxvisiblerepealed", validity="已废止", replaced_by="11999900MB1234567Q/2026-00552"))
    sign(root, stale)
    stale.write_text(stale.read_text(encoding="utf-8").replace("正文", "改过的正文"), encoding="utf-8")
    sign(root, write_canary(root, 3, "withhold", disclosure="不予公开"), decision="不予公开")
    sign(root, write_canary(root, 4, "scheduled", published="2026-12-31"))
    author = write_canary(root, 5, "author", author="林书雅")
    sign(root, author, reviewer="周立衡")
    author.write_text(author.read_text(encoding="utf-8").replace("reviewer: 周立衡", "reviewer: 林书雅"), encoding="utf-8")
    (root / "content" / "zqxcanarystray.txt").write_text("zqxcanarystraytext", encoding="utf-8")
    result = gongkai(root, "build")
    assert result.returncode == 0, result.stderr
    return root


def leaks(site: Path) -> list[str]:
    found = []
    for path, text in tree_texts(site):
        rel = path.relative_to(site).as_posix()
        if "zqxcanary" in rel or "zqxcanary" in text:
            found.append(rel)
    return found


def test_visible_item_is_found_everywhere_a_canary_is_looked_for(project):
    # positive control: the search below does see HTML, attachments and decompressed Pagefind data
    site = project / "site"
    texts = dict((p.relative_to(site).as_posix(), t) for p, t in tree_texts(site))
    assert any(k.startswith("item/") and "zqxvisiblebody" in t for k, t in texts.items())
    assert any(k.startswith("pagefind/fragment/") and "zqxvisiblebody" in t for k, t in texts.items())
    assert any(k.startswith("pagefind/index/") and "zqxvisiblebody" in t for k, t in texts.items())
    assert any(k.endswith("visible.csv") and "zqxvisibleattach" in t for k, t in texts.items())
    assert "sitemap.xml" in texts and "404.html" in texts
    assert "zqxvisibleinterp" in texts["item/2026-00557/index.html"] and "zqxvisiblerepealed" in texts["item/2026-00558/index.html"]


def test_no_canary_anywhere_in_the_output(project):
    assert leaks(project / "site") == []


def test_every_canary_item_was_withheld_for_its_own_reason(project):
    import json

    report = json.loads(gongkai(project, "check", "--json").stdout)
    codes = {w["id"][-2:]: {r["code"] for r in w["reasons"]} for w in report["withheld"]}
    assert {"unsigned"} <= codes["51"] and {"stale"} <= codes["52"] and {"not_proactive", "not_approved"} <= codes["53"]
    # 55: 周立衡 signed, then the block was rewritten to name the author: the key is not hers either
    assert codes["54"] == {"scheduled"} and codes["55"] == {"reviewer_is_author", "key_not_in_roster"}
    assert report["published"] == 3


def test_sensitive_hit_in_a_signed_item_fails_strict_and_is_withheld_otherwise(project, tmp_path):
    import json
    import shutil
    import subprocess

    root = tmp_path / "p"
    shutil.copytree(project, root)
    sensitive = write_canary(root, 6, "sensitive")
    sensitive.write_text(sensitive.read_text(encoding="utf-8") + "\nzqxmarkword\n", encoding="utf-8")
    sign(root, sensitive)  # signed, then the bureau lists a mark that this item carries
    edit_catalog(root, lambda d: d["sensitive"]["marks"].append("zqxmarkword"))
    assert gongkai(root, "build").returncode == 1  # strict: refuses
    report = json.loads(gongkai(root, "check", "--json").stdout)
    assert "sensitive" in {r["code"] for w in report["withheld"] if w["id"].endswith("56") for r in w["reasons"]}
    mkdocs = Path(os.sys.executable).with_name("mkdocs")
    env = {**os.environ, "GONGKAI_BUILD_DATE": "2026-11-25"}
    plain = subprocess.run([str(mkdocs), "build", "-f", str(root / "mkdocs.yml")], capture_output=True, text=True, env=env)
    assert plain.returncode == 0, plain.stderr  # not strict: builds, the gate withholds
    assert "zqxvisiblebody" in (root / "site" / "item" / "2026-00550" / "index.html").read_text(encoding="utf-8")
    assert leaks(root / "site") == []


def test_serve_style_build_leaks_nothing(project, tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_BUILD_DATE", "2026-11-25")
    site = tmp_path / "served"
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        mkdocs_build(config, serve_url="http://127.0.0.1:8000/")
    finally:
        config.plugins.on_shutdown()
    assert (site / "index.html").is_file()
    assert leaks(site) == []


def test_failed_build_leaves_the_previous_site_byte_identical(project, tmp_path):
    import shutil

    root = tmp_path / "p"
    shutil.copytree(project, root)
    before = tree_bytes(root / "site")
    bad = write_item(root, "2026-00559", "坏条目", published="2026-02-30")
    result = gongkai(root, "build")
    assert result.returncode == 1 and "原有网站未被改动" in result.stderr
    assert tree_bytes(root / "site") == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == []  # no staging left behind
    # plain `mkdocs build --strict` stops in on_config, before MkDocs cleans the site directory
    mkdocs = Path(os.sys.executable).with_name("mkdocs")
    import subprocess

    env = {**os.environ, "GONGKAI_BUILD_DATE": "2026-11-25"}
    plain = subprocess.run([str(mkdocs), "build", "--strict", "-f", str(root / "mkdocs.yml")], capture_output=True, text=True, env=env)
    assert plain.returncode == 1
    assert tree_bytes(root / "site") == before
    bad.unlink()


def test_failed_search_indexing_leaves_the_previous_site(project, tmp_path, monkeypatch):
    import shutil

    from gongkai.adapters import mkdocs_plugin
    from gongkai.adapters.builder import BuildFailed, build_site
    from gongkai.site.search import SearchIndexError

    root = tmp_path / "p"
    shutil.copytree(project, root)
    before = tree_bytes(root / "site")
    monkeypatch.setenv("GONGKAI_BUILD_DATE", "2026-11-25")

    def broken(site_dir, pages=None):
        raise SearchIndexError("模拟 Pagefind 失败")

    monkeypatch.setattr(mkdocs_plugin, "index_site", broken)
    with pytest.raises(BuildFailed):
        build_site(root)
    assert tree_bytes(root / "site") == before


# Pagefind's bundle is not byte-reproducible: pagefind 1.5.2 writes filters from a
# Rust HashMap, so filter order inside pf_meta (and so its hashed file name, the
# entry JSON and the filter chunks) varies between runs. The pages themselves,
# the indexed fragments and the word index are identical.
PAGEFIND_VARIES = ("pagefind/pagefind-entry.json", "pagefind/pagefind.", "pagefind/filter/")


def test_two_builds_of_the_same_content_are_identical(project, tmp_path):
    import shutil

    env = {"SOURCE_DATE_EPOCH": ""}  # derived from GONGKAI_BUILD_DATE
    copy = tmp_path / "elsewhere" / "checkout"
    shutil.copytree(project, copy)  # a second checkout at another path
    sites = []
    for n, root in enumerate([project, copy]):
        site = tmp_path / f"s{n}"
        assert gongkai(root, "build", "--site-dir", str(site), env=env).returncode == 0
        sites.append({k: v for k, v in tree_bytes(site).items() if not k.startswith(PAGEFIND_VARIES)})
    a, b = sites
    assert sorted(a) == sorted(b)
    assert [k for k in a if a[k] != b[k]] == []
    assert any(k.startswith("pagefind/fragment/") for k in a)
    assert b"<lastmod>2026-11-25</lastmod>" in a["sitemap.xml"]
