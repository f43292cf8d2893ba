"""Fixtures for the public-site tests: a project built from issue 5's own sample items
(索引号 …/20YY-007NN) in a temporary directory, served on 127.0.0.1 like a web server
(with the site's 404 page), and pages in conftest's Debian chromium."""
from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from review_helpers import copy_roster

REPO = Path(__file__).resolve().parents[1]
BUILD_DATE = "2026-11-25"
PREFIX = "11999900MB1234567Q"
AXE = REPO / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts" / "screenshots"


def copy_sample_project(dest: Path) -> Path:
    """catalog.yml, mkdocs.yml and only the 00700–00799 sample items with their attachments."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("catalog.yml", "mkdocs.yml"):
        shutil.copy(REPO / name, dest / name)
    copy_roster(dest)
    content = REPO / "content"
    for path in content.rglob("*"):
        if path.is_file() and path.name[5:8] == "007" and path.name[:4].isdigit():
            target = dest / "content" / path.relative_to(content)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    return dest


def build(root: Path, site: Path) -> Path:
    from gongkai.adapters.builder import build_site

    return build_site(root, site)


@pytest.fixture(scope="session")
def public_site(tmp_path_factory) -> Path:
    mp = pytest.MonkeyPatch()
    mp.setenv("GONGKAI_BUILD_DATE", BUILD_DATE)
    try:
        root = copy_sample_project(tmp_path_factory.mktemp("public") / "project")
        return build(root, root / "site")
    finally:
        mp.undo()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves the site as a web server would: the site's own 404.html for missing pages."""

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="session")
def site_url(public_site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(public_site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser, site_url):
    """A desktop-width page that fails the test on any request to another host."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True)
    outside: list[str] = []

    def check(route):
        url = route.request.url
        if url.startswith(site_url) or url.startswith("data:") or url.startswith("blob:"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", check)
    pg = context.new_page()
    missing: list[str] = []
    pg.on("response", lambda r: missing.append(r.url) if r.status == 404 and "no-such" not in r.url else None)
    pg.set_default_timeout(10000)
    yield pg
    context.close()
    assert not outside, f"requests to outside hosts: {outside}"
    assert not missing, f"requests for files the site does not have: {missing}"


def run_axe(pg) -> list[dict]:
    """Serious and critical axe-core violations on the current page."""
    assert AXE.is_file(), "axe-core is missing: run bash scripts/setup.sh --test"
    # Evaluated through DevTools, not added as an inline <script>: the pages' CSP blocks inline scripts.
    pg.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    result = pg.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def screenshot(pg, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path
