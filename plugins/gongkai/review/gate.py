"""The sign-off gate: decides, for every item, published or withheld and why.

Default deny: an item is published only when every condition holds. Anything
withheld is left out of the output entirely by the renderer.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from gongkai.core.catalog import Catalog
from gongkai.core.digest import content_digest
from gongkai.core.items import Item, as_date
from gongkai.core.problems import Problem
from gongkai.review.body_html import FIELD as BODY_FIELD
from gongkai.review.sensitive import is_sensitive
from gongkai.review.signing.signoff import SignoffCheck

PROACTIVE = "主动公开"


@dataclass
class Decision:
    item: Item
    published: bool
    reasons: list[tuple[str, str]] = field(default_factory=list)  # (code, Chinese explanation)

    @property
    def reason_text(self) -> str:
        return "；".join(text for _, text in self.reasons)

    @property
    def codes(self) -> list[str]:
        return [code for code, _ in self.reasons]


def decide(item: Item, catalog: Catalog, problems: list[Problem], today: date, signoffs: SignoffCheck | None = None) -> Decision:
    """signoffs checks the signature against the roster; without it no sign-off counts (fail closed)."""
    reasons: list[tuple[str, str]] = []
    if problems:
        errors = [p for p in problems if p.severity == "error" and not is_sensitive(p)]
        hits = [p for p in problems if p.severity == "error" and is_sensitive(p)]
        unsafe = [p for p in errors if p.field == BODY_FIELD]  # the body's HTML (body_html.py), not metadata
        errors = [p for p in errors if p not in unsafe]
        if hits:
            reasons.append(("sensitive", f"发现 {len(hits)} 处疑似个人信息或密级标志，需删除、打码或经审查登记允许"))
        if unsafe:
            reasons.append(("invalid", f"正文有 {len(unsafe)} 处网站不接受的 HTML（脚本、嵌入、事件属性等），需先修改"))
        if errors:
            reasons.append(("invalid", f"元数据有 {len(errors)} 处错误，需先修正"))
    if item.parse_problems:  # the front matter could not be read: nothing else about it is known
        return Decision(item=item, published=False, reasons=reasons)
    if item.meta.get("disclosure") != PROACTIVE:
        reasons.append(("not_proactive", f"公开属性为「{item.meta.get('disclosure', '未填写')}」，不在网站主动公开"))
    review = item.review
    if not review:
        reasons.append(("unsigned", "尚未经过保密审查（没有审查签署）"))
    else:
        reviewer = str(review.get("reviewer", ""))
        if reviewer not in catalog.reviewers:
            reasons.append(("unauthorised", f"审查人「{reviewer}」不在 catalog.yml 的授权审查人员名单中"))
        decision = str(review.get("decision", ""))
        if catalog.decisions.get(decision) != "publish":
            reasons.append(("not_approved", f"审查结论为「{decision}」，不是同意公开"))
        if review.get("digest") != content_digest(item):
            reasons.append(("stale", "审查签署之后内容（元数据、正文或附件）又有改动，需要重新审查"))
        author = item.meta.get("author")
        if isinstance(author, str) and author.strip() and author.strip() == reviewer.strip():
            reasons.append(("reviewer_is_author", f"审查人「{reviewer}」是本条目的撰稿人，不能审查本人撰写的条目"))
        review_date = as_date(review.get("date"))
        if review_date and review_date > today:
            reasons.append(("review_in_future", f"审查日期 {review_date} 晚于今天"))
        created = item.created
        if review_date and created and review_date < created:
            reasons.append(("review_before_created", f"审查日期 {review_date} 早于生成日期 {created}，不可能审查过这份内容"))
        refused = signoffs.refusals(item, review_date) if signoffs else [("no_roster", "没有核对签名（未加载审查人员名单）")]
        reasons += [r for r in refused if r[0] not in {code for code, _ in reasons}]
    published = item.published
    if published and published > today:
        reasons.append(("scheduled", f"发布日期 {published} 未到，届时重新构建后发布"))
    return Decision(item=item, published=not reasons, reasons=reasons)
