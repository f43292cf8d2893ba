"""The attachment-text cache: keyed by content, reused when unchanged, never stale."""
from __future__ import annotations

from conftest import base_meta


def hits(project):
    return [p for p in project.state().all_problems if "附件" in p.field and p.severity == "error"]


def cached(project) -> dict:
    """Every entry of the attachment-text cache on disk, read afresh."""
    from gongkai.review.text_cache import TextCache

    return TextCache(project.root).load()


def test_attachment_text_is_cached_by_content(project):
    meta = base_meta(1, attachments=[{"file": "a.txt", "title": "附件"}])
    path = project.write("gzdt/a.md", meta, files={"a.txt": "联系人手机 13812345678\n".encode()})
    assert len(hits(project)) == 1
    (entry,) = cached(project).values()
    assert entry == (("", "联系人手机 13812345678\n"),)

    # Same bytes under another name, in another item, reuse the entry: no second entry.
    project.write("tzgg/b.md", base_meta(2, catalog="tzgg", attachments=[{"file": "b.txt", "title": "附件"}]),
                  files={"b.txt": (path.parent / "a.txt").read_bytes()})
    assert len(hits(project)) == 2
    assert len(cached(project)) == 1

    # Changed bytes are a new key: the edit is scanned, not the cached text.
    (path.parent / "a.txt").write_text("无个人信息\n", encoding="utf-8")
    assert len(hits(project)) == 1  # only b.txt still holds the number
    assert len(cached(project)) == 2
