"""Folders a killed command left beside the site and the reports are removed by the next one;
a running command's and anything gongkai did not make are left alone (core/staging.py)."""
from __future__ import annotations

import json
import os

from gongkai.core.staging import MARKER, marked_folder
from gongkai.project import load_state
from gongkai.reports.audit import write_reports
from gongkai.site.search import SearchPages
from review_helpers import make_project


def _dead_pid() -> int:
    child = os.fork()
    if child == 0:
        os._exit(0)
    os.waitpid(child, 0)
    return child


def _left_by(folder, pid: int):
    marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    (folder / MARKER).write_text(json.dumps({**marker, "pid": pid}), encoding="utf-8")
    (folder / "half-written.json").write_text("{", encoding="utf-8")
    return folder


def test_a_killed_report_writer_leaves_nothing_for_long(tmp_path):
    root = make_project(tmp_path)
    (root / "reports").mkdir()
    killed = _left_by(marked_folder(root / "reports", ".audit.writing-"), _dead_pid())
    running = _left_by(marked_folder(root / "reports", ".audit.writing-"), os.getppid())
    foreign = root / "reports" / ".audit.writing-mine"  # same name, no marker: not ours
    foreign.mkdir()
    reports = write_reports(load_state(root), root / "reports" / "audit", root / "site")
    assert not killed.exists() and running.is_dir() and foreign.is_dir()
    assert (reports / "manifest.json").is_file() and not (reports / MARKER).exists()


def test_a_killed_build_s_search_documents_are_removed_by_the_next(tmp_path):
    site = tmp_path / "site"
    killed = _left_by(marked_folder(tmp_path, ".site.search-"), _dead_pid())
    pages = SearchPages(site)
    try:
        assert not killed.exists() and pages.folder.is_dir()
    finally:
        pages.remove()
    assert not pages.folder.exists()
