"""The search documents of a build, appended to one journal file per rendering process.

A file per document cost 10,000 files and 10,000 folders at 10,000 items, created, read and
removed again: about 2.5 s of kernel time and a second and a half of removal at the end of the
build. A journal is one file per process (each process appends only to its own, so no locking);
a reader follows every journal in the folder, record by record, as they grow.

Record: 4-byte key length, 4-byte document length (little-endian), key "period\\npath", document,
all in one write: a reader takes a record only once all of its bytes are there.
"""
from __future__ import annotations

import os
import struct
import threading
from pathlib import Path

HEADER = struct.Struct("<II")
SUFFIX = ".journal"


class JournalWriter:
    """Appends documents to this process's journal (a forked process opens its own)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._pid = self._fd = None

    def add(self, period: str, path: str, document: str) -> None:
        if self._pid != os.getpid():  # first use, or a forked renderer: its own journal
            self._pid = os.getpid()
            self._fd = os.open(self.folder / f"documents-{self._pid}{SUFFIX}", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        key, body = f"{period}\n{path}".encode("utf-8"), document.encode("utf-8")
        record = memoryview(HEADER.pack(len(key), len(body)) + key + body)
        while record:
            record = record[os.write(self._fd, record):]

    def close(self) -> None:
        if self._fd is not None and self._pid == os.getpid():
            os.close(self._fd)
        self._pid = self._fd = None


class JournalReader:
    """Where each document is, in every journal of the folder, as far as they are written."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.read_to: dict[str, int] = {}  # journal name -> bytes taken
        self.where: dict[tuple[str, str], tuple[int, int, int]] = {}  # (period, path) -> (journal's fd, offset, length)
        self.fds: dict[str, int] = {}  # journal name -> open for reading
        self.lock = threading.Lock()  # more than one indexing thread may look

    def refresh(self) -> None:
        """Take the records written since the last look."""
        with self.lock:
            for name in sorted(os.listdir(self.folder)):
                if name.endswith(SUFFIX):
                    self._follow(name)

    def _follow(self, name: str) -> None:
        if name not in self.fds:
            self.fds[name] = os.open(self.folder / name, os.O_RDONLY)
        fd, offset = self.fds[name], self.read_to.get(name, 0)
        size = os.fstat(fd).st_size
        while offset + HEADER.size <= size:
            key_length, length = HEADER.unpack(os.pread(fd, HEADER.size, offset))
            start = offset + HEADER.size + key_length
            if start + length > size:
                break  # still being written
            period, _, path = os.pread(fd, key_length, offset + HEADER.size).decode("utf-8").partition("\n")
            self.where[(period, path)] = (fd, start, length)
            offset = start + length
        self.read_to[name] = offset

    def has(self, period: str, path: str) -> bool:
        return (period, path) in self.where

    def text(self, period: str, path: str) -> str:
        fd, start, length = self.where[(period, path)]
        return os.pread(fd, length, start).decode("utf-8")

    def by_period(self) -> dict[str, list[str]]:
        """The paths written, by period."""
        out: dict[str, list[str]] = {}
        for period, path in self.where:
            out.setdefault(period, []).append(path)
        return out

    def close(self) -> None:
        for fd in self.fds.values():
            os.close(fd)
        self.fds.clear()
        self.where.clear()
        self.read_to.clear()
