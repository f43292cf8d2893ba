"""Deny by default: every change outside content/, requests/ and annual/ is a platform change.

`gongkai review-status` lists it with 须由平台负责人和第二位审查人员批准 and fails unless
--allow-platform; CODEOWNERS and the CI templates follow the same split (change_paths.yml).
"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import yaml

from gongkai.reports.change_paths import RULES_FILE, is_content, parse_rules
from review_helpers import REPO, commit, git, gongkai, init_repo, make_project, sign, status, write_item

APPROVAL = "须由平台负责人和第二位审查人员批准"
RULES = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
CONTENT = [entry["path"] for entry in RULES["content"]]
LABEL = RULES["approval_label"]


def scratch(tmp_path) -> Path:
    """A project on main with a signed item and platform files, checked out on branch pr."""
    root = make_project(tmp_path)
    sign(root, write_item(root, "2026-00540", "已发布条目"))
    (root / "plugins" / "gongkai").mkdir(parents=True)
    (root / "plugins" / "gongkai" / "project.py").write_text("PUBLISH = 'signed'\n", encoding="utf-8")
    for name in (".gitlab-ci.yml", ".gitignore"):
        (root / name).write_text((REPO / name).read_text(encoding="utf-8"), encoding="utf-8")
    init_repo(root, date="2026-11-02")
    git(root, "checkout", "-q", "-b", "pr")
    return root


def platform_paths(report):
    return [c["path"] for c in report["platform_changes"]]


def test_a_change_under_plugins_needs_approval(tmp_path):
    root = scratch(tmp_path)
    code = root / "plugins" / "gongkai" / "project.py"
    code.write_text("PUBLISH = 'everything'\n", encoding="utf-8")
    commit(root, "publish everything", date="2026-11-03")
    report = status(root)
    assert not report["ok"] and report["needs_second_reviewer"] and report["blocking"] == 0
    assert report["platform_changes"] == [{"path": "plugins/gongkai/project.py", "change": "modified", "old_path": None, "approval": APPROVAL}]
    text = gongkai(root, "review-status", "--base", "main")
    assert text.returncode == 1 and APPROVAL in text.stdout and "plugins/gongkai/project.py（修改）" in text.stdout
    assert "不能合并" in text.stdout
    allowed = gongkai(root, "review-status", "--base", "main", "--allow-platform")
    assert allowed.returncode == 0 and APPROVAL in allowed.stdout and "--allow-platform" in allowed.stdout
    assert status(root, "--allow-platform")["platform_allowed"] is True


def test_every_path_outside_content_is_a_platform_change(tmp_path):
    root = scratch(tmp_path)
    for name in ("mkdocs.yml", "catalog.yml", ".gitlab-ci.yml"):
        (root / name).write_text((root / name).read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    (root / "unknown.txt").write_text("x", encoding="utf-8")
    (root / "reviewers").mkdir(exist_ok=True)
    (root / "reviewers" / "roster.yml").write_text("reviewers: []\n", encoding="utf-8")
    (root / ".github").mkdir()
    (root / ".github" / "CODEOWNERS").write_text("* @someone\n", encoding="utf-8")
    git(root, "rm", "-q", "plugins/gongkai/project.py")
    report = status(root)
    assert platform_paths(report) == [".github/CODEOWNERS", ".gitlab-ci.yml", "catalog.yml", "mkdocs.yml", "plugins/gongkai/project.py", "reviewers/roster.yml", "unknown.txt"]
    assert not report["ok"] and report["items"] == []
    assert {c["change"] for c in report["platform_changes"]} == {"added", "modified", "deleted"}


def test_moving_a_file_out_of_content_is_a_platform_change(tmp_path):
    root = scratch(tmp_path)
    git(root, "mv", "content/gzdt/2026-00540.md", "2026-00540.md")
    report = status(root)
    assert report["platform_changes"][0]["path"] == "2026-00540.md"
    assert report["platform_changes"][0]["old_path"] == "content/gzdt/2026-00540.md"


def test_content_only_changes_are_unaffected(tmp_path):
    root = scratch(tmp_path)
    sign(root, write_item(root, "2026-00541", "新条目"))
    (root / "requests").mkdir()
    (root / "requests" / "2026.yml").write_text("requests: []\n", encoding="utf-8")
    (root / "annual").mkdir()
    (root / "annual" / "2025.yml").write_text("year: 2025\n", encoding="utf-8")
    commit(root, "content", date="2026-11-03")
    report = status(root)
    assert report["ok"] and report["platform_changes"] == [] and report["needs_second_reviewer"] is False
    assert [i["path"] for i in report["items"]] == ["content/gzdt/2026-00541.md"]
    assert APPROVAL not in gongkai(root, "review-status", "--base", "main").stdout


def test_changes_outside_the_project_folder_are_platform_changes(tmp_path):
    repo = tmp_path / "repo"
    root = make_project(repo)  # the project lives in repo/proj
    sign(root, write_item(root, "2026-00542", "条目"))
    (repo / "shared.py").write_text("x = 1\n", encoding="utf-8")
    init_repo(repo, date="2026-11-02")
    git(repo, "checkout", "-q", "-b", "pr")
    (repo / "shared.py").write_text("x = 2\n", encoding="utf-8")
    assert platform_paths(status(root)) == ["../shared.py"]


def test_rules_changed_in_the_same_change_cannot_make_a_path_content():
    base = parse_rules(RULES_FILE.read_text(encoding="utf-8"))
    widened = parse_rules("content:\n  - {path: content/}\n  - {path: plugins/}\n")
    assert is_content("content/gzdt/a.md", [widened, base])
    assert not is_content("plugins/gongkai/project.py", [widened, base])
    assert parse_rules("content: [") == () and not is_content("content/a.md", [base, ()])


def codeowners_rules() -> list[tuple[str, list[str]]]:
    lines = (REPO / ".github" / "CODEOWNERS").read_text(encoding="utf-8").splitlines()
    return [(parts[0], parts[1:]) for parts in (line.split() for line in lines) if parts and not parts[0].startswith("#")]


def test_codeowners_follow_the_same_split():
    rules = codeowners_rules()
    assert rules[0][0] == "*" and rules[0][1], "everything defaults to the platform owners (first rule)"
    platform_owners = set(rules[0][1])
    later = {pattern: owners for pattern, owners in rules[1:]}
    assert sorted(later) == sorted("/" + p for p in CONTENT), "only the content folders leave the platform owners"
    assert all(owners and not platform_owners & set(owners) for owners in later.values())


def ci_job_script(path: str, job: str) -> str:
    data = yaml.safe_load((REPO / path).read_text(encoding="utf-8"))
    if path == ".gitlab-ci.yml":
        return "\n".join(data[job]["script"])
    step = next(s for s in data["jobs"]["gongkai"]["steps"] if "review-status" in s.get("run", ""))
    assert f"'{LABEL}'" in step["env"]["ALLOW_PLATFORM"]
    return step["run"]


def run_ci(clone: Path, script: str, env: dict) -> subprocess.CompletedProcess:
    exe = Path(os.sys.executable).with_name("gongkai")
    script = script.replace(".venv/bin/gongkai", str(exe))
    full = {**os.environ, "GONGKAI_BUILD_DATE": "2026-11-25", **env}
    return subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=clone, capture_output=True, text=True, env=full)


def test_ci_templates_fail_on_unapproved_platform_changes(tmp_path):
    origin = scratch(tmp_path)
    git(origin, "checkout", "-q", "main")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True)
    git(clone, "checkout", "-q", "-b", "feature")
    (clone / "plugins" / "gongkai" / "project.py").write_text("PUBLISH = 'everything'\n", encoding="utf-8")
    commit(clone, "platform", date="2026-11-03")
    gitlab = ci_job_script(".gitlab-ci.yml", "review-status")
    github = ci_job_script(".github/workflows/gongkai.yml", "")
    assert "|| true" not in gitlab + github
    env = {"CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main", "CI_MERGE_REQUEST_LABELS": "文档"}
    refused = run_ci(clone, gitlab, env)
    assert refused.returncode == 1 and APPROVAL in refused.stdout
    assert json.loads((clone / "review-status.json").read_text(encoding="utf-8"))["platform_changes"]
    assert run_ci(clone, gitlab, {**env, "CI_MERGE_REQUEST_LABELS": f"文档,{LABEL}"}).returncode == 0
    assert run_ci(clone, github, {"BASE_REF": "main", "ALLOW_PLATFORM": ""}).returncode == 1
    assert run_ci(clone, github, {"BASE_REF": "main", "ALLOW_PLATFORM": "--allow-platform"}).returncode == 0
    # a content-only change passes without the label (the JSON the job writes is not a change)
    git(clone, "reset", "-q", "--hard", "origin/main")
    sign(clone, write_item(clone, "2026-00543", "新条目"))
    commit(clone, "content", date="2026-11-03")
    assert run_ci(clone, gitlab, env).returncode == 0
    assert run_ci(clone, github, {"BASE_REF": "main", "ALLOW_PLATFORM": ""}).returncode == 0


def test_a_project_carrying_the_rules_is_judged_by_its_base_copy(tmp_path):
    """The project's own copy at the merge base counts as well as the installed one: a path is
    content only if both say so (here the base copy leaves requests/ out)."""
    root = scratch(tmp_path)
    rules = root / "plugins" / "gongkai" / "reports" / "change_paths.yml"
    rules.parent.mkdir(parents=True)
    rules.write_text("content:\n  - {path: content/}\n", encoding="utf-8")
    commit(root, "rules", date="2026-11-03")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "pr")
    git(root, "checkout", "-q", "pr")
    rules.write_text(RULES_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "requests").mkdir()
    (root / "requests" / "2026.yml").write_text("requests: []\n", encoding="utf-8")
    sign(root, write_item(root, "2026-00544", "新条目"))
    report = status(root)
    assert platform_paths(report) == ["plugins/gongkai/reports/change_paths.yml", "requests/2026.yml"]
    assert [i["path"] for i in report["items"]] == ["content/gzdt/2026-00544.md"]
