"""The search documents' journals (site/search_journal.py): a record is taken only when whole,
each process appends to its own journal, and a reader follows them as they grow."""
from __future__ import annotations

import os

from gongkai.site.search_journal import HEADER, JournalReader, JournalWriter


def test_documents_are_read_back_as_written(tmp_path):
    writer = JournalWriter(tmp_path)
    writer.add("2026-03", "item/a/index.html", "<p>养护</p>")
    writer.add("2025-12", "item/b/index.html", "")
    writer.add("2026-03", "item/a/index.html", "<p>改过</p>")  # written again: the later one counts
    reader = JournalReader(tmp_path)
    reader.refresh()
    assert reader.text("2026-03", "item/a/index.html") == "<p>改过</p>"
    assert reader.text("2025-12", "item/b/index.html") == ""
    assert reader.by_period() == {"2026-03": ["item/a/index.html"], "2025-12": ["item/b/index.html"]}
    writer.close()
    reader.close()


def test_a_record_half_written_is_taken_only_once_whole(tmp_path):
    key, body = "2026\nitem/c/index.html".encode(), "公共交通".encode()
    record = HEADER.pack(len(key), len(body)) + key + body
    path = tmp_path / "documents-1.journal"
    reader = JournalReader(tmp_path)
    for cut in (3, HEADER.size + 4, len(record) - 1):
        path.write_bytes(record[:cut])
        reader.refresh()
        assert not reader.has("2026", "item/c/index.html")
    path.write_bytes(record)
    reader.refresh()
    assert reader.text("2026", "item/c/index.html") == "公共交通"
    reader.close()


def test_a_forked_process_appends_to_its_own_journal(tmp_path):
    writer = JournalWriter(tmp_path)
    writer.add("2026", "item/parent/index.html", "父")
    child = os.fork()
    if child == 0:
        try:
            writer.add("2026", "item/child/index.html", "子")
        finally:
            os._exit(0)
    os.waitpid(child, 0)
    writer.add("2026", "item/parent2/index.html", "父二")
    assert len(list(tmp_path.glob("documents-*.journal"))) == 2
    reader = JournalReader(tmp_path)
    reader.refresh()
    assert {path: reader.text(period, path) for period, path in reader.where} == {
        "item/parent/index.html": "父", "item/child/index.html": "子", "item/parent2/index.html": "父二"}
    writer.close()
    reader.close()
