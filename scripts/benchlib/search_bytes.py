"""Bytes a browser downloads for a first and a second search, measured in headless chromium.

The built site is served on 127.0.0.1; the search page is opened with ?q= (as the
home page's search form does), then a second query is typed. Every response under
/pagefind/ or an older shard's /pagefind-N/ is counted by its Content-Length, i.e. the bytes on the wire. Pagefind's
index files are already gzip-compressed by Pagefind; for its JS/CSS/JSON the server
behaves like a production web server with gzip on (nginx `gzip on; gzip_types ...`),
or, with gzip=False, like one without compression.
"""
from __future__ import annotations

import functools
import gzip
import http.server
import re
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


COMPRESSIBLE = (".js", ".css", ".json", ".html", ".svg")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    use_gzip = True

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not (self.use_gzip and path.suffix in COMPRESSIBLE and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().do_GET()
        data = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def serve(site: Path, use_gzip: bool = True):
    handler = functools.partial(type("Handler", (_Quiet,), {"use_gzip": use_gzip}), directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# Works with gongkai's own search page (#gk-status, #gk-results) and with Pagefind's default UI.
RESULTS_SHOWN = """q => {
  const status = document.getElementById('gk-status');
  if (status) return status.textContent.includes(q) && /找到/.test(status.textContent);
  const msg = document.querySelector('.pagefind-ui__message');
  const results = [...document.querySelectorAll('.pagefind-ui__result')];
  return msg && msg.textContent.includes(q) && results.length > 0
    && results.every(r => r.querySelector('.pagefind-ui__result-link'));
}"""
RESULT_ITEMS = "#gk-results > li, .pagefind-ui__result"
BUNDLE = re.compile(r"/pagefind(-\d+)?/")  # the newest bundle and the older month shards the page may merge


def _settle(page, query: str, log: list) -> None:
    """Wait until the results for query are on screen with their titles, then for the network to stay quiet."""
    page.wait_for_function(RESULTS_SHOWN, arg=query, timeout=120_000)
    seen = -1
    while seen != len(log):
        seen = len(log)
        page.wait_for_timeout(700)


def measure(site: Path, first: str = "公路养护", second: str = "出租汽车", use_gzip: bool = True) -> dict:
    from playwright.sync_api import sync_playwright

    server = serve(site, use_gzip)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    log: list[tuple[str, int]] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context()

            def on_response(response):
                if BUNDLE.search(response.url):
                    size = int(response.headers.get("content-length") or len(response.body()))  # wire bytes
                    log.append((response.url, size))

            context.on("response", on_response)
            page = context.new_page()
            page.goto(base + "search/?q=" + first)
            _settle(page, first, log)
            first_log = list(log)
            hits_first = page.locator(RESULT_ITEMS).count()
            log.clear()
            if page.locator("#gk-q").count():
                page.locator("#gk-q").fill(second)
                page.locator("#gk-q").press("Enter")
            else:
                page.locator(".pagefind-ui__search-input").fill(second)
            _settle(page, second, log)
            second_log = list(log)
            browser.close()
    finally:
        server.shutdown()
    return {
        "first_bytes": sum(s for _, s in first_log),
        "first_requests": len(first_log),
        "second_bytes": sum(s for _, s in second_log),
        "second_requests": len(second_log),
        "first_hits_shown": hits_first,
        "first_files": first_log,
        "second_files": second_log,
    }
