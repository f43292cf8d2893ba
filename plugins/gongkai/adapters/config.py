"""The plugin's settings in mkdocs.yml (`plugins: - gongkai: {…}`), typed."""
from __future__ import annotations

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config

from gongkai.project import CATALOG_FILE


class GongkaiConfig(Config):
    catalog = opt.Type(str, default=CATALOG_FILE)
    search = opt.Type(bool, default=True)  # run Pagefind after the build
    reports_dir = opt.Type(str, default="reports")  # compliance report, beside (never inside) the site
