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
client took 204 s of wall time for that shard's 8 s of work. The bundle comes back in the
answer (GetFiles) and is written here: Pagefind's own WriteFiles answers before its
background writes are done, and the service exits mid-write once its input is closed
(an empty pagefind-entry.json, seen under load).
"""
from __future__ import annotations

import base64
import json
import os
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Iterable

# Pagefind splits the word index into files of about this many word locations (its default is
# 20,000: ~30 KB gzipped per file for our pair words). A query downloads one file per word it
# asks for, so smaller files mean a smaller download for each new query, for a few more
# entries in the meta index every search loads first (docs/benchmark.md has the figures).
INDEX_CHUNK_SIZE = 3000
CHUNK_SIZE_ENV = "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE"  # read by Pagefind 1.5 (pagefind/src/options.rs)


_INDEXED = b'"payload":{"type":"IndexedFile"'  # how an answer to AddFile begins: {"message_id":…,"payload":{"type":…


class PagefindServiceError(Exception):
    pass


def build_index(executable: Path, pages: Iterable[tuple[str, str]], output: Path, language: str) -> int:
    """Index the pages given as (path on the site, HTML) in that order; write the bundle to
    output; return how many pages Pagefind indexed."""
    env = {**os.environ, CHUNK_SIZE_ENV: str(INDEX_CHUNK_SIZE)}
    with tempfile.TemporaryFile() as said:  # a file, not a pipe: a full pipe would stall Pagefind
        process = subprocess.Popen([str(executable), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=said, env=env)
        sent: dict = {"count": 0, "error": None}
        writer = threading.Thread(target=_send_all, args=(process, pages, language, sent), daemon=True)
        writer.start()
        try:
            indexed, files = _read_answers(process, said)
        except PagefindServiceError:
            if sent["error"]:  # Pagefind stopped because we could not send it a page
                raise PagefindServiceError(f"读取检索文档失败：{sent['error']}") from None
            raise
        finally:
            _stop(process)
            writer.join()
    _write_bundle(files, output)
    return indexed


def _send_all(process, pages, language: str, sent: dict) -> None:
    """Every request, then the one that asks for the bundle; the reader counts the answers."""
    stream = process.stdin
    try:
        stream.write(_encode(0, {"type": "NewIndex", "config": {"force_language": language}}))
        for number, (url_path, contents) in enumerate(pages, start=1):
            stream.write(_encode(number, {"type": "AddFile", "index_id": 0, "file_path": url_path, "file_contents": contents}))
            sent["count"] = number
        stream.write(_encode(sent["count"] + 1, {"type": "GetFiles", "index_id": 0}))
        stream.flush()
    except BrokenPipeError:
        pass  # Pagefind stopped: the reader says why
    except OSError as exc:
        sent["error"] = exc
        _stop(process)


def _encode(message_id: int, payload: dict) -> bytes:
    return base64.b64encode(json.dumps({"message_id": message_id, "payload": payload}, ensure_ascii=False).encode("utf-8")) + b","


def _read_answers(process, said) -> tuple[int, list[dict]]:
    """Pagefind's answers until the bundle's files come (and how many pages it indexed); any error stops the build."""
    pages = 0
    parts: list[bytes] = []  # the answer being read: the bundle's can be tens of megabytes
    while True:
        data = process.stdout.read1(1 << 16)
        if not data:
            process.wait()
            said.seek(0)
            text = said.read().decode("utf-8", "replace").strip()[-2000:]
            raise PagefindServiceError(f"Pagefind 意外退出（退出码 {process.returncode}）" + (f"：{text}" if text else ""))
        if b"," not in data:
            parts.append(data)
            continue
        first, *answers, rest = data.split(b",")
        answers.insert(0, b"".join(parts) + first)
        parts = [rest]
        for answer in answers:
            if _INDEXED in base64.b64decode(answer[:96]):  # one per page, echoing its metadata: only its kind matters
                pages += 1
                continue
            payload = json.loads(base64.b64decode(answer))["payload"]
            kind = payload.get("type")
            if kind == "Error":
                raise PagefindServiceError(f"Pagefind 报错：{payload.get('message')}")
            if kind == "IndexedFile":
                pages += 1
            elif kind == "GetFiles":
                return pages, payload["files"]


def _write_bundle(files: list[dict], output: Path) -> None:
    """The bundle's files, each path relative to the bundle folder."""
    for file in files:
        relative = Path(file["path"])
        if relative.is_absolute() or ".." in relative.parts:
            raise PagefindServiceError(f"Pagefind 给出了包外的文件路径：{file['path']}")
        target = output / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(file["content"]))


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
