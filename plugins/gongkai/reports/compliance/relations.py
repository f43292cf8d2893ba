"""Checks on links between documents: what replaced a repealed one, what an interpretation explains."""
from __future__ import annotations

from gongkai.core.problems import Problem
from gongkai.core.urls import item_dir, link
from gongkai.reports.compliance.base import CheckResult, Context, Finding

REPLACED = "replaced_by"
INTERPRETS = "interpretations"
VALID = "有效"


def check_replaced(ctx: Context) -> CheckResult:
    published = {i.id: i for i in ctx.state.published}
    findings: list[Finding] = []
    outdated = 0
    for item in ctx.state.published:
        validity = item.meta.get("validity")
        ref = item.meta.get("replaced_by")
        line = item.line_of("replaced_by") or item.line_of("validity")
        if validity == VALID:
            if isinstance(ref, str):
                findings.append(Finding(Problem(item.rel, "replaced_by", f"有效性为「{VALID}」，却填写了替代文件 {ref}", "文件已被替代的，把有效性改为已修订或已废止；否则删除 replaced_by", line=line, severity="warning"), {"id": item.id, "kind": "valid_but_replaced"}))
            continue
        outdated += 1
        if not isinstance(ref, str):
            findings.append(Finding(Problem(item.rel, "replaced_by", f"本文件{validity}，没有写明替代它的文件", "有新文件替代的，在 replaced_by 填写其索引号，页面提示会链接到新文件；确无替代文件的可不填", line=line, severity="warning"), {"id": item.id, "kind": "missing"}))
        elif ref not in published:
            findings.append(Finding(Problem(item.rel, "replaced_by", f"替代文件 {ref} 尚未在网站发布，页面提示无法链接到它", "尽快发布替代文件", line=line, severity="warning"), {"id": item.id, "kind": "unpublished", "replaced_by": ref}))
    summary = f"已修订或已废止的已发布文件 {outdated} 个，替代关系有问题 {len(findings)} 处"
    return CheckResult(REPLACED, "已修订/已废止文件的替代关系", summary, findings)


def check_interpretations(ctx: Context) -> CheckResult:

    published = {i.id: i for i in ctx.state.published}
    pages = {p.item_id: p for p in getattr(ctx.plan, "pages", None) or [] if p.item_id}
    findings: list[Finding] = []
    count = 0
    for item in ctx.state.published:
        column = ctx.state.catalog.column(item.column_code)
        ref = item.meta.get("interprets")
        must = column is not None and "interprets" in column.required_fields
        if not isinstance(ref, str):
            if must:  # the schema already blocks this; kept so the report is complete on its own
                findings.append(Finding(Problem(item.rel, "interprets", "政策解读没有写明解读的文件", "在 interprets 填写被解读政策文件的索引号", line=2, severity="warning"), {"id": item.id, "kind": "missing"}))
            continue
        count += 1
        target = published.get(ref)
        if target is None:
            findings.append(Finding(Problem(item.rel, "interprets", f"解读的文件 {ref} 尚未在网站发布，解读与原文无法互相链接", "先发布被解读的政策文件，或核对索引号", line=item.line_of("interprets"), severity="warning"), {"id": item.id, "kind": "unpublished", "interprets": ref}))
            continue
        page = pages.get(ref)
        if page is not None and link(item_dir(item), item_dir(target)) not in page.body:
            findings.append(Finding(Problem(target.rel, "", f"政策文件页面没有链接到它的解读「{item.title}」", "这是生成器的问题，请报告开发人员", severity="error"), {"id": target.id, "kind": "no_backlink", "interpretation": item.id}))
    summary = f"已发布的政策解读 {count} 篇，与原文的链接有问题 {len(findings)} 处"
    return CheckResult(INTERPRETS, "政策解读与原文", summary, findings)
