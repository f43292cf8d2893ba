"""Where a build may write its site, and the staging folders it leaves beside it.

The output folder is replaced whole, so it must never be anything but a site an
earlier build made: not the repository or a folder of it, not a folder holding
a tracked file, not a non-empty folder without the marker every site carries.
Staging folders carry their own marker (core/staging.py) so that a later build
removes the ones a killed build left, and never another build's.
"""
from __future__ import annotations

import errno
import shutil
from pathlib import Path

from gongkai.core.staging import marked_folder, remove_stale
from gongkai.project import CATALOG_FILE
from gongkai.review.history import git

SITE_MARKER = ".gongkai-site"  # in every site a build made
SITE_MARKER_TEXT = "此文件夹是 gongkai 生成的网站，每次构建整体替换；请勿在此存放其他文件。\n"
LEGACY_SITE_FILES = ("index.html", "sitemap.xml", "assets/gongkai/gongkai.css", "pagefind/pagefind-entry.json")
STAGING_INFIX = ".building-"
# Folders of a project that hold sources (besides content/ and the configured ones).
SOURCE_NAMES = (CATALOG_FILE, "mkdocs.yml", ".git", "plugins", "requests", "annual", "reports", "scripts", "tests", "docs")


_WHY_NOT = {
    errno.EACCES: "没有写权限", errno.EPERM: "没有写权限", errno.EROFS: "只读的文件系统",
    errno.EEXIST: "路径中有同名的文件", errno.ENOTDIR: "路径中有同名的文件", errno.ENOENT: "上级路径不存在",
    errno.ENOSPC: "磁盘已满", errno.ENAMETOOLONG: "路径太长",
}


class SiteDirError(Exception):
    pass


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_site_dir(root: Path, target: Path, docs_dir: Path, option: str) -> Path:
    """The resolved target if a build may replace it; SiteDirError (Chinese, naming the option) if not."""
    root, target, docs_dir = root.resolve(), target.resolve(), docs_dir.resolve()
    fix = f"请把 {option} 设为项目之外或项目中专用于网站的文件夹（默认 site）"
    if _inside(root, target):
        raise SiteDirError(f"{option} 指向 {target}，它包含整个项目（{root}）；生成网站会替换并删除项目文件。{fix}")
    if target.exists() and not target.is_dir():
        raise SiteDirError(f"{option} 指向 {target}，它是一个文件，不是文件夹。{fix}")
    sources = [docs_dir, *(root / name for name in SOURCE_NAMES)]
    for source in sources:
        if _inside(source, target) and source.exists():
            shown = source.relative_to(root).as_posix() if _inside(source, root) else source
            raise SiteDirError(f"{option} 指向 {target}，它包含项目的源文件 {shown}；生成网站会删除它们。{fix}")
    for source in (docs_dir, *(p for p in target.parents if p.name == ".git")):
        if _inside(target, source):
            raise SiteDirError(f"{option} 指向 {target}，它在源文件夹 {source} 之内。{fix}")
    tracked = _tracked_files(target)
    if tracked:
        names = "、".join(tracked[:3]) + ("……" if len(tracked) > 3 else "")
        raise SiteDirError(f"{option} 指向 {target}，其中有 {len(tracked)} 个 git 跟踪的文件（{names}）；生成网站会删除它们。{fix}")
    if target.is_dir() and not _made_by_a_build(target) and any(target.iterdir()):
        raise SiteDirError(
            f"{option} 指向 {target}，这个文件夹不是空的，也不是 gongkai 生成的网站（没有 {SITE_MARKER} 标记）；"
            f"生成网站会删除其中所有文件。{fix}；确要使用它，请先清空或删除这个文件夹"
        )
    return target


def _made_by_a_build(folder: Path) -> bool:
    """The marker, or (sites built before there was one) gongkai's own files at the top."""
    return (folder / SITE_MARKER).is_file() or all((folder / name).is_file() for name in LEGACY_SITE_FILES)


def _tracked_files(target: Path) -> list[str]:
    """Files git tracks under target (none when target is not in a git work tree)."""
    if not target.is_dir() or shutil.which("git") is None:
        return []
    listed = git(target, "ls-files", "-z")
    return [name for name in listed.stdout.split("\0") if name] if listed.returncode == 0 else []


def os_reason(exc: OSError) -> str:
    """Why the file system said no, in Chinese where we know the words."""
    return _WHY_NOT.get(exc.errno, exc.strerror or str(exc))


def mark_site(site: Path) -> None:
    (site / SITE_MARKER).write_text(SITE_MARKER_TEXT, encoding="utf-8")


def make_staging(target: Path, option: str) -> Path:
    """A fresh, marked staging folder beside target (created with its parents)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return marked_folder(target.parent, f".{target.name}{STAGING_INFIX}")
    except OSError as exc:
        reason = os_reason(exc)
        raise SiteDirError(f"{option} 指向 {target}，无法在 {target.parent} 创建文件夹：{reason}；请换一个可以写入的路径") from None


def remove_stale_staging(target: Path) -> list[Path]:
    """Remove the staging folders for target that a killed build left; return them."""
    return remove_stale(target.parent, f".{target.name}{STAGING_INFIX}")
