"""The portal's pages as files (issue 13): the W3C Nu checker on every page type, the 404 page under
a sub-path, and the portal data that comes from catalog.yml."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from conftest import REPO

PAGE_TYPES = [
    "index.html", "column/fdzdgk/index.html", "column/gljy/index.html", "column/gzdt/year/2025/index.html",
    "topic/index.html", "topic/gonglu/index.html", "item/2026-00700/index.html", "item/2026-00012/index.html",
    "search/index.html", "sitemap/index.html", "column/ysqgk/zhinan/index.html", "column/ysqgk/mulu/index.html",
    "column/ysqgk/shenqing/index.html", "column/nianbao/index.html", "column/nianbao/2025/index.html", "404.html",
]


def vnu_jar() -> Path:
    """The pinned Nu checker that scripts/setup.sh --test installs from npm (vnu-jar)."""
    jar = REPO / ".cache" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    assert jar.is_file(), "vnu.jar is missing: run bash scripts/setup.sh --test"
    return jar


def test_nu_checker_finds_no_errors_on_any_page_type(sample_site):
    assert shutil.which("java"), "Java is missing: run bash scripts/setup.sh --test"
    pages = [str(sample_site / p) for p in PAGE_TYPES]
    run = subprocess.run(["java", "-jar", str(vnu_jar()), "--errors-only", "--format", "gnu", *pages], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and run.stderr.strip() == "", run.stderr[:4000]


def test_404_page_follows_a_sub_path_site_url(tmp_path, monkeypatch):
    from gongkai.adapters.builder import build_site
    from public_helpers import copy_sample_project

    monkeypatch.setenv("GONGKAI_BUILD_DATE", "2026-11-25")
    root = copy_sample_project(tmp_path / "project")
    config = root / "mkdocs.yml"
    config.write_text(re.sub(r"(?m)^site_url: .*$", "site_url: https://www.jianglan.example/jiaotong/", config.read_text(encoding="utf-8")), encoding="utf-8")
    site = build_site(root, root / "site")
    text = (site / "404.html").read_text(encoding="utf-8")
    urls = re.findall(r'(?:href|src|action)="([^"#]+)"', text)
    local = [u for u in urls if not u.startswith("https://")]
    assert local and all(u.startswith("/jiaotong/") for u in local), [u for u in local if not u.startswith("/jiaotong/")]
    for url in local:  # every file the 404 page loads exists under the sub-path
        path = url.removeprefix("/jiaotong/").split("?")[0]
        assert (site / path).exists() or (site / path / "index.html").exists(), url


def test_guide_links_the_application_form_attachment(sample_site):
    text = (sample_site / "column/ysqgk/zhinan/index.html").read_text(encoding="utf-8")
    href = re.search(r'<a href="([^"]+\.docx)" download>下载政府信息公开申请表', text).group(1)
    assert (sample_site / "column/ysqgk/zhinan" / href).resolve().is_file()
    assert 'href="../shenqing/">网上填写申请表</a>' in text


def test_footer_and_header_come_from_the_catalog(sample_site):
    import yaml

    site = yaml.safe_load((REPO / "catalog.yml").read_text(encoding="utf-8"))["site"]
    text = (sample_site / "index.html").read_text(encoding="utf-8")
    assert f'href="{site["icp_url"]}">{site["icp"]}</a>' in text
    assert f'href="{site["error_report_url"]}">我为政府网站找错</a>' in text.replace("&amp;", "&")
    assert (sample_site / site["emblem"]).is_file() and (sample_site / site["dzjg"]["image"]).is_file()
    assert "topic/gonglu/" not in re.search(r'<a href="([^"]*)"[^>]*>\s*<span class="md-ellipsis">\s*主题分类', text).group(1)


def test_every_page_type_has_its_own_title_and_the_site_name_once(sample_site):
    """A browser tab and a search engine show "页面 - 网站"; the home page shows the site's name alone."""
    import yaml

    site_name = yaml.safe_load((REPO / "catalog.yml").read_text(encoding="utf-8"))["site"]["name"]
    titles = {}
    for page in PAGE_TYPES:
        text = (sample_site / page).read_text(encoding="utf-8")
        titles[page] = re.findall(r"<title>([^<]*)</title>", text)
        assert len(titles[page]) == 1, (page, titles[page])
        assert titles[page][0].count(site_name) == 1, (page, titles[page])
    assert titles["index.html"] == [site_name]
    others = [title for page, (title,) in titles.items() if page != "index.html"]
    assert all(title.endswith(f" - {site_name}") for title in others), others
    assert len(set(others)) == len(others), others  # each page type is told apart by its title
