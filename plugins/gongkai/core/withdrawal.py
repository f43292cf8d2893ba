"""Withdrawal and moved URLs, the GOV.UK way.

An item's front matter may say `withdrawn: {reason, date, note}`; the reason's
meaning comes from catalog.yml (withdrawal.reasons):
  withdrawn     content stays, under a banner that says why and when
  consolidated  the item's URL redirects to its successor (replaced_by)
  error         published in error: a notice replaces the page; content,
                attachments, feeds and search entries are gone
`former_slugs` lists slugs an item used to have; each becomes a redirect.
"""
from __future__ import annotations

from collections import defaultdict

from gongkai.core.catalog import Catalog
from gongkai.core.items import Item, as_date
from gongkai.core.problems import Problem
from gongkai.core.urls import link

WITHDRAWN, CONSOLIDATED, ERROR = "withdrawn", "consolidated", "error"


def reasons(catalog: Catalog) -> dict[str, str]:
    """Reason text -> meaning, from catalog.yml."""
    return {str(k): str(v) for k, v in ((catalog.raw.get("withdrawal") or {}).get("reasons") or {}).items()}


def withdrawal(item: Item) -> dict | None:
    value = item.meta.get("withdrawn")
    return value if isinstance(value, dict) else None


def kind(item: Item, catalog: Catalog) -> str | None:
    """withdrawn / consolidated / error, or None for a live item."""
    w = withdrawal(item)
    return reasons(catalog).get(str(w.get("reason"))) if w else None


def shown_validity(item: Item, catalog: Catalog) -> str:
    """有效性 as the public sees it: a withdrawn item is no longer 有效 whatever its field says,
    so its withdrawal reason (已撤回, from catalog.yml) stands in its place."""
    if kind(item, catalog):
        return str(withdrawal(item)["reason"])
    return str(item.meta.get("validity", ""))


def former_slugs(item: Item) -> list[str]:
    value = item.meta.get("former_slugs") or []
    return [s for s in value if isinstance(s, str)] if isinstance(value, list) else []


def withdrawal_rules(items: list[Item], catalog: Catalog) -> list[Problem]:
    """Cross-item rules: consolidated items name a successor; dates in order; addresses collide with nothing."""
    out: list[Problem] = []
    for item in items:
        if kind(item, catalog) == CONSOLIDATED and not isinstance(item.meta.get("replaced_by"), str):
            out.append(Problem(item.rel, "withdrawn", "撤回原因为“已合并”，但没有填写合并到哪个条目", "填写 replaced_by：合并后条目的索引号", line=item.line_of("withdrawn")))
    for item in items:
        published = item.published
        w = withdrawal(item)
        if w and published and (when := as_date(w.get("date"))) and when < published:
            out.append(Problem(item.rel, "withdrawn.date", f"撤回日期 {when} 早于发布日期 {published}", "撤回日期应为实际撤下的日期，不早于发布日期", line=item.line_at(("withdrawn", "date"))))
        for i, entry in enumerate(item.listed("changelog")):
            when = as_date(entry.get("date")) if isinstance(entry, dict) else None
            if when and published and when < published:
                out.append(Problem(item.rel, f"changelog[{i + 1}].date", f"更新日期 {when} 早于发布日期 {published}", "更新记录只记发布之后的修改；日期不早于发布日期", line=item.line_at(("changelog", i, "date"))))
    return out + address_rules(items)


def _claims(item: Item, id_key: str) -> list[tuple[str, str]]:
    """(address under item/, field that claims it) of every address the item uses."""
    slug = item.meta.get("slug")
    claims = [(slug, "slug"), (id_key, "id")] if isinstance(slug, str) else [(id_key, "id")]
    return claims + [(old, "former_slugs") for old in former_slugs(item)] if "former_slugs" in item.meta else claims


def _how(item: Item, address: str, field: str) -> str:
    """How to say which of the item's addresses this is (only for a problem: 10,000 items have none)."""
    if field == "slug":
        return f"网址别名 slug「{address}」"
    if field == "id":
        generated = "索引号生成的网址（跳转）" if isinstance(item.meta.get("slug"), str) else "索引号生成的网址"
        return f"{generated}「{address}」"
    return f"曾用网址别名「{address}」"


def address_rules(items: list[Item]) -> list[Problem]:
    """Each address item/<…>/ belongs to one item: its page or one redirect. A slug, former slug
    or generated address another item uses would publish one of them nowhere or redirect wrongly.
    (Equal slugs and equal 索引号 are already reported as duplicates by schema.cross_item_rules.)"""
    out: list[Problem] = []
    holders: dict[str, list[tuple[Item, str]]] = defaultdict(list)
    for item in items:
        id_key = item.id_key
        if not id_key:
            continue
        seen: set[str] = set()
        for address, field in _claims(item, id_key):
            if address in seen:
                what = "就是现在的网址别名" if field == "former_slugs" and address == item.meta.get("slug") else "与本条目的另一个网址相同"
                out.append(Problem(item.rel, field, f"{_how(item, address, field)}{what}", "删去它：本条目的旧网址会自动跳转，不必重复填写", line=item.line_of(field)))
                continue
            seen.add(address)
            holders[address].append((item, field))
    for address, group in holders.items():
        if len(group) < 2:
            continue  # one holder: nothing to compare
        for item, field in group:
            for other, other_field in group:
                if other is item or (field == other_field and field in ("slug", "id")):
                    continue
                out.append(Problem(item.rel, field, f"{_how(item, address, field)}已被 {other.rel} 用作{_how(other, address, other_field)}：两个条目不能用同一个网址 item/{address}/", "换一个网址别名，或从 former_slugs 中删去它", line=item.line_of(field)))
    return out


def redirect_target(catalog: Catalog, from_dir: str, to_dir: str) -> dict[str, str]:
    """Where a page that moved now is: relative to its old URL, and absolute (templates/gk/redirect.html)."""
    return {"href": link(to_dir, from_dir), "canonical": f"https://{catalog.site['domain']}/{to_dir}/"}
