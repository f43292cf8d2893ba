"""Gate additions: the author never approves their own item, scheduled and backdated dates."""
from __future__ import annotations

import json

from review_helpers import sample_key, commit, edit_catalog, gongkai, init_repo, make_project, sign, write_item


def check(root, **env):
    return json.loads(gongkai(root, "check", "--json", env=env).stdout)


def reasons(report):
    return {w["id"].rsplit("/", 1)[-1]: [r["code"] for r in w["reasons"]] for w in report["withheld"]}


def test_reviewer_who_is_the_author_is_withheld(tmp_path):
    root = make_project(tmp_path)
    path = write_item(root, "2026-00510", "自审条目", author="林书雅")
    sign(root, path, reviewer="周立衡")
    # hand-edit the block to the author's name: sign refuses this, the gate must too
    text = path.read_text(encoding="utf-8").replace("reviewer: 周立衡", "reviewer: 林书雅")
    path.write_text(text, encoding="utf-8")
    assert gongkai(root, "sign", str(path), "--reviewer", "林书雅", "--key", str(sample_key("林书雅"))).returncode == 1
    assert "reviewer_is_author" in reasons(check(root))["2026-00510"]


def test_future_publication_date_is_scheduled(tmp_path):
    root = make_project(tmp_path)
    path = write_item(root, "2026-00511", "定时发布", created="2026-11-20", published="2026-12-01")
    sign(root, path)
    assert reasons(check(root))["2026-00511"] == ["scheduled"]
    assert check(root, GONGKAI_BUILD_DATE="2026-12-01")["published"] == 1


def test_backdated_item_is_flagged_from_git_history(tmp_path):
    root = make_project(tmp_path)
    edit_catalog(root, lambda d: d["signoff"].pop("backdate_baseline", None))  # the sample's import date
    honest = write_item(root, "2026-00512", "按时发布", created="2026-11-01", published="2026-11-10")
    backdated = write_item(root, "2026-00513", "倒签发布", created="2026-11-01", published="2026-11-02")
    init_repo(root, date="2026-11-01")  # drafts committed unsigned
    sign(root, honest)
    sign(root, backdated)
    commit(root, "sign both", date="2026-11-10")
    report = check(root)
    flagged = [p for p in report["problems"] if p["field"] == "published"]
    assert [p["path"] for p in flagged] == ["content/gzdt/2026-00513.md"]
    assert flagged[0]["severity"] == "warning" and "2026-11-10" in flagged[0]["message"]
    assert report["published"] == 2 and report["notices"] == []
    # a rename does not reset the history
    (root / "content" / "tzgg").mkdir()
    backdated.rename(root / "content" / "tzgg" / backdated.name)
    edit_catalog(root, lambda d: d["signoff"].__setitem__("backdated", "withhold"))
    commit(root, "move and make backdating blocking", date="2026-11-12")
    report = check(root)
    # moved to another folder: still dated by its first sign-off, now withheld
    assert report["published"] == 1
    assert "backdated" in reasons(report)["2026-00513"]
    edit_catalog(root, lambda d: d["signoff"].__setitem__("backdate_baseline", "2026-11-10"))
    assert check(root)["published"] == 2


def test_outside_git_the_backdating_check_says_it_could_not_run(tmp_path):
    root = make_project(tmp_path)
    sign(root, write_item(root, "2026-00514", "压缩包构建"))
    report = check(root)
    assert report["published"] == 1
    assert any("无法核对发布日期是否倒签" in n for n in report["notices"])
    assert "提示：无法核对发布日期是否倒签" in gongkai(root, "check").stdout
