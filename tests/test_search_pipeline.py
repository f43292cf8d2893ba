"""The search index built while pages are rendered (site/search_pipeline.py): the same bundles
whatever order and pace the documents come in, and an error, not a hang, when one never comes."""
from __future__ import annotations

import random
import threading
import time

import pytest

from review_helpers import tree_bytes

YEARS = [("2026", 3), ("2025", 2), ("2024", 2), ("2023", 1)]


def _documents():
    from gongkai.site.search_doc import search_document

    docs = []
    for year, n in YEARS:
        for k in range(n):
            index = {"title": f"{year}年第{k}号养护工程", "heading": [f"{year}年第{k}号"], "sort": [("date", f"{year}-01-01")]}
            docs.append((f"item/{year}-{k}/index.html", search_document(index, f"<p>{year}年公路养护正文{k}</p>"), year))
    return docs


def _index(tmp_path, name, monkeypatch, write_order, delay=0.0, archive=4):
    """Start the background index over the schedule, write the documents from another thread in
    write_order (with a pause between them), finish; the site folder."""
    from gongkai.site import search_pipeline
    from gongkai.site.search import SearchPages, index_site

    monkeypatch.setattr(search_pipeline, "SHARD_PAGES", 4)
    monkeypatch.setattr(search_pipeline, "ARCHIVE_PAGES", archive)
    site = tmp_path / name
    site.mkdir()
    pages = SearchPages(site)
    docs = _documents()
    search_pipeline.BackgroundIndex(pages, [(path, period) for path, _, period in docs]).start()

    def write():
        for n in write_order:
            time.sleep(delay)
            pages.add(docs[n][0], docs[n][1], docs[n][2])

    writer = threading.Thread(target=write)
    writer.start()
    writer.join()
    try:
        summary = index_site(site, pages)
    finally:
        pages.remove()
    assert summary == f"8 个页面，{3 if archive == 4 else 4} 份索引"
    return site


def test_bundles_do_not_depend_on_the_order_or_pace_documents_come_in(tmp_path, monkeypatch):
    from gongkai.site.search import BUNDLE_DIR, SHARDS_FILE

    in_order = _index(tmp_path, "a", monkeypatch, range(8))
    shuffled = list(range(8))
    random.Random(7).shuffle(shuffled)
    slow_and_shuffled = _index(tmp_path, "b", monkeypatch, shuffled, delay=0.08)
    oldest_first = _index(tmp_path, "c", monkeypatch, reversed(range(8)), delay=0.02)
    assert tree_bytes(in_order) == tree_bytes(slow_and_shuffled) == tree_bytes(oldest_first)
    assert [len(list((in_order / b / "fragment").iterdir())) for b in ("pagefind", "pagefind-2", "pagefind-3")] == [3, 4, 1]
    assert (in_order / BUNDLE_DIR / SHARDS_FILE).read_text(encoding="utf-8") == (
        '{"archive": [{"path": "pagefind-2/", "from": "2024", "to": "2025"}, {"path": "pagefind-3/", "from": "2023", "to": "2023"}]}')
    assert not list(tmp_path.glob(".*.search-*"))


def test_a_document_that_never_comes_is_an_error_once_rendering_ends(tmp_path, monkeypatch):
    from gongkai.site import search_pipeline
    from gongkai.site.search import SearchIndexError, SearchPages, index_site

    site = tmp_path / "site"
    site.mkdir()
    pages = SearchPages(site)
    docs = _documents()
    search_pipeline.BackgroundIndex(pages, [(path, period) for path, _, period in docs]).start()
    for path, html, period in docs[1:]:  # the newest item's document is never written
        pages.add(path, html, period)
    started = time.monotonic()
    with pytest.raises(SearchIndexError, match="item/2026-0/index.html"):
        index_site(site, pages)
    assert time.monotonic() - started < 30
    pages.remove()
    assert not (site / "pagefind").exists() and not pages.folder.exists()


def test_a_failed_build_stops_the_index_without_waiting_for_documents(tmp_path):
    from gongkai.site import search_pipeline
    from gongkai.site.search import SearchPages

    site = tmp_path / "site"
    site.mkdir()
    pages = SearchPages(site)
    index = search_pipeline.BackgroundIndex(pages, [(path, period) for path, _, period in _documents()]).start()
    pages.add(*_documents()[0])
    pages.remove()  # what the plugin does when the build fails
    assert not index.thread.is_alive() and not pages.folder.exists()


def test_older_bundles_are_indexed_two_at_a_time_once_pages_are_written(tmp_path, monkeypatch):
    """After rendering, two Pagefind runs at once, never more pages in flight than one main bundle;
    the bundles are the same bytes as one run at a time."""
    from gongkai.site import search_pipeline

    real, in_flight, most = search_pipeline.build_index, [], []
    lock = threading.Lock()

    def counting(executable, docs, output, language):
        docs = list(docs)
        with lock:
            in_flight.append(len(docs))
            most.append((len(in_flight), sum(in_flight)))
        try:
            time.sleep(0.3)  # long enough for a second run to start beside it
            return real(executable, docs, output, language)
        finally:
            with lock:
                in_flight.remove(len(docs))

    monkeypatch.setattr(search_pipeline, "build_index", counting)
    together = _index(tmp_path, "together", monkeypatch, range(8), archive=2)  # 2026 (3 pages); 2025; 2024; 2023
    assert max(runs for runs, _ in most) == 2 and max(pages for _, pages in most) <= 4
    monkeypatch.setattr(search_pipeline, "AFTER_RENDERING", 1)
    most.clear()
    alone = _index(tmp_path, "alone", monkeypatch, range(8), archive=2)
    assert max(runs for runs, _ in most) == 1
    assert tree_bytes(together) == tree_bytes(alone)
    # A second run only while the build's memory allows one more Pagefind (GONGKAI_MEMORY_MB).
    monkeypatch.setattr(search_pipeline, "AFTER_RENDERING", 2)
    monkeypatch.setenv("GONGKAI_MEMORY_MB", str(400 + 1))  # this process and one run's 400 MB do not fit
    most.clear()
    tight = _index(tmp_path, "tight", monkeypatch, range(8), archive=2)
    assert max(runs for runs, _ in most) == 1
    assert tree_bytes(tight) == tree_bytes(alone)
