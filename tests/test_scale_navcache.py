"""Reusing the navigation HTML of pages outside the navigation (item pages, lists' later pages) and the
other page-independent blocks of item pages (templates/main.html `once`) changes no byte of the built site."""
from __future__ import annotations

import shutil

from gongkai.adapters import mkdocs_plugin
from gongkai.adapters.builder import build_site

from scale_helpers import generate


def html_files(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}


def test_cached_navigation_is_byte_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_BUILD_DATE", "2026-11-25")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795600000")
    root = tmp_path / "b"
    generate(root, 40, seed=11)
    catalog = root / "catalog.yml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("list_page_size: 50", "list_page_size: 2"), encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - gongkai ", "  - gongkai:\n      search: false\n  #"), encoding="utf-8")
    cached = html_files(build_site(root, tmp_path / "cached"))

    original = mkdocs_plugin.GongkaiPlugin.on_env

    def without_cache(self, env, config, files):
        env = original(self, env, config, files)
        del env.globals["gongkai_nav_cache"]  # the templates then render the navigation and the blocks every time
        return env

    monkeypatch.setattr(mkdocs_plugin.GongkaiPlugin, "on_env", without_cache)
    plain = html_files(build_site(root, tmp_path / "plain"))
    items = [k for k in plain if k.startswith("item/")]
    assert len(items) > 30
    assert len([k for k in plain if "/page/" in k]) > 20  # lists' later pages, in several folders
    assert cached == plain
    shutil.rmtree(tmp_path / "cached")
