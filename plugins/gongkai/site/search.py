"""Search indexing: run the extended Pagefind binary over a built site.

Only the extended binary segments Chinese; without it search for 养护 or
三公经费 silently finds nothing, so its absence is an error, not a fallback.
"""
from __future__ import annotations

import base64
import json
import queue
import re
import subprocess
import threading
from pathlib import Path

BUNDLE_DIR = "pagefind"


# Han characters one by one, Latin letters and digits in runs; all else separates.
# assets/gongkai/gongkai.js tokenises queries with the same rule (searchTerm).
_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[A-Za-z0-9]+")
_MARKUP = re.compile(r"<[^>]*>|\]\([^)]*\)")


def character_tokens(*texts: str) -> str:
    """Text re-spelled one Han character per word, for an exact-phrase index.

    Pagefind segments the page with jieba at build time but the query with the
    browser's Intl.Segmenter, and the two disagree (养护 is one word in the index,
    two in Chromium's query), so plain queries miss. Indexing every character as a
    word, and searching the query's characters as an exact phrase, matches any
    substring: 三公, 养护工程, 澜交发〔2026〕12号, fragments of a 索引号.
    """
    return " ".join(t.lower() for text in texts for t in _TOKEN.findall(_MARKUP.sub(" ", text)))


class SearchIndexError(Exception):
    pass


def pagefind_executable() -> Path:
    try:
        from pagefind_bin_extended import get_executable  # type: ignore
    except ImportError:
        raise SearchIndexError("未安装 Pagefind 扩展版（pagefind[extended]），中文检索无法分词；请运行 pip install -e . 重新安装") from None
    return Path(get_executable())


def index_site(site_dir: Path, live: "LiveIndex | None" = None) -> str:
    """Write the search bundle under site_dir/pagefind; return Pagefind's summary.

    With live (the pages were handed to Pagefind while they were rendered) only the
    bundle is left to write; a site with no indexed page at all goes to the command
    line, which then indexes every page's <body>, as Pagefind does without data-pagefind-body.
    """
    if live is not None and live.pages:
        return live.finish(site_dir / BUNDLE_DIR)
    if live is not None:
        live.close()
    cmd = [str(pagefind_executable()), "--site", str(site_dir), "--output-subdir", BUNDLE_DIR]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind 建立索引失败：\n{result.stdout}\n{result.stderr}")
    return result.stdout


_OPEN_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9]*)")


def indexed_part(html: str) -> str:
    """The page as Pagefind reads it when it has a data-pagefind-body element: the document
    up to <body> and that element, without the navigation around it.

    Pagefind then parses a quarter of the bytes and writes the same fragments and word
    index. The whole page is kept when any data-pagefind attribute would be cut off.
    """
    marker = html.find("data-pagefind-body")
    body = html.find("<body")
    start = html.rfind("<", 0, marker)
    tag = _OPEN_TAG.match(html, start) if start > body >= 0 else None
    end = html.rfind(f"</{tag.group(1)}>") if tag else -1
    if end < start or "data-pagefind" in html[body:start] or "data-pagefind" in html[end:]:
        return html
    return f"{html[:body]}<body>{html[start:end]}</{tag.group(1)}></body></html>"


class LiveIndex:
    """Pagefind's service mode, handed each page as MkDocs writes it.

    The Rust indexer parses pages on the second core while MkDocs renders on the
    first; finish() builds and writes the bundle. Pagefind parses the same HTML
    with the same defaults as `pagefind --site`, so the pages, fragments, filters
    and meta are the same; only page numbers follow render order, not directory order.
    Any error from Pagefind fails the build (fail closed), never a partial index.
    """

    def __init__(self):
        cmd = [str(pagefind_executable()), "--service"]
        try:
            self._process = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError as exc:
            raise SearchIndexError(f"Pagefind 无法启动：{exc}") from None
        self._sent = 0
        self.pages = 0  # pages handed over
        self._errors: list[str] = []
        self._stderr = b""
        self._written: queue.Queue = queue.Queue()  # the WriteFiles reply, or None when Pagefind exited
        self._readers = [threading.Thread(target=self._read_replies, daemon=True),
                         threading.Thread(target=self._read_stderr, daemon=True)]
        for reader in self._readers:
            reader.start()
        self._send({"type": "NewIndex", "config": None})  # index 0, Pagefind's default settings

    def add(self, path: str, html: str) -> None:
        """Index one page; path is its file relative to the site (items/x/index.html → /items/x/)."""
        self._send({"type": "AddFile", "index_id": 0, "file_path": path, "url": None, "file_contents": indexed_part(html)})
        self.pages += 1

    def finish(self, bundle_dir: Path) -> str:
        """Build the index and write the bundle into bundle_dir; raise on any error along the way."""
        self._send({"type": "WriteFiles", "index_id": 0, "output_path": str(bundle_dir)})
        reply = self._written.get()
        self.close()
        if reply is None or self._errors:
            raise SearchIndexError(self._failure())
        return f"Indexed {self.pages} pages while rendering"

    def close(self) -> None:
        """Stop Pagefind (end of input makes it exit) and wait for it; safe to call again."""
        try:
            self._process.stdin.close()
        except (BrokenPipeError, ValueError):
            pass
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        for reader in self._readers:
            reader.join()

    def _send(self, payload: dict) -> None:
        message = json.dumps({"message_id": self._sent, "payload": payload}, ensure_ascii=False)
        self._sent += 1
        try:
            self._process.stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
            self._process.stdin.flush()  # Pagefind starts on the page now, not when a buffer fills
        except (BrokenPipeError, ValueError):  # Pagefind exited, or close() already ran
            raise SearchIndexError(self._failure()) from None

    def _read_replies(self) -> None:
        buffer = b""
        while chunk := self._process.stdout.read1(1 << 16):
            *replies, buffer = (buffer + chunk).split(b",")
            for reply in replies:
                payload = json.loads(base64.b64decode(reply))["payload"]
                if payload["type"] == "Error":
                    self._errors.append(payload["message"])
                elif payload["type"] == "WriteFiles":
                    self._written.put(payload)
        self._written.put(None)

    def _read_stderr(self) -> None:
        self._stderr = self._process.stderr.read()

    def _failure(self) -> str:
        self._readers[1].join(timeout=5)  # what Pagefind said on stderr before it exited
        said = "\n".join(self._errors) or self._stderr.decode("utf-8", "replace")[-3000:] or "Pagefind 意外退出"
        return f"Pagefind 建立索引失败：\n{said}"
