"""The audit trail an inspector can be shown: who approved what, and what was held back.

Every successful build writes, OUTSIDE the public site, into `audit/` in the
reports directory (the plugin's `reports_dir`, by default `reports/` in the
project root, shared with the compliance report):

    manifest.json   every published item: 索引号, title, URL, content digest,
                    reviewer, review date, decision, 发布日期
    withheld.json   every item not published, with the gate's reasons
    audit.md        the same in Chinese, for people

The files depend only on the repository content, the build date and the
commit, so two builds of one commit write identical reports.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from gongkai.core.staging import MARKER, marked_folder, remove_stale
from gongkai.review.history import git
from gongkai.core.urls import item_dir
from gongkai.project import CATALOG_FILE, CONTENT_DIR, State
from gongkai.review.scanner import redact
from gongkai.review.signing.roster import ROSTER_DIR

AUDIT_DIR = "audit"  # inside the reports directory


class ReportsError(Exception):
    pass


def source_commit(root: Path) -> str | None:
    """The commit the content came from ('+dirty' when the work tree differs), or None outside git."""
    head = git(root, "rev-parse", "HEAD")
    if head.returncode != 0:
        return None
    inputs = [CONTENT_DIR, CATALOG_FILE, "mkdocs.yml", ROSTER_DIR]  # what the site is made from
    dirty = git(root, "status", "--porcelain", "--", *inputs).stdout.strip()
    return head.stdout.strip() + ("+dirty" if dirty else "")


def manifest(state: State) -> list[dict]:
    rows = []
    for item in sorted(state.published, key=lambda i: i.id):
        review = item.review
        rows.append(
            {
                "id": item.id,
                "title": item.title,
                "path": item.rel,
                "url": item_dir(item) + "/",
                "published": item.published.isoformat() if item.published else None,
                "digest": review.get("digest"),
                "reviewer": review.get("reviewer"),
                "review_date": str(review.get("date", "")),
                "decision": review.get("decision"),
                "key": review.get("key"),  # fingerprint of the reviewer's key in the roster
                "signature": review.get("signature"),
                # warnings the build let through (backdating, attachments needing a manual look)
                "flags": [str(p) for p in state.problems.get(item.rel, []) if p.severity == "warning"],
            }
        )
    return rows


def trust_header(state: State) -> dict:
    """What the signatures were checked against: the host's root of trust and the roster in effect."""
    chain = state.roster
    if chain is None:
        return {"trust": None}
    roster = chain.roster
    return {
        "trust": {
            "summary": chain.summary,
            "root_source": chain.trust.source,  # None: checked against the in-repo roster only
            "root_fingerprints": chain.trust.fingerprints,
            "roster": roster.rel if roster else None,
            "roster_versions": chain.verified,
        }
    }


def withheld(state: State) -> list[dict]:
    rows = [
        {"id": d.item.id, "title": redact(d.item.title), "path": d.item.rel, "reasons": [{"code": c, "text": t} for c, t in d.reasons]}
        for d in state.withheld
    ]
    return sorted(rows, key=lambda r: r["path"])


def audit_lines(state: State, published: list[dict], held: list[dict], commit: str | None):
    """audit.md, line by line (at 100,000 items the whole text would be ~0.1 GB at once)."""
    cell = lambda s: str(s or "").replace("|", "\\|").replace("\n", " ")  # noqa: E731
    yield from [
        f"# {state.catalog.agency['name']}政府信息公开网站发布审计记录",
        "",
        f"- 构建日期：{state.today.isoformat()}",
        f"- 内容版本（git 提交）：{commit or '不在 git 仓库中，无法记录'}",
        f"- 签名核对：{state.roster.summary if state.roster else '未核对'}",
        f"- 发布条目 {len(published)} 个，未发布条目 {len(held)} 个",
        "",
        "## 已发布条目",
        "",
        "| 索引号 | 名称 | 发布日期 | 审查人 | 审查日期 | 审查结论 | 内容摘要值 | 签署密钥 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    yield from (
        f"| {cell(r['id'])} | {cell(r['title'])} | {r['published']} | {cell(r['reviewer'])} | {r['review_date']} | {cell(r['decision'])} | `{r['digest']}` | `{r['key']}` |"
        for r in published
    )
    yield from ["", "## 未发布条目", "", "| 文件 | 索引号 | 名称 | 原因 |", "| --- | --- | --- | --- |"]
    yield from (f"| {cell(r['path'])} | {cell(r['id'])} | {cell(r['title'])} | {cell('；'.join(x['text'] for x in r['reasons']))} |" for r in held)


def check_reports_dir(reports_dir: Path, site_dir: Path) -> None:
    target, site = reports_dir.resolve(), site_dir.resolve()
    if target == site or site in target.parents:
        raise ReportsError(f"审计记录目录 {target} 在网站目录之内，会被公开；请放在网站目录之外")


def write_reports(state: State, reports_dir: Path, site_dir: Path | None = None) -> Path:
    """Write the reports into reports_dir, replacing it whole; never inside the site."""
    target = reports_dir.resolve()
    if site_dir is not None:
        check_reports_dir(target, site_dir)
    commit = source_commit(state.root)
    published, held = manifest(state), withheld(state)
    header = {"agency": state.catalog.agency["name"], "build_date": state.today.isoformat(), "commit": commit, **trust_header(state)}
    files = {
        "manifest.json": {**header, "count": len(published), "published": published},
        "withheld.json": {**header, "count": len(held), "withheld": held},
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(target.parent, f".{target.name}.writing-")  # left by a killed command
    staging = marked_folder(target.parent, f".{target.name}.writing-")
    try:
        for name, data in files.items():  # written as encoded: the whole JSON text at once was ~0.2 GB at 100,000 items
            with open(staging / name, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False, indent=2)
                out.write("\n")
        with open(staging / "audit.md", "w", encoding="utf-8") as out:
            out.writelines(line + "\n" for line in audit_lines(state, published, held, commit))
        staging.chmod(0o755)
        (staging / MARKER).unlink()  # the folder becomes the reports: no marker in them
        if target.exists():
            old = target.with_name(f".{target.name}.old-{staging.name.rsplit('-', 1)[-1]}")
            target.rename(old)
            staging.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target
