"""The sensitive-data scan's configuration (catalog.yml `sensitive`): marks, which items, the allow-list.

A reviewer may approve a specific match in `sensitive.allow` (item + literal or sha256 of
the match); there is no switch that turns the scan off.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from gongkai.core.catalog import Catalog
from gongkai.core.problems import Problem, relative

DEFAULT_SCAN_DISCLOSURE = ["主动公开"]


def fingerprint(normalized: str) -> str:
    """What an allow-list entry may name instead of the match itself."""
    return "sha256:" + hashlib.sha256(normalized.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Allow:
    item: str
    match: str
    reason: str
    reviewer: str
    where: str = "sensitive.allow"  # its field in catalog.yml, as problems name it

    def covers(self, item_id: str, hit) -> bool:
        if self.item != item_id:
            return False
        return self.match in (hit.text, hit.normalized, fingerprint(hit.normalized))


@dataclass
class Config:
    marks: list[str]
    scan_disclosure: list[str]
    allow: list[Allow]
    problems: list[Problem]  # problems with the configuration itself (catalog.yml)


def load_config(catalog: Catalog, root: Path) -> Config:
    raw = catalog.raw.get("sensitive") or {}
    rel = relative(catalog.path, root)
    problems: list[Problem] = []

    def problem(where: str, message: str, fix: str, **kw) -> Problem:
        return Problem(rel, where, message, fix, line=catalog.line_of(where), **kw)
    if not isinstance(raw, dict):
        problems.append(problem("sensitive", "应当是键值映射", "按 docs/review-workflow.md 的示例填写 sensitive"))
        raw = {}
    marks = [str(m) for m in raw.get("marks") or []]
    if not marks:
        problems.append(problem("sensitive.marks", "没有配置密级和内部标志，这些标志不会被检查", "按 docs/review-workflow.md 填写 sensitive.marks", severity="warning"))
    scan_disclosure = [str(d) for d in raw.get("scan_disclosure") or DEFAULT_SCAN_DISCLOSURE]
    allow: list[Allow] = []
    for i, entry in enumerate(raw.get("allow") or []):
        where = f"sensitive.allow[{i + 1}]"
        if not isinstance(entry, dict):
            problems.append(problem(where, "应当是键值映射", "写成 {item: 索引号, match: 原文或 sha256:…, reason: 理由, reviewer: 审查人}"))
            continue
        missing = [k for k in ("item", "match", "reason", "reviewer") if not str(entry.get(k) or "").strip()]
        if missing:
            problems.append(problem(where, f"缺少{'、'.join(missing)}", "每一项都要写明条目索引号、具体匹配内容、理由和审查人；不允许整体关闭检查"))
            continue
        reviewer = str(entry["reviewer"])
        if reviewer not in catalog.reviewers:
            problems.append(problem(where + ".reviewer", f"「{reviewer}」不是经授权的保密审查人员", "由 reviewers 名单中的审查人员登记"))
            continue
        allow.append(Allow(str(entry["item"]), str(entry["match"]), str(entry["reason"]), reviewer, where))
    return Config(marks, scan_disclosure, allow, problems)
