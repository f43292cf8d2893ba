"""Deny by default: which changed paths are content, and which are platform changes.

    rules = content_rules(root, merge_base)        # the installed rules and the base's copy
    platform = platform_changes(changes, rules)    # everything that is not content under both

Only the folders in change_paths.yml are content (items, their attachments, requests/, annual/);
every other path, known or not, shapes the site in ways no sign-off covers and needs the
platform owner and a second reviewer. A change that rewrites the rules themselves cannot
reclassify anything: a path is content only if the merge base's rules agree.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from gongkai.review.history import git

RULES_FILE = Path(__file__).with_name("change_paths.yml")
SOURCE_PATH = "plugins/gongkai/reports/change_paths.yml"  # where the product's own repository keeps it
APPROVAL = "须由平台负责人和第二位审查人员批准"


@dataclass(frozen=True)
class PlatformChange:
    path: str
    change: str  # added, modified, renamed, deleted
    old_path: str | None = None

    def to_json(self) -> dict:
        return {"path": self.path, "change": self.change, "old_path": self.old_path, "approval": APPROVAL}


def parse_rules(text: str) -> tuple[str, ...]:
    """The content folder prefixes of a change_paths.yml text; unreadable rules make nothing content."""
    try:
        data = yaml.safe_load(text)
        return tuple(str(entry["path"]) for entry in data["content"] if str(entry["path"]).endswith("/"))
    except (yaml.YAMLError, TypeError, KeyError):
        return ()


def content_rules(root: Path, merge_base: str) -> list[tuple[str, ...]]:
    """The installed rules, and the merge base's copy when the project carries the package's source."""
    rules = [parse_rules(RULES_FILE.read_text(encoding="utf-8"))]
    try:
        rel, carried = RULES_FILE.resolve().relative_to(root.resolve()).as_posix(), True
    except ValueError:  # installed from elsewhere: the project may still hold the source (a copy in site-packages)
        rel, carried = SOURCE_PATH, False
    shown = git(root, "show", f"{merge_base}:./{rel}")
    if shown.returncode == 0:
        rules.append(parse_rules(shown.stdout))
    elif carried:
        rules.append(())  # the rules are new in this change: nothing counts as content yet
    return rules


def is_content(path: str, rules: list[tuple[str, ...]]) -> bool:
    return all(any(path.startswith(prefix) for prefix in prefixes) for prefixes in rules)


def platform_changes(changes: list[tuple[str, str, str | None]], rules: list[tuple[str, ...]]) -> list[PlatformChange]:
    """(change, path, old path) triples -> the platform changes among them (a rename counts
    when either side is not content: moving a file out of plugins/ changes the platform)."""
    out = []
    for change, path, old in changes:
        if not is_content(path, rules) or (old is not None and not is_content(old, rules)):
            out.append(PlatformChange(path, change, old))
    return sorted(set(out), key=lambda c: c.path)


def outside_project(root: Path, merge_base: str) -> list[tuple[str, str, str | None]]:
    """Changes in the same git repository outside the project folder (../…): never content."""
    prefix = git(root, "rev-parse", "--show-prefix").stdout.strip()
    if not prefix:
        return []
    top = Path(git(root, "rev-parse", "--show-toplevel").stdout.strip())
    diff = git(top, "diff", "--name-only", "-z", merge_base).stdout.split("\0")
    untracked = git(top, "ls-files", "--others", "--exclude-standard", "-z").stdout.split("\0")
    paths = sorted({p for p in diff + untracked if p and not p.startswith(prefix)})
    return [("modified", os.path.relpath(p, prefix), None) for p in paths]


def platform_lines(platform: list[PlatformChange], allowed: bool, change_names: dict[str, str]) -> list[str]:
    """The platform section of review-status's text report."""
    if not platform:
        return []
    head = f"⚠ 平台改动 {len(platform)} 处（不是条目内容：代码、模板、配置、审查人员名单、CI 等），{APPROVAL}"
    head += "（已由 --allow-platform 确认批准）：" if allowed else "："
    lines = ["", head]
    for c in platform:
        moved = f"，原路径 {c.old_path}" if c.old_path else ""
        lines.append(f"  · {c.path}（{change_names.get(c.change, c.change)}{moved}）")
    return lines
