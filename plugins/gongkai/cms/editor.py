"""`gongkai cms`: write the web editor (page, generated config, Decap bundle) into a folder of its own.

The folder is never inside the public site's output or the content; a marker file tells
folders this command wrote from folders it must not touch.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from gongkai.cms.decap_config import decap_config
from gongkai.core.catalog import Catalog
from gongkai.core.scaffold import next_index_number
from gongkai.site.templates import render

EDITOR_DIR = "cms"
MARKER = ".gongkai-cms"
BUNDLE_FILE = "decap-cms.js"
# Where `scripts/setup.sh` (--test or --cms) puts the pinned Decap bundle and decap-server:
# the project's .cache/cms/, or a copy of that folder named by $GONGKAI_CMS_HOME (offline machines).
CMS_CACHE = Path(".cache") / "cms"
CMS_HOME_ENV = "GONGKAI_CMS_HOME"
BUNDLE_IN_HOME = Path("decap-cms") / "package" / "dist"
SERVER_IN_HOME = Path("server") / "node_modules" / "decap-server" / "dist" / "index.js"
LOCAL_PORT = 8081


class EditorError(Exception):
    """A refusal or a missing piece, worded for the person at the keyboard."""


@dataclass
class EditorPaths:
    root: Path
    out: Path
    content_dir: str
    site_dir: Path


def cms_home(root: Path) -> Path:
    given = os.environ.get(CMS_HOME_ENV)
    return Path(given) if given else root / CMS_CACHE


def bundle_dir(root: Path) -> Path:
    """The folder holding decap-cms.js."""
    folder = cms_home(root) / BUNDLE_IN_HOME
    if not (folder / BUNDLE_FILE).is_file():
        raise EditorError(
            f"找不到 Decap CMS 程序文件 {folder / BUNDLE_FILE}。请运行 bash scripts/setup.sh --cms 安装；"
            f"无法联网的机器见 docs/cms.md“离线安装”（用环境变量 {CMS_HOME_ENV} 指定复制来的文件夹）"
        )
    return folder


def config_text(catalog: Catalog, paths: EditorPaths, port: int, today: date) -> str:
    """config.yml with the next free 索引号 as of now (the server regenerates it on every load)."""
    next_id = next_index_number(catalog, paths.root / paths.content_dir, paths.root, today.year)
    data = decap_config(catalog, paths.content_dir, next_id, f"http://127.0.0.1:{port}/api/v1")
    header = "# 由 gongkai cms 根据 catalog.yml 和条目字段规则生成，请勿手工修改；修改目录后重新运行 gongkai cms\n"
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def check_target(paths: EditorPaths) -> None:
    out = paths.out.resolve()
    for forbidden, what in ((paths.site_dir.resolve(), "网站输出目录"), ((paths.root / paths.content_dir).resolve(), "内容目录")):
        if out == forbidden or forbidden in out.parents or out in forbidden.parents:
            raise EditorError(f"编辑器目录 {paths.out} 不能放在{what} {forbidden} 里（也不能包含它）：编辑器不得进入公开网站。请用 --out 换一个目录")
    if out.exists() and not out.is_dir():
        raise EditorError(f"{paths.out} 是一个文件，不是文件夹；请用 --out 指定别的目录")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise EditorError(f"{paths.out} 已存在且不是 gongkai cms 创建的，为免覆盖他人文件，已停止。请用 --out 指定新的目录")


def write_editor(catalog: Catalog, paths: EditorPaths, bundle: Path, today: date, port: int = LOCAL_PORT) -> list[str]:
    """Write index.html, config.yml and the bundle; return the files written (relative)."""
    check_target(paths)
    out = paths.out
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("由 gongkai cms 创建；gongkai cms 会更新本文件夹。\n", encoding="utf-8")
    written = []
    for name in bundle_files(bundle):
        shutil.copy2(bundle / name, out / name)
        written.append(name)
    page = render("cms/index.html", site_name=catalog.site.get("name", ""), bundle=BUNDLE_FILE)
    (out / "index.html").write_text(page, encoding="utf-8")
    (out / "config.yml").write_text(config_text(catalog, paths, port, today), encoding="utf-8")
    return ["index.html", "config.yml", *written]


def bundle_files(bundle: Path) -> list[str]:
    """The entry script, its lazily loaded chunks and WebAssembly; no source maps, no second copy (cms.js)."""
    names = [p.name for p in bundle.iterdir() if p.is_file()]
    return sorted(n for n in names if n == BUNDLE_FILE or n.endswith(".decap-cms.js") or n.endswith(".wasm"))
