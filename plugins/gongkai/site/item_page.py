"""An item's page: the 信息 table, banners, relations, attachments and 更新记录 around the editor's
Markdown body, and what the search index reads of it (site/search_doc.py). The markup is templates/gk/item.html."""
from __future__ import annotations

from functools import partial
from pathlib import Path

from gongkai.core import withdrawal
from gongkai.core.catalog import Column
from gongkai.core.items import Item
from gongkai.core.urls import column_dir, item_dir, link, topic_dir
from gongkai.site.plan import ITEM_TEMPLATE, CopiedFile, LazyPage, Page, date_text, human_size
from gongkai.site.sitemeta import gov_meta


def item_page(planner, item: Item) -> tuple[LazyPage, list[CopiedFile]]:
    """The item's page, made when it is rendered (made_item_page), and the attachments to copy."""
    here = item_dir(item)
    copies = [CopiedFile(f"{here}/{Path(a.file).name}", a.path) for a in item.attachments]
    page = LazyPage(f"{here}/index.md", item.title, ITEM_TEMPLATE, partial(made_item_page, planner, item), item.id, search_period(item))
    return page, copies


def search_period(item: Item) -> str:
    """The month of publication ('2026-03'): the search index is split by it (search.index_site)."""
    return date_text(item)[:7]


def made_item_page(planner, item: Item) -> Page:
    here = item_dir(item)
    column = planner.catalog.column(item.column_code)
    meta = item.meta
    data = {
        "breadcrumb": breadcrumb(column, here),
        "withdrawn": withdrawn_banner(planner, item),
        "validity": validity_banner(planner, item, here),
        "info": info_table(planner, item, column, here),
        "summary": str(meta.get("summary", "")),
        "relations": relations(planner, item, here),
        "attachments": attachment_list(item),
        "changelog": changelog(item),
        "index": search_data(planner, item, column),  # what Pagefind reads, with the body's HTML
    }
    page_meta = {"description": str(meta.get("summary", "")), "gongkai_item": item.id, "gongkai_column": column.code}
    page_meta["gov_meta"] = gov_meta(planner.catalog, "item", "", "", column=column, item=item)
    return Page(f"{here}/index.md", item.title, ITEM_TEMPLATE, data, page_meta, item.body.strip() + "\n")


def breadcrumb(column: Column, here: str) -> list[dict]:
    trail = [("首页", "")] + [(c.name, column_dir(c)) for c in column.path]
    return [{"href": link(d, here), "name": n} for n, d in trail]


def info_table(planner, item: Item, column: Column, here: str) -> dict:
    meta = item.meta
    topics = [t for n in item.topics if (t := planner.catalog.topic_by_name(n))]
    return {
        "id": item.id,
        "publisher": str(meta.get("publisher") or planner.catalog.agency["name"]),
        "doc_no": str(meta.get("doc_no", "")),
        "created": item.created.isoformat() if item.created else "",
        "published": date_text(item),
        "validity": withdrawal.shown_validity(item, planner.catalog),
        "column": {"href": link(column_dir(column), here), "name": column.name},
        "topics": [{"href": link(topic_dir(t.code), here), "name": t.name} for t in topics],
    }


def search_data(planner, item: Item, column: Column) -> dict:
    """What the search index reads besides the body: title and 文号 (weighted), 索引号, 概述 and
    attachment names; filters, sort keys and result metadata. "rank" sorts by validity (the order
    of catalog.yml's validity list, withdrawn last), then date: the search page's tie-break."""
    meta = item.meta
    date = date_text(item)
    validity = str(meta.get("validity", ""))
    filters = [("栏目", column.name), ("年份", date[:4]), *[("主题", t) for t in item.topics], ("文种", str(meta.get("doc_type", ""))), ("有效性", validity)]
    tag = planner.status_tag(item)
    order = planner.catalog.validity
    rank = 0 if tag and tag["withdrawn"] else len(order) - (order.index(validity) if validity in order else 0)
    target = planner.by_id.get(str(meta.get("interprets", "")))
    extra = [("date", date), ("index_no", item.id), ("doc_no", str(meta.get("doc_no", ""))), ("status", tag["text"] if tag else ""),
             ("summary", str(meta.get("summary", ""))), ("interprets", target.id if target else "")]
    return {
        "title": item.title,
        "period": search_period(item),
        "heading": [item.title, str(meta.get("doc_no", ""))],
        "texts": [item.id, str(meta.get("summary", "")), *[a.title for a in item.attachments]],
        "filters": [f for f in filters if f[1]],
        "sort": [("date", date), ("rank", f"{rank}{date}")],
        "meta": [m for m in extra if m[1]],
    }


def withdrawn_banner(planner, item: Item) -> dict | None:
    w = withdrawal.withdrawal(item)
    if not w or planner.kind.get(item.id) != withdrawal.WITHDRAWN:
        return None
    return {"date": str(w.get("date", "")), "note": str(w.get("note", ""))}


def validity_banner(planner, item: Item, here: str) -> dict | None:
    validity = item.meta.get("validity")
    if not validity or validity == "有效":
        return None
    successor = planner.by_id.get(str(item.meta.get("replaced_by", "")))
    return {
        "validity": str(validity),
        "kind": "repealed" if validity == "已废止" else "revised",
        "successor": {"href": link(item_dir(successor), here), "title": successor.title} if successor else None,
    }


def relations(planner, item: Item, here: str) -> list[dict]:
    """The interpreted file and the interpretations, linked both ways."""
    found = []
    target = planner.by_id.get(str(item.meta.get("interprets", "")))
    if target and planner.kind.get(target.id) != withdrawal.ERROR:
        found.append({"label": "解读的文件", "href": link(item_dir(target), here), "title": target.title})
    for interp in planner.interpretations.get(item.id, []):
        found.append({"label": "政策解读", "href": link(item_dir(interp), here), "title": interp.title})
    return found


def attachment_list(item: Item) -> list[dict]:
    """The attachments as the page lists them; each is copied beside the page (item_page)."""
    return [{"href": Path(a.file).name, "title": a.title, "type": a.suffix.upper(), "size": human_size(a.path.stat().st_size)}
            for a in item.attachments]


def changelog(item: Item) -> list[dict]:
    """更新记录: first publication, then every recorded change, oldest first."""
    entries = [e for e in item.listed("changelog") if isinstance(e, dict)]
    if not entries:
        return []
    rows = [(date_text(item), "首次发布。")] + sorted((str(e.get("date", "")), str(e.get("note", ""))) for e in entries)
    return [{"date": d, "note": n} for d, n in rows]


def error_notice(planner, item: Item) -> Page:
    """Published in error: only a notice stays at the URL; no title, body or attachments."""
    w = withdrawal.withdrawal(item) or {}
    here = item_dir(item)
    data = {"id": item.id, "date": str(w.get("date", "")), "note": str(w.get("note", "")), "search_href": link("search", here), "home_href": link("", here)}
    description = "该信息因发布错误已撤下"
    meta = {"description": description, "gongkai_noindex": True, "gov_meta": gov_meta(planner.catalog, "notice", "信息已撤下", description)}
    return Page(f"{here}/index.md", "该信息已撤下", "gk/notice.html", data, meta)
