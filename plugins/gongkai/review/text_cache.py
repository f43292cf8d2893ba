"""Attachments' extracted text on disk, keyed by the SHA-256 of their bytes, in a few pack files.

One file per attachment cost a cold check of 10,000 items ~1.6 s of kernel time creating 1,300
small files; a pack holds a whole batch. Each pack is written whole under a new name and renamed
into place, so a reader never sees half a pack and concurrent writers (a check beside the
preview) never clash. When packs pile up (the preview writes one per edit), a reader merges them.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

CACHE_DIR = ".gongkai-cache/attachment-text"  # under the project root; gitignored
EXTRACTOR_VERSION = "1"  # bump when the extracted text changes, so cached text is not reused
MERGE_ABOVE = 24  # packs beyond which a reader merges them into one

Segments = tuple[tuple[str, str], ...]  # (where: page / part / sheet, text)

_PREFIX = f"v{EXTRACTOR_VERSION}-"


class TextCache:
    """The packs under one project root, read once and then only the packs new since."""

    def __init__(self, root: Path):
        self.folder = root / CACHE_DIR
        self.entries: dict[str, Segments] = {}
        self.read: set[str] = set()
        self._seen: int | None = None  # the folder's mtime when last listed: a miss lists it again only if it changed

    def get(self, digest: str) -> Segments | None:
        if digest not in self.entries and self._changed():
            self.load()
        return self.entries.get(digest)

    def _changed(self) -> bool:
        try:
            return os.stat(self.folder).st_mtime_ns != self._seen
        except OSError:
            return False  # no cache yet

    def put(self, entries: dict[str, Segments]) -> None:
        """Write these entries as one pack; a read-only checkout just goes without."""
        if not entries:
            return
        name = f"{_PREFIX}{time.time_ns()}-{os.getpid()}.json"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f".{name}.tmp"
            tmp.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
            tmp.replace(self.folder / name)  # atomic: a concurrent reader never sees half a pack
        except OSError:
            return
        self.entries.update(entries)
        self.read.add(name)

    def _packs(self) -> list[str]:
        try:
            self._seen = os.stat(self.folder).st_mtime_ns  # before listing: a pack added meanwhile changes it again
            return sorted(n for n in os.listdir(self.folder) if n.startswith(_PREFIX) and n.endswith(".json"))
        except OSError:
            return []

    def load(self) -> dict[str, Segments]:
        """Every entry on disk: the packs not read yet are read now."""
        packs = self._packs()
        for name in packs:
            if name in self.read:
                continue
            try:
                pack = json.loads((self.folder / name).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # merged away meanwhile, or damaged: its entries are extracted again
            self.read.add(name)
            self.entries.update((digest, tuple(tuple(pair) for pair in segments)) for digest, segments in pack.items())
        if len(packs) > MERGE_ABOVE:
            self._merge([name for name in packs if name in self.read])
        return self.entries

    def _merge(self, packs: list[str]) -> None:
        """One pack of everything read, then the merged ones removed (all of them this cache's own files)."""
        before = set(self.read)
        self.put(dict(self.entries))
        if self.read == before:
            return  # not written: keep the old packs
        for name in packs:
            try:
                os.remove(self.folder / name)
            except OSError:
                pass  # another reader merged it first
            self.read.discard(name)
