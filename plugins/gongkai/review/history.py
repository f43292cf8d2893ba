"""Git history facts: when an item first became publishable (backdating check).

发布日期 is a claim about the past; the repository can check it. An item whose
发布日期 is earlier than the commit that first added its review block (the
first moment it could have been published) is flagged as backdated
(伪造发稿日期 is a single-veto failure in website inspections).

Only local git commands are used (no call to a git host). Outside a git work
tree (a tarball), or in a shallow clone, the check cannot be made: we say so
and carry on.
"""
from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

from gongkai.core.catalog import Catalog
from gongkai.review.gate import Decision
from gongkai.core.items import as_date
from gongkai.core.problems import Problem

REVIEW_LINE = r"^review\s*:"
MODES = ("warn", "withhold")


def git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, encoding="utf-8", errors="replace")


def unavailable_reason(root: Path) -> str | None:
    """Why git history cannot be used here, or None when it can."""
    if shutil.which("git") is None:
        return "未安装 git"
    inside = git(root, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        return "项目不在 git 仓库中（例如从压缩包构建）"
    if git(root, "rev-parse", "--is-shallow-repository").stdout.strip() == "true":
        return "git 仓库是浅克隆，历史不完整（CI 中请用 fetch-depth: 0 完整检出）"
    return None


def _log(root: Path, pathspecs: list[str], *args: str) -> list[tuple[str, list[list[str]]]]:
    """(committer date, name-status rows) per commit touching the pathspecs, newest first."""
    result = git(root, "-c", "core.quotePath=false", "log", "-M", "--relative", "--format=%x00%cI", "--name-status", *args, "--", *pathspecs)
    commits = []
    for chunk in result.stdout.split("\0")[1:]:
        lines = chunk.strip("\n").split("\n")
        commits.append((lines[0][:10], [line.split("\t") for line in lines[1:] if line]))
    return commits


def first_signed(root: Path, rels: list[str]) -> dict[str, date]:
    """Per current path: committer date of the first commit that added a review block to the
    file under any of its names (renames followed). Paths never committed signed are absent."""
    pathspecs = sorted({rel.split("/", 1)[0] for rel in rels})  # content/
    earlier: dict[str, str] = {}  # name -> the name it had before a rename
    for _, rows in _log(root, pathspecs):
        for row in rows:
            if row[0].startswith("R") and len(row) == 3:
                earlier.setdefault(row[2], row[1])
    signed: dict[str, str] = {}  # name -> first date a review line changed under that name
    for day, rows in _log(root, pathspecs, "-G", REVIEW_LINE):
        for row in rows:
            signed[row[-1]] = day  # newest first: the last write is the earliest commit
    out: dict[str, date] = {}
    for rel in rels:
        names, name = [rel], rel
        while name in earlier and earlier[name] not in names:
            name = earlier[name]
            names.append(name)
        days = [signed[n] for n in names if n in signed]
        if days:
            out[rel] = date.fromisoformat(min(days))
    return out


def check_backdating(root: Path, catalog: Catalog, decisions: list[Decision]) -> tuple[dict[str, list[Problem]], list[str]]:
    """Backdating problems per item path, and notices when the check could not run.

    catalog.yml `signoff.backdated`: warn (default) reports a warning; withhold
    also withholds the item. `signoff.backdate_baseline` (a date) exempts sign-offs
    first committed on or before it (content imported into a new repository).
    """
    review = catalog.raw.get("signoff") or {}
    mode = str(review.get("backdated", "warn"))
    if mode not in MODES:
        mode = "withhold"  # unknown setting: the safe side
    baseline = as_date(review.get("backdate_baseline"))
    candidates = [d for d in decisions if d.published]
    if not candidates:
        return {}, []
    why = unavailable_reason(root)
    if why:
        return {}, [f"无法核对发布日期是否倒签：{why}"]
    found: dict[str, list[Problem]] = {}
    firsts = first_signed(root, [d.item.rel for d in candidates])
    for decision in candidates:
        item = decision.item
        first = firsts.get(item.rel)
        if first is None or item.published is None or item.published >= first:
            continue
        if baseline and first <= baseline:
            continue
        text = f"发布日期 {item.published} 早于首次签署提交的日期 {first}（疑似倒签发稿日期）"
        found[item.rel] = [
            Problem(
                item.rel,
                "published",
                text,
                f"发布日期应为信息实际公开之日，不得早于 {first}；改正后重新签署",
                line=item.line_of("published"),
                severity="error" if mode == "withhold" else "warning",
            )
        ]
        if mode == "withhold":
            decision.published = False
            decision.reasons.append(("backdated", text))
    return found, []
