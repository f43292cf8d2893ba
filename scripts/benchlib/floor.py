"""The floors the build is timed against: bare MkDocs + Material (no plugin), then bare Pagefind.

Two floors, written as plain MkDocs projects with the same theme settings, the same small
navigation (home, columns, topics, search) and NO plugins:

- the fair floor (write_fair_floor, issue 14): what a site of these items costs at the least.
  One Markdown page per published item with only its title and the editor's body, at the
  item's own URL; the navigation's pages are one-line stubs; no generated list pages and no
  hidden one-character-per-word search copy. The gongkai build must not be slower than this.
- the product floor (write_product_floor, issue 6): the gongkai site plan's own page sources
  (list pages and the hidden search copy included) built bare. It only shows what MkDocs and
  Pagefind cost on the product's pages; it hides what those pages cost, so it is no target.

Both use a main.html override with only the product's `data-pagefind-body` wrapper on item
pages (FLOOR_MAIN), so that Pagefind indexes item pages only, as in the real build; gongkai's
templates themselves (CSP and metadata partials, cached navigation) need the plugin and are not used.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import yaml

from gongkai.core.urls import item_dir
from gongkai.project import load_state
from gongkai.site.pages import plan_site

PACKAGE_DIR = Path(__import__("gongkai").__file__).parent


def write_fair_floor(root: Path, floor: Path) -> Path:
    """Each published item's title and body at its own URL, stub navigation pages; return mkdocs.yml."""
    state = load_state(root)
    plan = plan_site(state)
    docs = _fresh_docs(floor)
    for title, uri in _nav_pages(plan.nav):
        _write(docs / uri, f"# {title}\n")
    for item in state.published:
        front = yaml.safe_dump({"gongkai_item": item.id}, allow_unicode=True)  # main.html wraps it for Pagefind
        _write(docs / item_dir(item) / "index.md", f"---\n{front}---\n\n# {item.title}\n\n{item.body}")
    _link_attachments(plan, docs)
    return _write_config(root, floor, state, plan.nav)


def write_product_floor(root: Path, floor: Path) -> Path:
    """Every planned page (list pages and search copy included) as one Markdown source: its template's
    HTML with the editor's Markdown in place (Page.body), as pages were handed to MkDocs before issue 14;
    return mkdocs.yml."""
    state = load_state(root)
    plan = plan_site(state)
    docs = _fresh_docs(floor)
    for page in plan.pages:
        front = yaml.safe_dump({"title": page.title, **page.meta}, allow_unicode=True)
        _write(docs / page.uri, f"---\n{front}---\n\n{page.body}")
    _link_attachments(plan, docs)
    return _write_config(root, floor, state, plan.nav)


def _fresh_docs(floor: Path) -> Path:
    if floor.exists():
        shutil.rmtree(floor)
    docs = floor / "docs"
    docs.mkdir(parents=True)
    shutil.copytree(PACKAGE_DIR / "assets", docs / "assets")
    (floor / "overrides").mkdir()
    (floor / "overrides" / "main.html").write_text(FLOOR_MAIN, encoding="utf-8")
    return docs


# Only the product main.html's data-pagefind-body wrapper: the product's template now includes
# partials (CSP, site metadata) that need the plugin, and a floor has no plugin.
FLOOR_MAIN = """{% extends "base.html" %}
{% block content %}
  {% if page.meta and page.meta.gongkai_item %}
  <article data-pagefind-body>
    {{ super() }}
  </article>
  {% else %}
    {{ super() }}
  {% endif %}
{% endblock %}
"""


def _write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def _link_attachments(plan, docs: Path) -> None:
    """The items' attachments beside their pages (hard links), so item links resolve in both floors."""
    for copy in plan.files:
        target = docs / copy.uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            os.link(copy.source, target)


def _nav_pages(nav) -> list[tuple[str, str]]:
    """(title, uri) of every page the navigation names; a section's first entry is its own page."""
    pages = []
    for entry in nav:
        for title, value in entry.items() if isinstance(entry, dict) else [("", entry)]:
            if isinstance(value, str):
                pages.append((title, value))
            else:
                pages += [(title, value[0])] if isinstance(value[0], str) else []
                pages += _nav_pages(value[1:] if isinstance(value[0], str) else value)
    return pages


def _write_config(root: Path, floor: Path, state, nav) -> Path:
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
        "nav": nav,
    }
    config_file = floor / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return config_file
