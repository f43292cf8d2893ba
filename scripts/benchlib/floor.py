"""The floor: the same pages built by bare MkDocs + Material (no plugin), then bare Pagefind.

write_floor_project() writes the site plan's page sources as plain Markdown files,
hard-links the attachments beside them and writes an mkdocs.yml with the same theme
settings, the same small navigation (home, columns, topics, search) and NO plugins.
The gongkai main.html override (one `data-pagefind-body` wrapper) is kept as a theme
custom_dir so that Pagefind indexes the same text in both builds; gongkai's other template
(the cached navigation, which needs the plugin) is not: the floor is plain Material.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import yaml

from gongkai.site.pages import plan_site
from gongkai.project import load_state

PACKAGE_DIR = Path(__import__("gongkai").__file__).parent


def write_floor_project(root: Path, floor: Path) -> Path:
    if floor.exists():
        shutil.rmtree(floor)
    docs = floor / "docs"
    docs.mkdir(parents=True)
    state = load_state(root)
    plan = plan_site(state)
    for page in plan.pages:
        target = docs / page.uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.source, encoding="utf-8")
    for copy in plan.files:
        target = docs / copy.uri
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(copy.source, target)
    shutil.copytree(PACKAGE_DIR / "assets", docs / "assets")
    (floor / "overrides").mkdir()
    shutil.copy(PACKAGE_DIR / "templates" / "main.html", floor / "overrides" / "main.html")  # the pagefind-body wrapper only
    ours = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config = {
        "site_name": state.catalog.site["name"],
        "site_url": ours.get("site_url"),
        "docs_dir": "docs",
        "use_directory_urls": True,
        "theme": {**ours["theme"], "custom_dir": "overrides"},
        "plugins": [],  # no gongkai, and not Material's default search either
        "markdown_extensions": ours.get("markdown_extensions", []),
        "extra_css": ["assets/gongkai/gongkai.css"],
        "extra_javascript": ["assets/gongkai/gongkai.js"],
        "extra": ours.get("extra", {}),
        "nav": plan.nav,
    }
    config_file = floor / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return config_file
