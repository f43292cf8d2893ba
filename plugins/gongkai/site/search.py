"""Search indexing: run Pagefind over the search documents of the built pages.

The documents carry their own word split (site/search_doc.py), so Pagefind's Chinese
segmentation is not used; the pinned extended binary is kept as the one install.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from gongkai.site.search_doc import FORCE_LANGUAGE

BUNDLE_DIR = "pagefind"


class SearchIndexError(Exception):
    pass


def pagefind_executable() -> Path:
    try:
        from pagefind_bin_extended import get_executable  # type: ignore
    except ImportError:
        raise SearchIndexError("未安装 Pagefind 扩展版（pagefind[extended]），中文检索无法分词；请运行 pip install -e . 重新安装") from None
    return Path(get_executable())


def index_site(site_dir: Path, pages: "SearchPages") -> str:
    """Write the search bundle under site_dir/pagefind from the pages' search documents
    (site/search_doc.py); return Pagefind's summary. With no searchable page, an empty index."""
    if not pages.count:
        pages.add("index.html", "<html><body></body></html>")  # Pagefind still writes its bundle
    cmd = [str(pagefind_executable()), "--site", str(pages.folder), "--force-language", FORCE_LANGUAGE,
           "--output-path", str(site_dir / BUNDLE_DIR)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind 建立索引失败：\n{result.stdout}\n{result.stderr}")
    return result.stdout


class SearchPages:
    """The search document of each searchable page (site/search_doc.py), kept in a folder beside
    the site as pages are rendered; Pagefind reads only these, on both cores. The folder is never
    part of the site; remove() deletes it, whether the build succeeded or not."""

    def __init__(self, site_dir: Path):
        self.folder = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.search-", dir=site_dir.parent))
        self.count = 0

    def add(self, path: str, html: str) -> None:
        """Keep one page's search document; path is its file relative to the site (item/x/index.html → /item/x/)."""
        target = self.folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        self.count += 1

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
