"""One Pagefind index built through Pagefind's service mode (`pagefind --service`), pages in our order.

The command line numbers pages in the order it lists the folder: the order of creation
on tmpfs, hash order on ext4, so another order on another disk, and every word-index
file changes with it. The service numbers them in the order they are sent, so sending
them sorted by path makes the bundle the same bytes on any machine with no rewrite
afterwards (adapters/reproducible.py only sorts filters). Measured on a 2,000-page shard:
8.5 s CPU against 7.2 s for the command line, where renumbering afterwards cost 4–9 s more.

The protocol (Pagefind's pagefind/src/service): requests and responses are JSON, base64
encoded, each followed by a comma, over stdin and stdout; the service handles requests one
at a time, in order. The pagefind Python package wraps the same protocol, but its asyncio
client took 204 s of wall time for that shard's 8 s of work.
"""
from __future__ import annotations

import base64
import json
import os
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

# Pagefind splits the word index into files of about this many word locations (its default is
# 20,000: ~30 KB gzipped per file for our pair words). A query downloads one file per word it
# asks for, so smaller files mean a smaller download for each new query, for a few more
# entries in the meta index every search loads first (docs/benchmark.md has the figures).
INDEX_CHUNK_SIZE = 3000
CHUNK_SIZE_ENV = "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE"  # read by Pagefind 1.5 (pagefind/src/options.rs)


class PagefindServiceError(Exception):
    pass


@dataclass
class IndexSummary:
    pages: int
    words: int


def build_index(executable: Path, pages: Iterable[tuple[str, Path]], output: Path, language: str) -> IndexSummary:
    """Index the HTML files given as (path on the site, file) in that order; write the bundle to output."""
    env = {**os.environ, CHUNK_SIZE_ENV: str(INDEX_CHUNK_SIZE)}
    with tempfile.TemporaryFile() as said:  # a file, not a pipe: a full pipe would stall Pagefind
        process = subprocess.Popen([str(executable), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=said, env=env)
        sent: dict = {"count": 0, "error": None}
        writer = threading.Thread(target=_send_all, args=(process, pages, output, language, sent), daemon=True)
        writer.start()
        try:
            return _read_answers(process, said)
        except PagefindServiceError:
            if sent["error"]:  # Pagefind stopped because we could not send it a page
                raise PagefindServiceError(f"读取检索文档失败：{sent['error']}") from None
            raise
        finally:
            _stop(process)
            writer.join()


def _send_all(process, pages, output: Path, language: str, sent: dict) -> None:
    """Every request, then the one that writes the bundle; the reader counts the answers."""
    stream = process.stdin
    try:
        stream.write(_encode(0, {"type": "NewIndex", "config": {"force_language": language}}))
        for number, (url_path, file) in enumerate(pages, start=1):
            contents = file.read_text(encoding="utf-8")
            stream.write(_encode(number, {"type": "AddFile", "index_id": 0, "file_path": url_path, "file_contents": contents}))
            sent["count"] = number
        stream.write(_encode(sent["count"] + 1, {"type": "WriteFiles", "index_id": 0, "output_path": str(output)}))
        stream.flush()
    except BrokenPipeError:
        pass  # Pagefind stopped: the reader says why
    except OSError as exc:
        sent["error"] = exc
        _stop(process)


def _encode(message_id: int, payload: dict) -> bytes:
    return base64.b64encode(json.dumps({"message_id": message_id, "payload": payload}, ensure_ascii=False).encode("utf-8")) + b","


def _read_answers(process, said) -> IndexSummary:
    """Pagefind's answers until the bundle is written; any error stops the build."""
    pages = words = 0
    pending = b""
    while True:
        data = process.stdout.read1(1 << 16)
        if not data:
            process.wait()
            said.seek(0)
            text = said.read().decode("utf-8", "replace").strip()[-2000:]
            raise PagefindServiceError(f"Pagefind 意外退出（退出码 {process.returncode}）" + (f"：{text}" if text else ""))
        pending += data
        *answers, pending = pending.split(b",")
        for answer in answers:
            payload = json.loads(base64.b64decode(answer))["payload"]
            kind = payload.get("type")
            if kind == "Error":
                raise PagefindServiceError(f"Pagefind 报错：{payload.get('message')}")
            if kind == "IndexedFile":
                pages += 1
                words += payload.get("page_word_count") or 0
            elif kind == "WriteFiles":
                return IndexSummary(pages, words)


def _stop(process) -> None:
    if process.poll() is None:
        try:
            process.stdin.close()
        except OSError:
            pass
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
