"""Full MkDocs builds of throwaway projects: what reaches the output, and what never does."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import REPO, all_output_text, base_meta


@pytest.fixture
def built(project):
    """A project with one published item (with attachment) and several withheld ones."""
    ok = project.write("gzdt/ok.md", base_meta(1, title="农村公路养护工程进展"), "全市农村公路养护工程按计划推进。\n",
                       files={"ok-附件.txt": b"public attachment"})
    text = ok.read_text(encoding="utf-8").replace("author:", "attachments:\n- file: ok-附件.txt\n  title: 公开附件\nauthor:")
    ok.write_text(text, encoding="utf-8")
    project.sign(ok)
    # Unsigned, with a canary in title, body, file name and attachment.
    unsigned = project.write("gzdt/CANARYFILE-unsigned.md",
                             base_meta(2, title="CANARY-TITLE-1 未签署", attachments=[{"file": "CANARY-ATTFILE.txt", "title": "CANARY-ATTTITLE"}]),
                             "CANARY-BODY-1 不应出现。\n", files={"CANARY-ATTFILE.txt": b"CANARY-ATTBYTES-1"})
    # Signed then edited.
    stale = project.write("gzdt/stale.md", base_meta(3, title="CANARY-TITLE-2 签后改动"), "原文。\n")
    project.sign(stale)
    stale.write_text(stale.read_text(encoding="utf-8").replace("原文。", "CANARY-BODY-2 改动后。"), encoding="utf-8")
    # Not for proactive disclosure.
    secret = project.write("tzgg/secret.md", base_meta(4, catalog="tzgg", title="CANARY-TITLE-3 不予公开", disclosure="不予公开"), "CANARY-BODY-3\n")
    project.sign(secret, decision="不予公开")
    # A stray file in content/ that no item references.
    (project.root / "content" / "CANARY-STRAY.pdf").write_bytes(b"CANARY-STRAYBYTES")
    assert unsigned.exists()
    return project.build()


def test_canaries_never_reach_the_output(built):
    text = all_output_text(built)
    for canary in ["CANARY-TITLE-1", "CANARY-BODY-1", "CANARYFILE", "CANARY-ATTFILE", "CANARY-ATTTITLE", "CANARY-ATTBYTES-1",
                   "CANARY-TITLE-2", "CANARY-BODY-2", "CANARY-TITLE-3", "CANARY-BODY-3", "CANARY-STRAY"]:
        assert canary not in text, f"{canary} leaked into the site"


def test_published_item_page_and_attachment(built):
    page = (built / "item" / "2026-00001" / "index.html").read_text(encoding="utf-8")
    assert "农村公路养护工程进展" in page
    for label in ["索引号", "发布机构", "文号", "生成日期", "发布日期", "有效性", "主题分类"]:
        assert f'<th scope="row">{label}</th>' in page
    text = re.sub(r"<[^>]+>", "", page)  # the 索引号 breaks only at its slash (<wbr>), so compare the text
    assert "11999900MB1234567Q/2026-00001" in text and "江澜市交通运输局" in page
    assert (built / "item" / "2026-00001" / "ok-附件.txt").read_bytes() == b"public attachment"
    assert 'href="ok-附件.txt"' in page and "data-pagefind-body" in page
    assert sorted(p.name for p in (built / "item").iterdir()) == ["2026-00001"]


def test_items_stay_out_of_the_nav_but_reach_column_and_topic_pages(built):
    home = (built / "index.html").read_text(encoding="utf-8")
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>', home, re.S).group(0)
    assert "item/2026-00001" not in nav
    assert "工作动态" in nav and "主题分类" in nav
    column = (built / "column" / "gzdt" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../item/2026-00001/"' in column
    topic = (built / "topic" / "gonglu" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../item/2026-00001/"' in topic


def test_only_item_pages_are_indexed_with_filters(built):
    import gzip

    from gongkai.site.search import BUNDLE_DIR
    from gongkai.site.search_doc import FORCE_LANGUAGE

    entry = (built / BUNDLE_DIR / "pagefind-entry.json").read_text(encoding="utf-8")
    assert f'"{FORCE_LANGUAGE}"' in entry  # one language index, read without segmentation (site/search_doc.py)
    fragments = [gzip.decompress(p.read_bytes()).decode("utf-8", "replace") for p in (built / BUNDLE_DIR / "fragment").iterdir()]
    item = [f for f in fragments if "/item/2026-00001/" in f]
    assert len(item) == 1 and '"栏目":["工作动态"]' in item[0] and '"年份":["2026"]' in item[0]
    page = (built / "item" / "2026-00001" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-filter" not in page  # filters live in the search document, not the page
    home = (built / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in home


def test_no_request_to_outside_hosts(built):
    for page in built.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html):
            if re.search(r'rel="(?:canonical|alternate)"', tag):
                continue  # names a URL, loads nothing
            assert not re.search(r'(?:src|href)="(?:https?:)?//', tag), f"{page}: {tag}"


def test_sitemap_lists_only_published_items(built):
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    items = re.findall(r"/item/([^/]+)/", sitemap)
    assert items == ["2026-00001"]


def test_invalid_item_fails_the_build_and_keeps_the_old_site(project):
    from gongkai.adapters.builder import BuildFailed

    path = project.write("gzdt/a.md", base_meta(1))
    project.sign(path)
    site = project.build()
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    project.write("gzdt/b.md", base_meta(2, validity="失效"))
    with pytest.raises(BuildFailed, match="1 处错误"):
        project.build()
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert before == after
    assert [p.name for p in project.root.iterdir() if p.name.startswith(".site")] == []


def test_plain_mkdocs_build_strict_fails_on_errors(project):
    project.write("gzdt/b.md", base_meta(2, validity="失效"))
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project.root, capture_output=True, text=True)
    assert result.returncode != 0
    assert "content/gzdt/b.md" in result.stderr and "validity" in result.stderr


def test_core_does_not_import_mkdocs():
    """Everything but the adapters runs without MkDocs: a different renderer replaces adapters/ only."""
    package = REPO / "plugins" / "gongkai"
    modules = sorted(
        "gongkai." + ".".join(path.relative_to(package).with_suffix("").parts).removesuffix(".__init__")
        for path in package.rglob("*.py")
        if path.relative_to(package).parts[0] != "adapters"
    )
    assert "gongkai.core.items" in modules and "gongkai.cli.main" in modules
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + "print('mkdocs' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_a_build_after_a_preview_in_the_same_process_publishes_only_signed_items(project):
    """MkDocs keeps one plugin instance per process; what the preview set on it must not reach a build."""
    from gongkai.adapters.preview import PreviewSite

    project.sign(project.write("gzdt/a.md", base_meta(1)))
    project.write("gzdt/b.md", base_meta(2, title="zqxpreviewdraft 未签署"))
    preview = PreviewSite(project.root, project.root / "preview")
    assert preview.render("item/2026-00002/index.md")  # the preview shows the draft
    assert "zqxpreviewdraft" in (project.root / "preview" / "item/2026-00002/index.html").read_text(encoding="utf-8")
    site = project.build()
    assert "zqxpreviewdraft" not in all_output_text(site)
