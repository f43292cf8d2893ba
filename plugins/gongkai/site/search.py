"""Search indexing: run Pagefind over the search documents of the built pages.

The documents carry their own word split (site/search_doc.py), so Pagefind's Chinese
segmentation is not used; the pinned extended binary is kept as the one install. Pages go
to Pagefind sorted by path (site/pagefind_service.py): the same bundle on every machine.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from gongkai.core.staging import marked_folder, remove_stale
from gongkai.site.pagefind_service import PagefindServiceError, build_index
from gongkai.site.search_doc import FORCE_LANGUAGE
from gongkai.site.search_journal import JournalReader, JournalWriter

BUNDLE_DIR = "pagefind"


class SearchIndexError(Exception):
    pass


def pagefind_executable() -> Path:
    try:
        from pagefind_bin_extended import get_executable  # type: ignore
    except ImportError:
        raise SearchIndexError("未安装 Pagefind 扩展版（pagefind[extended]），中文检索无法分词；请运行 pip install -e . 重新安装") from None
    return Path(get_executable())


SHARD_PAGES = 2000  # pages per Pagefind run: its memory grows with the pages it holds (~0.4 GB per 1,000)
ARCHIVE_PAGES = 1000  # pages of each older bundle: small enough for two Pagefind runs at once (search_pipeline)
SHARDS_FILE = "gongkai-shards.json"  # in the main bundle: the older shards, for the search page


def index_site(site_dir: Path, pages: "SearchPages") -> str:
    """Write the search bundle under site_dir/pagefind from the pages' search documents
    (site/search_doc.py); return a summary. With no searchable page, an empty index.

    The newest months, up to SHARD_PAGES pages, are the main bundle the search page opens with;
    older months follow in bundles of the same size (pagefind-2/, …), which the search page adds
    when a reader asks for older documents or the newest give less than a page of results.
    One Pagefind run per bundle keeps its memory to that of SHARD_PAGES pages.

    When the build indexes while it renders (site/search_pipeline.py), this waits for that.
    """
    if pages.background is not None:
        return pages.background.finish(site_dir)
    if not pages.count:
        pages.add("index.html", "<html><body></body></html>", "0")  # Pagefind still writes its bundle
    executable = pagefind_executable()
    indexed = 0
    shards = pages.shards(SHARD_PAGES, ARCHIVE_PAGES)
    for n, periods in enumerate(shards, start=1):
        try:
            indexed += build_index(executable, pages.documents(periods), site_dir / bundle_name(n), FORCE_LANGUAGE)
        except PagefindServiceError as exc:
            raise SearchIndexError(f"Pagefind 建立索引失败：{exc}") from None
    return write_shards_file(site_dir, shards, indexed)


def bundle_name(n: int) -> str:
    return BUNDLE_DIR if n == 1 else f"{BUNDLE_DIR}-{n}"


def write_shards_file(site_dir: Path, shards: list[list[str]], indexed: int) -> str:
    """List the older bundles for the search page, in the main bundle; return the summary."""
    archive = [{"path": f"{bundle_name(n)}/", "from": periods[-1], "to": periods[0]}
               for n, periods in enumerate(shards, start=1) if n > 1]
    (site_dir / BUNDLE_DIR / SHARDS_FILE).write_text(json.dumps({"archive": archive}, ensure_ascii=False), encoding="utf-8")
    return f"{indexed} 个页面，{len(archive) + 1} 份索引"


def group_periods(counts: dict[str, int], size: int, later: int | None = None) -> list[list[str]]:
    """Periods (any sortable names), newest first, grouped into runs of at most size pages, the
    runs after the first of at most `later` (a bigger period alone)."""
    groups: list[list[str]] = []
    total = limit = size
    for period in sorted(counts, reverse=True):
        if total + counts[period] > limit:
            limit = size if not groups else (later or size)
            groups.append([])
            total = 0
        groups[-1].append(period)
        total += counts[period]
    return groups


class SearchPages:
    """The search document of each searchable page (site/search_doc.py), kept beside the site as
    pages are rendered, in one journal per rendering process (site/search_journal.py), by month of
    publication; Pagefind reads only these. The folder is never part of the site; remove()
    deletes it, whether the build succeeded or not."""

    def __init__(self, site_dir: Path):
        remove_stale(site_dir.parent, f".{site_dir.name}.search-")  # left by a killed build
        self.folder = marked_folder(site_dir.parent, f".{site_dir.name}.search-")
        self.count = 0
        self.writer = JournalWriter(self.folder)
        self.written = JournalReader(self.folder)  # read by the process that indexes
        self.background = None  # indexing while the pages are rendered (site/search_pipeline.py), if started

    def add(self, path: str, html: str, period: str) -> None:
        """Keep one page's search document; path is its file relative to the site (item/x/index.html → /item/x/)."""
        self.writer.add(period, path, html)
        self.count += 1

    def shards(self, size: int, later: int | None = None) -> list[list[str]]:
        """Months, newest first, grouped as group_periods does."""
        self.written.refresh()
        return group_periods({period: len(paths) for period, paths in self.written.by_period().items()}, size, later)

    def documents(self, periods: list[str]):
        """The documents of these periods as (path on the site, HTML), sorted by path: Pagefind
        numbers pages in the order it is given them. Each is read when it is sent."""
        self.written.refresh()
        listing = self.written.by_period()
        for path, period in sorted((path, period) for period in periods for path in listing.get(period, [])):
            yield path, self.written.text(period, path)

    def remove(self) -> None:
        if self.background is not None:
            self.background.stop()
        self.writer.close()
        self.written.close()
        shutil.rmtree(self.folder, ignore_errors=True)
