"""Building and previewing the site through MkDocs, with an atomic swap.

The site is built into a fresh directory beside the target and only replaces
the published site when the whole build (pages and search index) succeeded.
"""
from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from gongkai.adapters.config_guard import missing_plugin, refused_before_loading


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
    config_file = root / "mkdocs.yml"
    target = (site_dir or root / "site").resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    errors = _ErrorCollector()
    logging.getLogger("mkdocs").addHandler(errors)
    try:
        if refused_before_loading(config_file):
            raise PluginError(refused_before_loading(config_file))
        config = load_config(config_file=str(config_file), site_dir=str(staging), strict=True)
        if missing_plugin(config):
            raise PluginError(missing_plugin(config))
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
    finally:
        logging.getLogger("mkdocs").removeHandler(errors)
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{staging.name.rsplit('-', 1)[-1]}")
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return target


def serve_site(root: Path, dev_addr: str | None = None) -> None:
    from mkdocs.commands.serve import serve

    serve(config_file=str(root / "mkdocs.yml"), dev_addr=dev_addr, livereload=True)
