"""Building and previewing the site through MkDocs, with an atomic swap.

The site is built into a fresh, marked staging folder beside the target and only
replaces the published site when the whole build (pages and search index) succeeded;
the target must be one a build may replace (adapters/site_dir.py).
"""
from __future__ import annotations

import logging
import shutil
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from gongkai.adapters.config_guard import missing_plugin, refused_before_loading
from gongkai.project import CONTENT_DIR as CONTENT_FOLDER
from gongkai.adapters.site_dir import SiteDirError, check_site_dir, make_staging, os_reason, remove_stale_staging


class BuildFailed(Exception):
    pass


class _ErrorCollector(logging.Handler):
    """Keeps MkDocs' error messages so a failed build says why, not just 'Aborted'."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def build_site(root: Path, site_dir: Path | None = None) -> Path:
    """Build into a marked staging folder beside the target; swap it in only when all succeeded.

    The target is the --site-dir given, else mkdocs.yml's site_dir; it is refused (SiteDirError)
    unless replacing it can only replace an earlier site (adapters/site_dir.py)."""
    errors = _ErrorCollector()
    logging.getLogger("mkdocs").addHandler(errors)
    try:
        config_file = root / "mkdocs.yml"
        refused = refused_before_loading(config_file)  # hooks and !!python tags run while MkDocs reads the file
        if refused:
            raise BuildFailed(refused)
        try:
            config = load_config(config_file=str(config_file), strict=True)
        except (Abort, ConfigurationError) as exc:
            said = "\n".join(errors.messages) + str(exc)  # load_config logs the reasons, then raises Abort
            if "'site_dir'" in said and "docs_dir" in said:  # MkDocs' own check: site and sources overlap
                raise SiteDirError(f"mkdocs.yml 的 site_dir 与条目所在的文件夹（{CONTENT_FOLDER}/）重叠：生成网站会替换并删除条目。"
                                   "请把 site_dir 设为项目中专用于网站的文件夹（默认 site）") from None
            raise BuildFailed("\n".join(errors.messages) or f"mkdocs.yml 有错误：{exc}") from None
        if missing_plugin(config):
            raise BuildFailed(missing_plugin(config))
        option = "--site-dir" if site_dir else "mkdocs.yml 的 site_dir"
        target = check_site_dir(root, Path(site_dir or config.site_dir), Path(config.docs_dir), option)
        remove_stale_staging(target)
        staging = make_staging(target, option)
        config.site_dir = str(staging / target.name)  # the search pages' folder lands in staging too
        _run_build(config, staging, errors)
    finally:
        logging.getLogger("mkdocs").removeHandler(errors)
    _swap(staging, target, option)
    return target


def _swap(staging: Path, target: Path, option: str) -> None:
    """Put the built site in place of the old one (two renames); the old one goes with the staging folder."""
    try:
        if target.exists():
            target.rename(staging / ".old")
        (staging / target.name).rename(target)
    except OSError as exc:
        if (staging / ".old").exists() and not target.exists():
            (staging / ".old").rename(target)
        shutil.rmtree(staging, ignore_errors=True)
        raise SiteDirError(f"{option} 指向 {target}，新网站已生成但无法替换原有网站：{os_reason(exc)}；原有网站未被改动") from None
    shutil.rmtree(staging, ignore_errors=True)


def _run_build(config, staging: Path, errors: _ErrorCollector) -> None:
    """MkDocs' build of config into the staging folder; the folder is removed if it fails."""
    try:
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    except (Abort, PluginError, ConfigurationError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed("\n".join(errors.messages) or str(exc)) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def serve_site(root: Path, dev_addr: str | None = None) -> None:
    from mkdocs.commands.serve import serve

    try:
        serve(config_file=str(root / "mkdocs.yml"), dev_addr=dev_addr, livereload=True)
    except (Abort, ConfigurationError, PluginError) as exc:
        raise BuildFailed(f"mkdocs.yml 有错误：{exc}" if isinstance(exc, ConfigurationError) else str(exc)) from None
