"""Repository templates stay in step with catalog.yml and run the three checks."""
from __future__ import annotations

import re

import yaml

from review_helpers import REPO


def test_codeowners_names_every_reviewer_and_guards_content_and_catalog():
    text = (REPO / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    catalog = yaml.safe_load((REPO / "catalog.yml").read_text(encoding="utf-8"))
    mapping = dict(re.findall(r"^#[ \t]+(\S+)[ \t]+.*->[ \t]+(@\S+)", text, flags=re.M))
    platform = mapping.pop("平台负责人")
    assert set(mapping) == {r["name"] for r in catalog["reviewers"]}
    rules = {line.split()[0]: set(line.split()[1:]) for line in text.splitlines() if line.strip() and not line.startswith("#")}
    for path in ("/content/", "/requests/", "/annual/"):
        assert rules[path] == set(mapping.values())
    assert rules["*"] == {platform} and "/catalog.yml" not in rules  # catalog.yml is a platform file


def test_pr_template_has_the_reviewer_checklist():
    text = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    for phrase in ["未经保密审查的信息不得公开", "未经解密并准予公开的信息不得公开", "公开与保密界限不清的信息不得公开", "身份证号", "手机号", "密级", "第二位审查人员", "- [ ]"]:
        assert phrase in text


def test_ci_files_run_check_review_status_and_build_with_full_history():
    github = yaml.safe_load((REPO / ".github" / "workflows" / "gongkai.yml").read_text(encoding="utf-8"))
    steps = github["jobs"]["gongkai"]["steps"]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert steps[0]["with"]["fetch-depth"] == 0
    gitlab = yaml.safe_load((REPO / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["variables"]["GIT_DEPTH"] == "0"
    scripts = "\n".join(line for job in gitlab.values() if isinstance(job, dict) for line in job.get("script", []))
    for text in (runs, scripts):
        assert "gongkai check" in text and "gongkai review-status --base" in text and "gongkai build" in text
    assert gitlab["build"]["artifacts"]["public"] is False


def test_review_workflow_doc_explains_branch_protection():
    text = (REPO / "docs" / "review-workflow.md").read_text(encoding="utf-8")
    for phrase in ["Require review from Code Owners", "Code owner approval", "gongkai review-status", "`audit/`", "allow:", "SOURCE_DATE_EPOCH"]:
        assert phrase in text
