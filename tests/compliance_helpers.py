"""Fixtures for the compliance tests: a small project in a temporary folder, built from the real catalog."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import yaml

from gongkai.core.catalog import load_catalog
from gongkai.core.items import parse_item
from review_helpers import copy_roster, sign_in_process

REPO = Path(__file__).resolve().parents[1]
PREFIX = "11999900MB1234567Q"
TODAY = date(2026, 11, 25)


def make_project(tmp_path: Path, catalog_edits: dict[str, str] | None = None, search: bool = False) -> Path:
    root = tmp_path / "proj"
    (root / "content").mkdir(parents=True)
    text = (REPO / "catalog.yml").read_text(encoding="utf-8")
    for old, new in (catalog_edits or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    (root / "catalog.yml").write_text(text, encoding="utf-8")
    mk = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    if not search:
        mk = mk.replace("  - gongkai ", "  - gongkai:\n      search: false\n  # ")
    (root / "mkdocs.yml").write_text(mk, encoding="utf-8")
    copy_roster(root)
    return root


def write_item(root: Path, key: str, column: str, created: date, published: date, *, body: str = "正文内容。",
               sign: bool = True, decision: str = "同意公开", **meta) -> Path:
    """Write content/<column>/<key>.md and (by default) sign it as an authorised reviewer would."""
    front = {
        "id": f"{PREFIX}/{key}",
        "title": meta.pop("title", f"测试条目 {key}"),
        "catalog": column,
        "topics": meta.pop("topics", ["公路建设与养护"]),
        "created": created,
        "published": published,
        "disclosure": meta.pop("disclosure", "主动公开"),
        "validity": meta.pop("validity", "有效"),
        "summary": meta.pop("summary", "测试用的内容概述。"),
        "author": "测试撰稿人",
        **meta,
    }
    path = root / "content" / column / f"{key}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n\n" + body + "\n", encoding="utf-8")
    if sign:
        catalog = load_catalog(root / "catalog.yml", root)
        sign_in_process(parse_item(path, root), catalog, "周立衡", decision, published)
    return path


def write_register(root: Path, year: int, text: str) -> Path:
    path = root / "requests" / f"{year}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def copy_sample(tmp_path: Path) -> Path:
    """The repository's own sample project (content, register, annual data), to build in isolation."""
    root = make_project(tmp_path)
    shutil.rmtree(root / "content")
    for name in ("content", "requests", "annual"):
        shutil.copytree(REPO / name, root / name)
    return root
