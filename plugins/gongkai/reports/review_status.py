"""The pull-request check: has every changed publishable item a valid sign-off?

    report = review_status(root, "origin/main")

Compares the working tree (in CI: the PR's head) with the merge base of the
base ref, using only local git. Changed attachments count as changes to the
items that use them; renames are followed. Each changed item gets the gate's
own verdict, so this check and the build can never disagree. Every other
changed path is a platform change (deny by default, reports/change_paths.py)
that needs the platform owner and a second reviewer; the check fails on one
unless allow_platform says that approval was given. Changes to the gate's
catalog.yml keys (`signoff.gate_keys`) are named as well.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from gongkai.reports.change_paths import PlatformChange, content_rules, outside_project, platform_changes
from gongkai.review.gate import PROACTIVE
from gongkai.review.history import git
from gongkai.project import CATALOG_FILE, CONTENT_DIR, State, load_state
from gongkai.review.scanner import redact
from gongkai.review.signing.roster import ROSTER_DIR

# gate reason code -> review-status code; only these concern the sign-off itself
SIGNOFF_CODES = {
    "unsigned": "missing",
    "stale": "stale",
    "unauthorised": "unauthorised",
    "reviewer_is_author": "author",
    "review_in_future": "review_in_future",
    "invalid": "invalid",
    "sensitive": "sensitive",
    # the signature itself (review/signing/): each withheld with the gate's reason
    "name_only": "name_only",
    "no_roster": "bad_signature",
    "key_not_in_roster": "key_not_in_roster",
    "key_revoked": "key_revoked",
    "key_not_valid": "key_revoked",
    "bad_signature": "bad_signature",
    "replayed": "replayed",
    "review_before_created": "review_before_created",
}
LABELS = {
    "signed": "已签署",
    "missing": "未签署",
    "stale": "签署已失效（签署后内容有改动）",
    "unauthorised": "审查人未经授权",
    "author": "审查人是撰稿人本人",
    "review_in_future": "审查日期晚于今天",
    "invalid": "条目有错误（见 gongkai check）",
    "sensitive": "含疑似个人信息或密级标志",
    "not_publishable": "非主动公开，不在网站发布",
    "not_approved": "审查结论为不公开",
    "deleted": "已删除",
    "backdated": "发布日期疑似倒签",
    "name_only": "旧式签署（只有姓名，没有密钥签名）",
    "key_not_in_roster": "签署密钥不是名单中该审查人的密钥",
    "key_revoked": "签署密钥已吊销或不在有效期内",
    "bad_signature": "签名无效",
    "replayed": "签署是从其他条目复制的",
    "review_before_created": "审查日期早于生成日期",
}
SIGNATURE_STATUSES = {"name_only", "key_not_in_roster", "key_revoked", "bad_signature", "replayed", "review_before_created"}
BLOCKING = {"missing", "stale", "unauthorised", "author", "review_in_future", "invalid", "sensitive", *SIGNATURE_STATUSES}
DEFAULT_GATE_KEYS = ["reviewers", "review", "signoff", "sensitive"]


class ReviewStatusError(Exception):
    pass


@dataclass
class ItemStatus:
    path: str
    change: str  # added, modified, renamed, deleted, attachment, affected (by a catalog.yml change)
    old_path: str | None = None
    id: str = ""
    title: str = ""
    statuses: list[str] = field(default_factory=list)
    via: list[str] = field(default_factory=list)  # changed attachments that brought the item in
    reviewer: str = ""
    review_date: str = ""
    decision: str = ""
    publishable: bool = False
    reasons: list[str] = field(default_factory=list)  # the gate's words for a refused signature
    unreadable: list[str] = field(default_factory=list)  # why the front matter could not be read

    @property
    def blocking(self) -> bool:
        return self.publishable and bool(BLOCKING & set(self.statuses))

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "old_path": self.old_path,
            "change": self.change,
            "id": self.id,
            "title": self.title,
            "statuses": self.statuses,
            "labels": [LABELS[s] for s in self.statuses],
            "via_attachments": self.via,
            "reviewer": self.reviewer,
            "review_date": self.review_date,
            "decision": self.decision,
            "publishable": self.publishable,
            "blocking": self.blocking,
            "reasons": self.reasons,
        }


@dataclass
class Report:
    base: str
    merge_base: str
    items: list[ItemStatus]
    gate_changes: list[str]  # what changed in the gate's rules, in Chinese
    other_files: list[str]  # changed files under content/ that no item uses
    platform: list[PlatformChange] = field(default_factory=list)  # everything that is not content
    allow_platform: bool = False  # the platform owner and a second reviewer approved (--allow-platform)

    @property
    def ok(self) -> bool:
        return not any(i.blocking for i in self.items) and (self.allow_platform or not self.platform)

    def to_json(self) -> dict:
        return {
            "ok": self.ok,
            "base": self.base,
            "merge_base": self.merge_base,
            "items": [i.to_json() for i in self.items],
            "blocking": sum(i.blocking for i in self.items),
            "needs_second_reviewer": bool(self.gate_changes or self.platform),
            "gate_changes": self.gate_changes,
            "platform_changes": [c.to_json() for c in self.platform],
            "platform_allowed": self.allow_platform,
            "unreferenced_files": self.other_files,
        }


def _changes(root: Path, merge_base: str) -> list[tuple[str, str, str | None]]:
    """(status letter, path, old path) relative to root, working tree against merge_base."""
    diff = git(root, "diff", "--name-status", "-M", "-z", "--relative", merge_base)
    if diff.returncode != 0:
        raise ReviewStatusError(f"git diff 失败：{diff.stderr.strip()}")
    parts = diff.stdout.split("\0")
    out, i = [], 0
    while i < len(parts) and parts[i]:
        status = parts[i][0]
        if status in "RC":
            out.append((status, parts[i + 2], parts[i + 1]))
            i += 3
        else:
            out.append((status, parts[i + 1], None))
            i += 2
    untracked = git(root, "ls-files", "--others", "--exclude-standard", "-z")
    out += [("A", p, None) for p in untracked.stdout.split("\0") if p]
    return out


def _gate_changes(root: Path, merge_base: str, state: State) -> list[str]:
    review = state.catalog.raw.get("signoff") or {}
    keys = [str(k) for k in review.get("gate_keys") or DEFAULT_GATE_KEYS]
    shown = git(root, "show", f"{merge_base}:./{CATALOG_FILE}")
    base = yaml.safe_load(shown.stdout) if shown.returncode == 0 else None
    head = state.catalog.raw
    out = []
    if not isinstance(base, dict):
        out.append(f"{CATALOG_FILE} 是新建的：审查人员名单和审查规则需第二位审查人员确认")
        base = {}
    for key in dict.fromkeys(keys + [str(k) for k in (base.get("signoff") or {}).get("gate_keys") or []]):
        before, after = base, head
        for part in key.split("."):
            before = before.get(part) if isinstance(before, dict) else None
            after = after.get(part) if isinstance(after, dict) else None
        if before != after:
            out.append(f"{CATALOG_FILE} 的 {key} 有改动")
    return out


def _evaluate(state: State, rel: str, change: str, old: str | None) -> ItemStatus:
    decision = next((d for d in state.decisions if d.item.rel == rel), None)
    status = ItemStatus(path=rel, change=change, old_path=old)
    if decision is None:
        status.statuses = ["deleted"] if change == "deleted" else ["invalid"]
        return status
    item = decision.item
    status.id, status.title = item.id, redact(item.title)  # PR logs never show a full number
    review = item.review
    status.reviewer = str(review.get("reviewer", ""))
    status.review_date = str(review.get("date", ""))
    status.decision = str(review.get("decision", ""))
    # Front matter that cannot be read may well say 主动公开: deny by default.
    status.publishable = item.meta.get("disclosure") == PROACTIVE or bool(item.parse_problems)
    status.unreadable = [str(p) for p in item.parse_problems]
    codes = decision.codes
    found = list(dict.fromkeys(SIGNOFF_CODES[c] for c in codes if c in SIGNOFF_CODES))
    status.reasons = [text for code, text in decision.reasons if SIGNOFF_CODES.get(code) in SIGNATURE_STATUSES]
    if not status.publishable:
        found.append("not_publishable")
    elif "not_approved" in codes:
        found.append("not_approved")
    if any(p.field == "published" and "倒签" in p.message for p in state.problems.get(rel, [])):
        found.append("backdated")
    status.statuses = found if any(s in BLOCKING for s in found) else ["signed", *found] if review else found
    return status


def review_status(root: Path, base: str, state: State | None = None, allow_platform: bool = False) -> Report:
    if git(root, "rev-parse", "--is-inside-work-tree").stdout.strip() != "true":
        raise ReviewStatusError("项目不在 git 仓库中，无法比较改动")
    mb = git(root, "merge-base", base, "HEAD")
    if mb.returncode != 0:
        raise ReviewStatusError(f"找不到「{base}」与当前提交的合并基点（CI 中请完整检出：fetch-depth: 0）")
    merge_base = mb.stdout.strip()
    state = state or load_state(root)
    changes = _changes(root, merge_base)
    names = {"A": "added", "M": "modified", "R": "renamed", "C": "added", "D": "deleted", "T": "modified"}
    users = _attachment_users(root, state)
    statuses: dict[str, ItemStatus] = {}
    others: list[str] = []
    prefix = CONTENT_DIR + "/"
    for letter, path, old in changes:
        change = names.get(letter, "modified")
        if not path.startswith(prefix) and not (old or "").startswith(prefix):
            continue
        if path.endswith(".md"):
            statuses[path] = _evaluate(state, path, change, old)
            continue
        owners = users.get(path, [])
        if not owners:
            others.append(path + ("（已删除）" if change == "deleted" else ""))
        for owner in owners:
            entry = statuses.get(owner) or _evaluate(state, owner, "attachment", None)
            entry.via.append(path)
            statuses[owner] = entry
    changed = {p for _, p, _ in changes} | {o for _, _, o in changes if o}
    gate_changes = _gate_changes(root, merge_base, state)
    named = [(names.get(letter, "modified"), path, old) for letter, path, old in changes]
    platform = platform_changes(named + outside_project(root, merge_base), content_rules(root, merge_base))
    if CATALOG_FILE in changed or any(p.startswith(ROSTER_DIR + "/") for p in changed):
        # a catalog or roster change (a reviewer removed, a key revoked) can unpublish items nobody touched: show them
        statuses.update({rel: _evaluate(state, rel, "affected", None) for rel in _withheld_proactive(state) if rel not in statuses})
    items = sorted(statuses.values(), key=lambda s: s.path)
    return Report(base, merge_base, items, gate_changes, sorted(others), platform, allow_platform)


def _attachment_users(root: Path, state: State) -> dict[str, list[str]]:
    """Attachment path (relative to root) -> the items that attach it."""
    users: dict[str, list[str]] = {}
    for item in state.items:
        for a in item.attachments:
            try:
                users.setdefault(a.path.resolve().relative_to(root.resolve()).as_posix(), []).append(item.rel)
            except ValueError:
                continue
    return users


def _withheld_proactive(state: State) -> list[str]:
    """Proactive items the gate withholds for their signature, sensitivity or validity."""
    held = {"unauthorised", "sensitive", "invalid", "no_roster", "key_not_in_roster", "key_revoked", "key_not_valid"}
    return [d.item.rel for d in state.decisions if held & set(d.codes) and d.item.meta.get("disclosure") == PROACTIVE]
