"""The generated pages that list items: home, columns, topics, and the search page.

Each returns Page objects whose data the gk/ templates show; no markup is built here.
"""
from __future__ import annotations

from functools import partial
from urllib.parse import urlencode

from gongkai.core.catalog import Column
from gongkai.core.items import Item
from gongkai.core.urls import column_dir, item_dir, link, topic_dir
from gongkai.site import listing
from gongkai.site.plan import LazyPage, Page, date_text
from gongkai.site.sitemeta import gov_meta
from gongkai.site.search_terms import search_config

LATEST_ON_HOME = 10
SEARCH_PAGE = "search/index.md"


def item_rows(planner, items: list[Item], from_dir: str, caption: str) -> dict:
    """A list table (templates/gk/partials/items_table.html); the 文号 column only when an item has one."""
    rows = [
        {"id": i.id, "href": link(getattr(i, "url_dir", None) or item_dir(i), from_dir), "title": i.title, "tag": planner.status_tag(i),
         "doc_no": str(i.meta.get("doc_no", "")), "date": date_text(i)}
        for i in items
    ]
    prefixes = {i.id.rpartition("/")[0] for i in items}
    id_prefix = prefixes.pop() if len(prefixes) == 1 and len(items) > 1 else ""  # said once in the caption
    return {"caption": caption, "rows": rows, "with_doc_no": any(i.meta.get("doc_no") for i in items), "id_prefix": id_prefix}


def latest(items: list[Item], from_dir: str) -> list[dict]:
    return [{"href": link(item_dir(i), from_dir), "title": i.title, "date": date_text(i)} for i in items[:LATEST_ON_HOME]]


def search_link(here: str, facet: str, value: str, text: str) -> dict:
    """A link to the search page with one facet already chosen (sorting and more filters there)."""
    return {"href": f'{link("search", here)}?{urlencode({facet: value, "sort": "date:desc"})}', "text": text}


def home(planner) -> Page:
    catalog = planner.catalog
    cards = [
        {"href": link(column_dir(c), ""), "name": c.name, "description": c.description, "count": len(planner.items_in(c))}
        for c in catalog.columns
    ]
    topics = [{"href": link(topic_dir(t.code), ""), "name": t.name, "count": len(planner.by_topic.get(t.name, []))} for t in catalog.topics]
    notices = catalog.column(str(listing.settings(catalog).get("home_notices", "")))
    notice_list = None
    if notices is not None:
        notice_list = {"name": notices.name, "href": link(column_dir(notices), ""), "items": latest(planner.items_in(notices), "")}
    data = {"site_name": catalog.site["name"], "cards": cards, "latest": latest(planner.listed, ""), "notices": notice_list,
            "topics": topics, "agency": catalog.agency}
    description = f"{catalog.agency['name']}主动公开目录"
    meta = {"description": description, "gov_meta": gov_meta(catalog, "home", "首页", description)}
    return Page("index.md", catalog.site["name"], "gk/home.html", data, meta)


def search_page(planner) -> Page:
    """The search page's form; assets/gongkai/gongkai.js runs the search with Pagefind."""
    description = "搜索本站公开的政府信息"
    meta = {"description": description, "gongkai_search": True, "gov_meta": gov_meta(planner.catalog, "search", "站内搜索", description)}
    return Page(SEARCH_PAGE, "站内搜索", "gk/search.html", {"title": "站内搜索", "search_config": search_config(planner)}, meta)


def column_meta(planner, column: Column) -> dict:
    return {"description": column.description, "gongkai_column": column.code, "gov_meta": gov_meta(planner.catalog, "column", "", "", column=column)}


def column_pages(planner, column: Column) -> list[Page]:
    """A column's pages: one for a column with sub-columns, a year-split paged list for a leaf."""
    if column.children:
        return [parent_column_page(planner, column)]
    here = column_dir(column)
    items = planner.by_column.get(column.code, [])
    topics = [t for t in planner.catalog.topics if any(t.name in i.topics for i in items)]

    def head(at: str) -> dict:
        return {
            "lead": column.description,
            "update": column.update.label,
            "search": search_link(at, "栏目", column.name, "在本栏目中检索，或按发布日期排序"),
            "topics": [{"href": link(topic_dir(t.code), at), "name": t.name} for t in topics],
        }

    return listing_pages(planner, here, column.name, head, items, column_meta(planner, column))


def parent_column_page(planner, column: Column) -> Page:
    here = column_dir(column)
    data = {
        "title": column.name,
        "lead": column.description,
        "update": column.update.label,
        "children": [{"href": link(column_dir(c), here), "name": c.name, "count": len(planner.items_in(c))} for c in column.children],
        "table": item_rows(planner, planner.items_in(column)[:LATEST_ON_HOME], here, f"{column.name}最新信息"),
    }
    return Page(f"{here}/index.md", column.name, "gk/column.html", data, column_meta(planner, column))


def topic_pages(planner, code: str, name: str) -> list[Page]:
    """A topic's year-split, paged list across all columns."""
    items = planner.by_topic.get(name, [])
    description = f"主题分类：{name}"
    meta = {"description": description, "gov_meta": gov_meta(planner.catalog, "topic", f"主题：{name}", description)}

    def head(at: str) -> dict:
        return {"topic_lead": {"name": name, "count": len(items)}, "search": search_link(at, "主题", name, "在本主题中检索，或按栏目、文种筛选")}

    return listing_pages(planner, topic_dir(code), f"主题：{name}", head, items, meta)


def listing_pages(planner, base: str, title: str, head, items: list[Item], meta: dict) -> list[Page]:
    """The list under base split by year and into pages (see listing.py). Each page's table is made
    when the page is rendered (plan.LazyPage): kept, the tables were ~1.5 KB an item."""
    pages = []
    size = listing.page_size(planner.catalog)
    for here, year, number, count, chunk, years, pager in listing.listing(base, items, lambda i: date_text(i)[:4], size):
        label = title + (f" · {year}年" if year else "") + (f"（第 {number} 页）" if number > 1 else "")
        caption = label + (f"，共 {count} 页" if count > 1 else "")
        make = partial(_list_page, planner, here, label, caption, head, chunk, years, pager, meta)
        pages.append(LazyPage(f"{here}/index.md", label, "gk/list.html", make, item_id="", search_period=""))
    return pages


def _list_page(planner, here: str, label: str, caption: str, head, chunk: list[Item], years: list, pager: dict | None, meta: dict) -> Page:
    data = {"title": label, **head(here), "years": years, "table": item_rows(planner, chunk, here, caption), "pager": pager}
    return Page(f"{here}/index.md", label, "gk/list.html", data, dict(meta))
