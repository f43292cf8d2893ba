"""Search indexing while the pages are still being rendered.

Pagefind's service works on one core, and its memory grows with the pages of a bundle;
rendering keeps both cores busy. Indexed only after rendering, the bundles kept one core
idle for about 45 s at 10,000 items. Here a thread hands each bundle to Pagefind as soon as
its documents are all written, one at a time while pages are rendered; once the last page
is written, the older bundles (half the size of the main one) go two at a time, one per
core, with no more pages in flight than one main bundle: Pagefind's memory stays the same.

The plan says beforehand which pages are searchable, their month and their render order
(the schedule), so the bundles and the order of pages in each are fixed before the first
page is rendered: the same bundle bytes on any machine, whichever process writes a
document first. A page whose document never comes is an error, not a hang: once every
page is rendered (finish), waiting stops.
"""
from __future__ import annotations

import os
import shutil
import threading
import time
from collections import Counter
from pathlib import Path

from gongkai.core.parallel import memory_allows
from gongkai.site.pagefind_service import PagefindServiceError, build_index
from gongkai.site import search
from gongkai.site.search import ARCHIVE_PAGES, SHARD_PAGES, SearchIndexError, SearchPages, bundle_name, group_periods, write_shards_file
from gongkai.site.search_doc import FORCE_LANGUAGE

POLL_SECONDS = 0.05  # how often a missing document is looked for
AFTER_RENDERING = 2  # Pagefind runs at once once every page is written: one per core
PAGEFIND_BYTES = 400 * 2**20  # one run's peak, measured: 340–390 MB for a bundle of 1,000–2,000 pages at 100,000 items


class Stopped(OSError):
    """Raised inside the feed: Pagefind's service is then stopped and the build index fails."""


class BackgroundIndex:
    """Index the documents of `schedule` — (path on the site, period) of every searchable page,
    in render order — as SearchPages receives them; finish() puts the bundles in the site."""

    def __init__(self, pages: SearchPages, schedule: list[tuple[str, str]]):
        self.pages = pages
        self.schedule = schedule
        self.shards = group_periods(Counter(period for _, period in schedule), SHARD_PAGES, ARCHIVE_PAGES)
        self.staging = pages.folder / "bundles"  # not y…: never read as search documents
        self.rendered = threading.Event()  # every page is written: a missing document is missing
        self.stopped = threading.Event()  # the build failed elsewhere
        self.indexed = 0
        self.lock = threading.Lock()  # the bundles' runs add to indexed
        self.error: Exception | None = None
        self.thread = threading.Thread(target=self._run, name="gongkai-search-index", daemon=True)

    @classmethod
    def begin(cls, pages: SearchPages | None, schedule: list[tuple[str, str]]) -> "BackgroundIndex | None":
        """Start indexing, unless there is no search (pages None) or nothing searchable."""
        return cls(pages, schedule).start() if pages is not None and schedule else None

    def start(self) -> "BackgroundIndex":
        self.executable = search.pagefind_executable()  # a missing install fails the build before rendering
        self.pages.background = self
        self.thread.start()
        return self

    def _run(self) -> None:
        running: list[tuple[threading.Thread, int]] = []  # each run and its bundle's pages
        try:
            bundle_of = {period: n for n, periods in enumerate(self.shards, start=1) for period in periods}
            docs: dict[int, list[tuple[str, str]]] = {n: [] for n in range(1, len(self.shards) + 1)}
            for path, period in self.schedule:
                docs[bundle_of[period]].append((period, path))
            ready = dict.fromkeys(docs, 0)  # how many of each bundle's documents, from its first, are written
            while docs or running:
                running = [(run, size) for run, size in running if run.is_alive()]
                if self.error is not None:
                    raise self.error
                n = self._next_bundle(docs, ready) if docs and self._may_start(running) else None
                if n is None or (running and sum(size for _, size in running) + len(docs[n]) > SHARD_PAGES):
                    time.sleep(POLL_SECONDS * 4)
                    continue
                run = threading.Thread(target=self._index_bundle, args=(n, docs[n]), name=f"gongkai-search-index-{n}", daemon=True)
                running.append((run, len(docs.pop(n))))
                run.start()
        except Exception as exc:  # reported by finish(), in the build's own thread
            self.error = self.error or exc
            self.stopped.set()  # the other runs stop too
            for run, _ in running:
                run.join()

    def _may_start(self, running: list) -> bool:
        """One Pagefind while pages are rendered (the renderers use the cores and the memory); once
        they are all written, AFTER_RENDERING at once as long as their bundles hold no more pages
        together than one main bundle (two older ones, search.ARCHIVE_PAGES) and the build's memory
        allows the second run (a run's memory is not in proportion to its pages: at 100,000 items
        two older bundles at once took ~0.7 GB, beside a 1.4 GB build process)."""
        return not running or (self.rendered.is_set() and len(running) < AFTER_RENDERING
                               and memory_allows(PAGEFIND_BYTES * (len(running) + 1)))

    def _index_bundle(self, n: int, docs: list[tuple[str, str]]) -> None:
        try:
            indexed = build_index(self.executable, self._as_written(docs), self.staging / bundle_name(n), FORCE_LANGUAGE)
            with self.lock:
                self.indexed += indexed
        except PagefindServiceError as exc:
            self.error = self.error or SearchIndexError(f"Pagefind 建立索引失败：{exc}")
        except Exception as exc:
            self.error = self.error or exc

    def _next_bundle(self, docs: dict[int, list[tuple[str, str]]], ready: dict[int, int]) -> int | None:
        """A bundle whose documents are all written; else, once rendering is over, the one furthest
        along; else, when one bundle is left and half of it is written, that one (Pagefind then
        follows the last pages as they come); else None: wait. A bundle begun before it is complete
        makes Pagefind wait on the rendering, idle, instead of indexing another. Which bundle is
        indexed first changes nothing in any bundle."""
        if self.stopped.is_set():
            raise Stopped("构建已中止")
        written = self.pages.written
        written.refresh()
        for n, shard in docs.items():
            while ready[n] < len(shard) and written.has(*shard[ready[n]]):
                ready[n] += 1
            if ready[n] == len(shard):
                return n
        furthest = max(docs, key=lambda n: ready[n] / len(docs[n]))
        if self.rendered.is_set() or (len(docs) == 1 and ready[furthest] * 2 >= len(docs[furthest])):
            return furthest
        return None

    def _as_written(self, docs: list[tuple[str, str]]):
        """The documents in order as (path, HTML), each once it is written whole."""
        written = self.pages.written
        for period, path in docs:
            if self.stopped.is_set():
                raise Stopped("构建已中止")
            while not written.has(period, path):
                if self.stopped.is_set():
                    raise Stopped("构建已中止")
                rendered = self.rendered.is_set()
                written.refresh()
                if rendered and not written.has(period, path):
                    raise Stopped(f"页面已全部生成，但缺少 {path} 的检索文档")
                time.sleep(POLL_SECONDS)
            yield path, written.text(period, path)

    def finish(self, site_dir: Path) -> str:
        """Every page is rendered: wait for the last bundle, move the bundles into the site."""
        self.rendered.set()
        self.thread.join()
        if self.error is not None:
            raise self.error if isinstance(self.error, SearchIndexError) else SearchIndexError(f"建立检索索引出错：{self.error}")
        try:
            for n in range(1, len(self.shards) + 1):
                os.replace(self.staging / bundle_name(n), site_dir / bundle_name(n))
        except OSError as exc:
            raise SearchIndexError(f"无法把检索索引放入网站目录：{exc}") from None
        return write_shards_file(site_dir, self.shards, self.indexed)

    def stop(self) -> None:
        """The build failed: stop Pagefind and the thread; the documents' folder goes with SearchPages."""
        self.stopped.set()
        self.rendered.set()
        self.thread.join()
        shutil.rmtree(self.staging, ignore_errors=True)
