"""The audit trail: manifest of published items and withheld list, outside the site, only on success."""
from __future__ import annotations

import json

from gongkai.reports.audit import ReportsError, write_reports
from gongkai.project import load_state
from review_helpers import gongkai, init_repo, make_project, sign, write_item

import pytest


def test_build_writes_manifest_and_withheld_outside_the_site(tmp_path):
    root = make_project(tmp_path)
    path = write_item(root, "2026-00540", "审计条目")
    sign(root, path, reviewer="林书雅")
    write_item(root, "2026-00541", "未审条目")
    init_repo(root, date="2026-11-25")
    result = gongkai(root, "build")
    assert result.returncode == 0, result.stderr
    reports = root / "reports" / "audit"
    manifest = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))
    head = (root / ".git" / "HEAD").exists()
    assert head and len(manifest["commit"]) == 40 and manifest["build_date"] == "2026-11-25"
    [row] = manifest["published"]
    assert row["id"] == "11999900MB1234567Q/2026-00540" and row["reviewer"] == "林书雅"
    assert row["decision"] == "同意公开" and row["digest"].startswith("sha256:") and row["review_date"] == "2026-11-25"
    assert row["title"] == "审计条目" and row["url"] == "item/2026-00540/"
    withheld = json.loads((reports / "withheld.json").read_text(encoding="utf-8"))
    assert [w["id"] for w in withheld["withheld"]] == ["11999900MB1234567Q/2026-00541"]
    assert withheld["withheld"][0]["reasons"][0]["code"] == "unsigned"
    assert "未审条目" in (reports / "audit.md").read_text(encoding="utf-8")
    site = root / "site"
    assert not list(site.rglob("manifest.json")) and not list(site.rglob("withheld.json"))
    # a failed build keeps the previous reports
    before = {p.name: p.read_bytes() for p in reports.iterdir()}
    write_item(root, "2026-00542", "坏条目", published="not a date")
    assert gongkai(root, "build").returncode == 1
    assert {p.name: p.read_bytes() for p in reports.iterdir()} == before


def test_reports_dir_inside_the_site_is_refused(tmp_path):
    root = make_project(tmp_path)
    state = load_state(root)
    with pytest.raises(ReportsError):
        write_reports(state, root / "site" / "reports", root / "site")
