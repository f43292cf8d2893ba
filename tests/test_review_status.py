"""`gongkai review-status`: the pull-request check on changed items and gate-rule changes."""
from __future__ import annotations

import json

from review_helpers import commit, edit_catalog, git, gongkai, init_repo, make_project, sign, status, write_item


def by_path(report):
    return {i["path"]: i for i in report["items"]}


def setup_repo(tmp_path):
    root = make_project(tmp_path)
    folder = root / "content" / "gzdt"
    folder.mkdir(parents=True)
    (folder / "a.csv").write_text("项目,金额\n养护,100\n", encoding="utf-8")
    published = write_item(root, "2026-00520", "已发布条目", attachments=[{"file": "a.csv", "title": "明细"}])
    sign(root, published)
    init_repo(root, date="2026-11-02")
    git(root, "checkout", "-q", "-b", "pr")
    return root, published


def test_new_unsigned_item_blocks_until_signed(tmp_path):
    root, _ = setup_repo(tmp_path)
    new = write_item(root, "2026-00521", "新条目")
    report = status(root)
    item = by_path(report)["content/gzdt/2026-00521.md"]
    assert item["change"] == "added" and item["statuses"] == ["missing"] and item["blocking"]
    text = gongkai(root, "review-status", "--base", "main")
    assert text.returncode == 1 and "未签署" in text.stdout and "不能合并" in text.stdout
    sign(root, new)
    commit(root, "sign", date="2026-11-03")
    report = status(root)
    assert report["ok"] and by_path(report)["content/gzdt/2026-00521.md"]["statuses"] == ["signed"]
    assert report["needs_second_reviewer"] is False


def test_edit_after_signoff_is_stale_in_check_and_build(tmp_path):
    root, published = setup_repo(tmp_path)
    published.write_text(published.read_text(encoding="utf-8").replace("正文。", "正文（改）。"), encoding="utf-8")
    commit(root, "edit", date="2026-11-03")
    item = by_path(status(root))["content/gzdt/2026-00520.md"]
    assert item["change"] == "modified" and item["statuses"] == ["stale"] and item["reviewer"] == "周立衡"
    check = json.loads(gongkai(root, "check", "--json").stdout)
    assert check["published"] == 0 and "stale" in [r["code"] for r in check["withheld"][0]["reasons"]]


def test_changed_attachment_brings_in_its_item(tmp_path):
    root, _ = setup_repo(tmp_path)
    (root / "content" / "gzdt" / "a.csv").write_text("项目,金额\n养护,999\n", encoding="utf-8")
    (root / "content" / "gzdt" / "stray.txt").write_text("x", encoding="utf-8")
    report = status(root)
    item = by_path(report)["content/gzdt/2026-00520.md"]
    assert item["change"] == "attachment" and item["via_attachments"] == ["content/gzdt/a.csv"]
    assert item["statuses"] == ["stale"] and not report["ok"]
    assert report["unreferenced_files"] == ["content/gzdt/stray.txt"]


def test_rename_is_followed(tmp_path):
    root, published = setup_repo(tmp_path)
    (root / "content" / "tzgg").mkdir()
    git(root, "mv", "content/gzdt/2026-00520.md", "content/tzgg/2026-00520.md")
    git(root, "mv", "content/gzdt/a.csv", "content/tzgg/a.csv")
    commit(root, "move", date="2026-11-03")
    report = status(root)
    item = by_path(report)["content/tzgg/2026-00520.md"]
    assert item["change"] == "renamed" and item["old_path"] == "content/gzdt/2026-00520.md"
    assert item["statuses"] == ["signed"] and report["ok"]


def test_unauthorised_and_author_reviewers(tmp_path):
    root, published = setup_repo(tmp_path)
    a = write_item(root, "2026-00522", "自审", author="顾海川")
    sign(root, a, reviewer="周立衡")
    a.write_text(a.read_text(encoding="utf-8").replace("reviewer: 周立衡", "reviewer: 顾海川"), encoding="utf-8")
    published.write_text(published.read_text(encoding="utf-8").replace("reviewer: 周立衡", "reviewer: 王五"), encoding="utf-8")
    items = by_path(status(root))
    # the rewritten blocks no longer match 周立衡's signature either
    assert items["content/gzdt/2026-00522.md"]["statuses"] == ["author", "key_not_in_roster"]
    assert items["content/gzdt/2026-00520.md"]["statuses"] == ["unauthorised"]


def test_not_proactive_items_do_not_block(tmp_path):
    root, _ = setup_repo(tmp_path)
    write_item(root, "2026-00523", "依申请", disclosure="依申请公开")
    report = status(root)
    assert report["ok"] and "not_publishable" in by_path(report)["content/gzdt/2026-00523.md"]["statuses"]


def test_gate_rule_changes_need_a_second_reviewer(tmp_path):
    root, _ = setup_repo(tmp_path)
    edit_catalog(root, lambda d: d["reviewers"].append({"name": "王五", "role": "新审查人"}))
    edit_catalog(root, lambda d: d["sensitive"]["allow"].append({"item": "x", "match": "y", "reason": "z", "reviewer": "周立衡"}))
    report = status(root, "--allow-platform")
    assert report["ok"] and report["needs_second_reviewer"]
    assert report["gate_changes"] == ["catalog.yml 的 reviewers 有改动", "catalog.yml 的 sensitive 有改动"]
    assert [c["path"] for c in report["platform_changes"]] == ["catalog.yml"]
    text = gongkai(root, "review-status", "--base", "main").stdout
    assert "第二位审查人员" in text
    # other catalog edits name no gate key, but are still platform changes
    git(root, "checkout", "-q", "--", "catalog.yml")
    edit_catalog(root, lambda d: d["site"].__setitem__("keywords", ["交通"]))
    report = status(root)
    assert report["gate_changes"] == [] and not report["ok"] and report["needs_second_reviewer"]


def test_outside_git_is_a_clear_error(tmp_path):
    root = make_project(tmp_path)
    result = gongkai(root, "review-status", "--base", "main")
    assert result.returncode == 2 and "不在 git 仓库中" in result.stderr


def test_removing_a_reviewer_shows_the_items_it_would_unpublish(tmp_path):
    root, _ = setup_repo(tmp_path)
    edit_catalog(root, lambda d: d.__setitem__("reviewers", [r for r in d["reviewers"] if r["name"] != "周立衡"]))
    report = status(root)
    item = by_path(report)["content/gzdt/2026-00520.md"]
    assert item["change"] == "affected" and item["statuses"] == ["unauthorised"] and not report["ok"]
    assert "受 catalog.yml 或审查人员名单改动影响" in gongkai(root, "review-status", "--base", "main").stdout
