"""Shared fixtures: throwaway projects, builds, a local web server, headless Chromium."""
from __future__ import annotations

import functools
import http.server
import shutil
import socketserver
import threading
from datetime import date
from pathlib import Path

import pytest
import yaml

from review_helpers import copy_roster, sample_key

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 25)
PREFIX = "11999900MB1234567Q"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(autouse=True)
def pinned_build_date(monkeypatch):
    monkeypatch.setenv("GONGKAI_BUILD_DATE", TODAY.isoformat())


def base_meta(seq: int, **overrides) -> dict:
    meta = {
        "id": f"{PREFIX}/2026-{seq:05d}",
        "title": f"测试条目{seq}",
        "catalog": "gzdt",
        "topics": ["公路建设与养护"],
        "created": date(2026, 3, 2),
        "published": date(2026, 3, 5),
        "disclosure": "主动公开",
        "validity": "有效",
        "summary": "测试用的内容概述。",
        "author": "测试撰稿人",
    }
    meta.update(overrides)
    return {k: v for k, v in meta.items() if v is not None}


class Project:
    """A throwaway copy of the repository's configuration with hand-written items."""

    def __init__(self, root: Path):
        self.root = root
        shutil.copy(REPO / "catalog.yml", root / "catalog.yml")
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        copy_roster(root)
        (root / "content").mkdir()

    def write(self, rel: str, meta: dict, body: str = "正文内容。\n", files: dict[str, bytes] | None = None) -> Path:
        path = self.root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        for name, data in (files or {}).items():
            (path.parent / name).write_bytes(data)
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
        path.write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")
        return path

    def sign(self, path: Path, reviewer: str = "周立衡", decision: str = "同意公开") -> None:
        from gongkai.core.items import parse_item
        from gongkai.project import load_state
        from gongkai.review.signing.keys import load_signer
        from gongkai.review.signing.sign import check_signer, sign_item

        state = load_state(self.root, today=TODAY)
        key = sample_key(reviewer)
        signer = load_signer(key) if key else None
        check_signer(state.roster, state.catalog, reviewer, signer, TODAY)
        sign_item(parse_item(path, self.root), state.catalog, signer, reviewer, decision, TODAY)

    def state(self):
        from gongkai.project import load_state

        return load_state(self.root, today=TODAY)

    def build(self, site: Path | None = None) -> Path:
        from gongkai.adapters.builder import build_site

        return build_site(self.root, site or self.root / "site")


@pytest.fixture
def project(tmp_path) -> Project:
    return Project(tmp_path)


def all_output_text(site: Path) -> str:
    """Every byte of the output as text, with Pagefind's gzip-compressed files decompressed."""
    import gzip

    chunks = []
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            chunks.append(path.relative_to(site).as_posix())
            chunks.append(data.decode("utf-8", errors="ignore"))
    return "\n".join(chunks)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def serve():
    """serve(site_dir) -> base URL of a local HTTP server for that directory."""
    servers = []

    def start(directory: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The repository's own sample site, built once per test session."""
    from gongkai.adapters.builder import build_site

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GONGKAI_BUILD_DATE", TODAY.isoformat())
        return build_site(REPO, tmp_path_factory.mktemp("sample") / "site")
