"""Editor preview latency: run `gongkai preview`, edit one item, time until the page shows it.

Two edits are timed, as an editor makes them: a sentence added to an item's body (its
own page must show it) and a changed title (the column page listing the item must show
it). Each time runs from the file write to the first HTTP response that contains the
change, so it includes the watcher's polling interval. The files are restored after.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from gongkai.core.items import parse_item
from gongkai.core.urls import item_dir


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as r:
        return r.read().decode("utf-8")


def _wait_for(url: str, marker: str, timeout: float = 120) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            if marker in _get(url):
                return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"preview never showed {marker!r} at {url}")


def measure_preview(root: Path, log) -> dict:
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "GONGKAI_BUILD_DATE": "2026-11-25"}
    exe = Path(sys.executable).parent / "gongkai"
    start = time.perf_counter()
    proc = subprocess.Popen([str(exe), "-C", str(root), "preview", "--dev-addr", f"127.0.0.1:{port}"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    result: dict = {}
    try:
        while True:
            try:
                _get(base)
                break
            except OSError:
                if proc.poll() is not None or time.perf_counter() - start > 300:
                    raise SystemExit("gongkai preview did not start")
                time.sleep(0.1)
        result["preview_start_s"] = time.perf_counter() - start
        # The newest signed work-news item (the biggest column): first in its column's listing.
        news = [parse_item(p, root) for p in (root / "content" / "gzdt").glob("*.md")]
        item = max((i for i in news if i.review), key=lambda i: (str(i.meta.get("published")), i.id))
        target = item.path
        page = f"{base}{item_dir(item)}/"
        column = f"{base}column/gzdt/"
        _get(page), _get(column)  # an editor has both open
        original = target.read_text(encoding="utf-8")
        try:
            marker = f"预览测试{int(time.time())}"
            target.write_text(original.replace("\n---\n\n", f"\n---\n\n{marker}。\n\n", 1), encoding="utf-8")
            body_s = _wait_for(page, marker)
            title = f"标题预览测试{int(time.time())}"
            target.write_text(original.replace(f"title: {item.title}", f"title: {title}", 1), encoding="utf-8")
            title_s = _wait_for(column, title)
        finally:
            target.write_text(original, encoding="utf-8")
        result.update(preview_body_s=body_s, preview_title_s=title_s, preview_s=max(body_s, title_s))
        log(f"[preview] start {result['preview_start_s']:.1f} s; body edit {body_s:.2f} s; title edit on column page {title_s:.2f} s")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return result
