"""LiveState equals a fresh load after edits; the preview shows edits, drafts with a banner, and no broken items."""
from __future__ import annotations

import logging
import shutil
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from gongkai.adapters.livestate import LiveState
from gongkai.project import load_state

from scale_helpers import generate

TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def bureau(tmp_path_factory):
    root = tmp_path_factory.mktemp("bureau") / "b"
    generate(root, 60, seed=7)
    return root


@pytest.fixture
def project(bureau, tmp_path):
    root = tmp_path / "p"
    shutil.copytree(bureau, root)
    return root


def summary(state):
    return (
        [i.rel for i in state.items],
        state.problems,
        [(d.item.rel, d.published, d.reasons) for d in state.decisions],
    )


def bump(path: Path, text: str) -> None:
    """Write and make sure the modification stamp differs even on coarse clocks."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns == before:
        import os

        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


def items_of(root: Path) -> list[Path]:
    return sorted((root / "content").rglob("*.md"))


def test_refresh_matches_a_fresh_load(project):
    live = LiveState(project, today=TODAY)
    assert live.refresh() == set()
    assert summary(live.state) == summary(load_state(project, today=TODAY))
    files = items_of(project)
    edits = [
        lambda: bump(files[0], files[0].read_text(encoding="utf-8") + "\n新增一段。\n"),  # signed item goes stale
        lambda: bump(files[1], files[1].read_text(encoding="utf-8").replace("title:", "titel:", 1)),  # unknown field
        lambda: bump(files[2].with_name("copy-" + files[2].name), files[3].read_text(encoding="utf-8")),  # duplicate id
        lambda: files[4].unlink(),
        lambda: bump(files[5], "没有元数据\n"),
    ]
    attachment = next((p for p in (project / "content").rglob("*") if p.suffix in (".pdf", ".docx", ".xlsx")), None)
    if attachment is not None:
        edits.append(lambda: attachment.write_bytes(attachment.read_bytes() + b"x"))
    for edit in edits:
        edit()
        changed = live.refresh()
        assert changed
        assert summary(live.state) == summary(load_state(project, today=TODAY))
    codes = {c for d in live.state.withheld for c in d.codes}
    assert {"stale", "invalid"} <= codes


def test_catalog_change_reloads_everything(project):
    live = LiveState(project, today=TODAY)
    catalog = project / "catalog.yml"
    bump(catalog, catalog.read_text(encoding="utf-8").replace("  - name: 周立衡\n    role: 局办公室主任（保密审查）\n", ""))
    live.refresh()
    assert summary(live.state) == summary(load_state(project, today=TODAY))
    assert any("unauthorised" in d.codes for d in live.state.withheld)


def test_preview_plan_reusing_pages_matches_a_fresh_plan(project):
    from gongkai.adapters.preview_plan import PlanCache, preview_plan

    live = LiveState(project, today=TODAY)
    cache = PlanCache()
    assert preview_plan(live.state, cache) == preview_plan(live.state)
    files = items_of(project)
    edits = [
        lambda: bump(files[0], files[0].read_text(encoding="utf-8") + "\n新增一段。\n"),  # body
        lambda: bump(files[1], files[1].read_text(encoding="utf-8").replace("title: ", "title: 改过的", 1)),  # a listed title
        lambda: files[2].unlink(),  # gone from its lists
        lambda: bump(files[3], files[3].read_text(encoding="utf-8").replace("catalog:", "catalgo:", 1)),  # broken: not shown
    ]
    for edit in edits:
        edit()
        assert live.refresh()
        assert preview_plan(live.state, cache) == preview_plan(live.state)


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def wait_until(check, limit: float = 30.0):
    end = time.monotonic() + limit
    while time.monotonic() < end:
        result = check()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError("the preview did not update")


def test_preview_serves_edits_drafts_and_hides_broken_items(project, monkeypatch):
    from gongkai.adapters.preview_server import start_preview

    monkeypatch.setenv("GONGKAI_BUILD_DATE", TODAY.isoformat())
    preview, server, stop = start_preview(project, port=0, site_dir=project.parent / "preview-site")
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        state = preview.live.state
        item = state.published[0]
        url = f"{base}item/{item.id_key}/"
        status, html = fetch(url)
        assert status == 200 and item.title in html and "__gongkai__/reload.js" in html
        version = fetch(base + "__gongkai__/version")[1]

        # An edit: the page shows it, marked as not publishable until signed again.
        text = item.path.read_text(encoding="utf-8")
        bump(item.path, text.replace("\n---\n\n", "\n---\n\n预览新句子。\n\n", 1))
        html = wait_until(lambda: (lambda r: r[1] if "预览新句子" in r[1] else None)(fetch(url)))
        assert "本条目不会发布" in html and "需要重新审查" in html
        assert fetch(base + "__gongkai__/version")[1] != version

        # A broken item is not shown at all (its errors go to the console).
        bump(item.path, text.replace("catalog:", "catalgo:", 1))
        wait_until(lambda: fetch(url)[0] == 404)

        # Restored: published again, no banner.
        bump(item.path, text)
        html = wait_until(lambda: (lambda r: r[1] if r[0] == 200 else None)(fetch(url)))
        assert "本条目不会发布" not in html and "预览新句子" not in html
        assert fetch(base + "search/")[0] == 200 and "预览模式不建立检索索引" in fetch(base + "search/")[1]
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


def test_catalog_change_shows_on_every_page_of_the_preview(project, monkeypatch):
    """The menu, header and footer come from catalog.yml: after a change, pages rendered before
    and pages not yet rendered show the new text (not the one from the preview's start)."""
    from gongkai.adapters.preview_server import start_preview

    monkeypatch.setenv("GONGKAI_BUILD_DATE", TODAY.isoformat())
    preview, server, stop = start_preview(project, port=0, site_dir=project.parent / "preview-site")
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        item = preview.live.state.published[0]
        seen, unseen = f"{base}item/{item.id_key}/", f"{base}topic/"
        assert "政府信息公开指南" in fetch(seen)[1]
        catalog = project / "catalog.yml"
        text = catalog.read_text(encoding="utf-8")
        assert text.count("name: 政府信息公开指南\n") == 1 and "phone: 0999-12345678" in text
        bump(catalog, text.replace("name: 政府信息公开指南\n", "name: 公开指南新名称\n").replace("phone: 0999-12345678", "phone: 0999-87654321"))
        for url in (seen, unseen):
            html = wait_until(lambda: (lambda r: r[1] if "公开指南新名称" in r[1] else None)(fetch(url)))
            assert "0999-87654321" in html and "0999-12345678" not in html, url
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


def test_a_new_item_with_errors_is_reported_in_the_console(project, monkeypatch, caplog):
    """A new item that cannot be shown yet (gongkai new, fields still empty) changes no page;
    the preview still says what is wrong with it, or the editor sees neither page nor reason."""
    from gongkai.adapters.preview import PreviewSite

    monkeypatch.setenv("GONGKAI_BUILD_DATE", TODAY.isoformat())
    preview = PreviewSite(project, project.parent / "preview-site")
    source = preview.live.state.published[0].path
    new = source.with_name("2026-09999.md")
    bump(new, source.read_text(encoding="utf-8").split("\n---\n")[0].replace(source.stem, "2026-09999").replace("topics:", "topics: []\nx_topics:", 1) + "\n---\n\n正文。\n")
    with caplog.at_level(logging.ERROR, logger="mkdocs.plugins.gongkai"):
        preview._update_and_report()
    assert any(new.name in r.getMessage() for r in caplog.records), [r.getMessage() for r in caplog.records]


@pytest.mark.parametrize("stop_signal", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_stopped_preview_removes_its_folder(project, tmp_path, stop_signal):
    """Closing the terminal or a plain kill stops the preview as Ctrl+C does: its temporary site goes too. The
    preview starts with SIGINT ignored, as a script's background job does (Python then sets no handler)."""
    import os
    import signal
    import socket
    import subprocess
    import sys

    temp, said = tmp_path / "temp", tmp_path / "said.txt"
    temp.mkdir()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with said.open("wb") as stderr:
        proc = subprocess.Popen([sys.executable, "-m", "gongkai.cli.main", "-C", str(project), "preview", "--dev-addr", f"127.0.0.1:{port}"],
                                env={**os.environ, "TMPDIR": str(temp), "GONGKAI_BUILD_DATE": "2026-11-25"},
                                stdout=subprocess.DEVNULL, stderr=stderr,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
                    break
                except OSError:
                    assert proc.poll() is None and time.monotonic() < deadline, said.read_text(encoding="utf-8")
                    time.sleep(0.2)
            assert [p.name[:16] for p in temp.iterdir()] == ["gongkai-preview-"]
            proc.send_signal(getattr(signal, stop_signal))
            proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert list(temp.iterdir()) == []
    assert "Traceback" not in said.read_text(encoding="utf-8")
