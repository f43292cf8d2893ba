"""The attachment-text cache's packs: whole or not at all, merged when they pile up, a few per cold check."""
from __future__ import annotations

import os

from gongkai.review import attachment_text
from gongkai.review.text_cache import CACHE_DIR, MERGE_ABOVE, TextCache


def test_packs_are_read_back_and_broken_ones_ignored(tmp_path):
    TextCache(tmp_path).put({"a" * 64: (("第 1 页", "甲"),)})
    TextCache(tmp_path).put({"b" * 64: (("", "乙"),), "c" * 64: ()})
    folder = tmp_path / CACHE_DIR
    (folder / "v1-1-1.json").write_text('{"d": [["", "半', encoding="utf-8")  # cut short: ignored
    (folder / ".v1-2-2.json.tmp").write_text("{}", encoding="utf-8")  # a writer's unfinished pack
    entries = TextCache(tmp_path).load()
    assert entries == {"a" * 64: (("第 1 页", "甲"),), "b" * 64: (("", "乙"),), "c" * 64: ()}


def test_a_reader_sees_packs_written_after_it_started(tmp_path):
    reader = TextCache(tmp_path)
    assert reader.get("a" * 64) is None
    TextCache(tmp_path).put({"a" * 64: (("", "后来写的"),)})
    assert reader.get("a" * 64) == (("", "后来写的"),)


def test_many_packs_are_merged_into_one(tmp_path):
    for i in range(MERGE_ABOVE + 1):
        TextCache(tmp_path).put({f"{i:064x}": (("", f"第{i}个"),)})
    folder = tmp_path / CACHE_DIR
    assert len(os.listdir(folder)) == MERGE_ABOVE + 1
    first = TextCache(tmp_path).load()
    assert len(os.listdir(folder)) == 1
    assert TextCache(tmp_path).load() == first and len(first) == MERGE_ABOVE + 1


def test_an_unwritable_cache_is_done_without(tmp_path):
    (tmp_path / ".gongkai-cache").write_text("not a folder", encoding="utf-8")
    cache = TextCache(tmp_path)
    cache.put({"a" * 64: (("", "甲"),)})  # no error
    assert TextCache(tmp_path).load() == {}


def test_a_cold_prefetch_writes_a_pack_per_batch_not_a_file_per_attachment(tmp_path, monkeypatch):
    monkeypatch.setattr(attachment_text, "_memo", {})
    monkeypatch.setenv("GONGKAI_WORKERS", "2")
    paths = []
    for i in range(200):
        paths.append(tmp_path / f"f{i}.txt")
        paths[-1].write_text(f"第{i}份附件\n", encoding="utf-8")
    attachment_text.prefetch(paths, tmp_path)
    assert len(os.listdir(tmp_path / CACHE_DIR)) <= attachment_text.BATCHES + 1
    assert len(TextCache(tmp_path).load()) == 200
    for path in paths:
        assert attachment_text.attachment_segments(path, tmp_path) == (("", path.read_text(encoding="utf-8")),)
