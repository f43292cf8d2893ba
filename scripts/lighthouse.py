#!/usr/bin/env python3
"""Lighthouse scores of the public site's page types (issue 13), mobile and desktop.

    .venv/bin/python scripts/lighthouse.py [SITE_DIR]     # default: site/ (run gongkai build first)

Installs the pinned Lighthouse from npm into .cache/lighthouse on first use, serves SITE_DIR on
127.0.0.1 and runs Debian's chromium headless (CHROME_PATH=/usr/bin/chromium). Prints one line per
page and form factor: performance, accessibility, best practices, SEO, and the failing audits.
Record the figures in docs/accessibility.md.
"""
from __future__ import annotations

import functools
import gzip
import io
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

LIGHTHOUSE_VERSION = "12.8.2"
REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / ".cache" / "lighthouse"
PAGES = {"home": "", "column": "column/gljy/", "item": "item/2026-00700/", "search": "search/?q=%E5%85%BB%E6%8A%A4"}
TEXT = {".html", ".css", ".js", ".json", ".svg", ".xml"}
OPPORTUNITIES = {"render-blocking-resources", "unused-css-rules", "unused-javascript", "uses-text-compression", "total-blocking-time", "cumulative-layout-shift"}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def lighthouse_bin() -> Path:
    binary = CACHE / "node_modules" / ".bin" / "lighthouse"
    installed = CACHE / "node_modules" / "lighthouse" / "package.json"
    if not binary.exists() or json.loads(installed.read_text())["version"] != LIGHTHOUSE_VERSION:
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(CACHE), f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True)
    return binary


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        """Serves as a production web server would: text compressed with gzip (nginx gzip on)."""

        def log_message(self, *args):
            pass

        def send_head(self):
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            if "gzip" not in self.headers.get("Accept-Encoding", "") or path.suffix not in TEXT or not path.is_file():
                return super().send_head()
            body = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def run(binary: Path, url: str, desktop: bool) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        args = [str(binary), url, "--quiet", "--output=json", f"--output-path={out}", "--only-categories=" + ",".join(CATEGORIES),
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
        if desktop:
            args.append("--preset=desktop")
        subprocess.run(args, check=True, env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")})
        return json.loads(out.read_text(encoding="utf-8"))


def summary(report: dict) -> tuple[list[int], list[str]]:
    scores = [round((report["categories"][c]["score"] or 0) * 100) for c in CATEGORIES]
    failing = sorted(a["id"] for key, a in report["audits"].items() if key in OPPORTUNITIES and (a.get("score") or 0) < 0.9)
    metrics = report["audits"]
    timing = f"FCP {metrics['first-contentful-paint']['displayValue']}, LCP {metrics['largest-contentful-paint']['displayValue']}, CLS {metrics['cumulative-layout-shift']['displayValue']}"
    return scores, [timing, *failing]


def main() -> int:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else REPO / "site")
    if not (site / "index.html").is_file():
        print(f"没有找到网站：{site}（先运行 gongkai build）", file=sys.stderr)
        return 2
    binary = lighthouse_bin()
    server, base = serve(site)
    worst = 100
    try:
        print("页面 | 设备 | 性能 | 无障碍 | 最佳做法 | SEO | 说明")
        for name, path in PAGES.items():
            for desktop in (False, True):
                scores, notes = summary(run(binary, base + path, desktop))
                worst = min(worst, *scores)
                print(f"{name} | {'桌面' if desktop else '手机'} | " + " | ".join(map(str, scores)) + " | " + "; ".join(notes), flush=True)
    finally:
        server.shutdown()
    return 0 if worst >= 95 else 1


if __name__ == "__main__":
    sys.exit(main())
