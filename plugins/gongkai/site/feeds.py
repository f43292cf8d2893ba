"""Feeds and the machine-readable catalog export, from the site plan.

Only listed items appear (published, not consolidated, not published in error):
  feed.xml, rss.xml                    Atom and RSS 2.0 for the whole site
  column/<code>/feed.xml, rss.xml      the same per column (items of its sub-columns included)
  data/items.json                      every listed item with its metadata and URL
Absolute URLs use catalog.yml site.domain.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from functools import partial

from gongkai.core import withdrawal
from gongkai.core.urls import column_dir, item_dir
from gongkai.site.listing import settings
from gongkai.site.plan import GeneratedFile, date_text
from gongkai.site.templates import render

DEFAULT_FEED_SIZE = 50
EXPORT_URI = "data/items.json"


def base_url(catalog) -> str:
    return f"https://{catalog.site['domain']}/"


def _feed_size(catalog) -> int:
    value = settings(catalog).get("feed_size", DEFAULT_FEED_SIZE)
    return value if isinstance(value, int) and value > 0 else DEFAULT_FEED_SIZE


def _rfc822(d: date) -> str:
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return f"{days[d.weekday()]}, {d.day:02d} {months[d.month - 1]} {d.year} 00:00:00 +0800"


def atom(catalog, title: str, self_url: str, page_url: str, entries: list[dict], today: date) -> str:
    updated = max([e["published"] for e in entries], default=today.isoformat())
    author = str(catalog.agency["name"])
    return render("gk/atom.xml", title=title, self_url=self_url, page_url=page_url, updated=updated, author=author, entries=entries)


def rss(catalog, title: str, self_url: str, page_url: str, entries: list[dict]) -> str:
    dated = [{**e, "pub_date": _rfc822(date.fromisoformat(e["published"]))} for e in entries]
    return render("gk/rss.xml", title=title, self_url=self_url, page_url=page_url, entries=dated)


def record(planner, item) -> dict:
    """One item as exported: its metadata and absolute URLs."""
    catalog = planner.catalog
    base = base_url(catalog)
    column = catalog.column(item.column_code)
    meta = item.meta
    url = f"{base}{item_dir(item)}/"
    changes = [str(e.get("date")) for e in item.listed("changelog") if isinstance(e, dict)]
    w = meta.get("withdrawn") if isinstance(meta.get("withdrawn"), dict) else None
    out = {
        "id": item.id,
        "title": item.title,
        "url": url,
        "column": {"code": column.code, "name": column.name, "path": [c.name for c in column.path]},
        "topics": item.topics,
        "publisher": str(meta.get("publisher") or catalog.agency["name"]),
        "doc_no": meta.get("doc_no"),
        "doc_type": meta.get("doc_type"),
        "created": item.created.isoformat() if item.created else None,
        "published": date_text(item),
        "updated": max([date_text(item), *changes]),
        "validity": withdrawal.shown_validity(item, catalog) if w else meta.get("validity"),
        "summary": str(meta.get("summary", "")),
        "keywords": [str(k) for k in meta.get("keywords") or []],
        "replaced_by": meta.get("replaced_by"),
        "interprets": meta.get("interprets"),
        "withdrawn": {k: str(v) for k, v in w.items()} if w else None,
        "attachments": [
            {"title": a.title, "url": f"{url}{a.path.name}", "type": a.suffix, "bytes": a.path.stat().st_size} for a in item.attachments
        ],
    }
    return out


def feed_files(planner) -> list:
    catalog = planner.catalog
    base = base_url(catalog)
    size = _feed_size(catalog)
    made: dict[str, dict] = {}  # id -> record: only the newest items of each feed are needed

    def records(items) -> list[dict]:
        for item in items:
            if item.id not in made:
                made[item.id] = record(planner, item)
        return [made[i.id] for i in items]

    site_name = str(catalog.site["name"])
    newest = records(planner.listed[:size])
    out = [
        GeneratedFile("feed.xml", atom(catalog, site_name, base + "feed.xml", base, newest, planner.state.today)),
        GeneratedFile("rss.xml", rss(catalog, site_name, base + "rss.xml", base, newest)),
    ]
    for column in catalog.all_columns():
        codes = {c.code for c in column.walk()}  # (not planner.items_in: its columns also list the annual reports)
        chosen = records([i for i in planner.listed if i.column_code in codes][:size])
        here = column_dir(column)
        title = f"{site_name} · {column.name}"
        out.append(GeneratedFile(f"{here}/feed.xml", atom(catalog, title, f"{base}{here}/feed.xml", f"{base}{here}/", chosen, planner.state.today)))
        out.append(GeneratedFile(f"{here}/rss.xml", rss(catalog, title, f"{base}{here}/rss.xml", f"{base}{here}/", chosen)))
    out.append(GeneratedFile(EXPORT_URI, make=partial(export_text, planner)))  # made as written: kept, it was ~1.2 KB an item
    return out


def export_text(planner) -> Iterator[str]:
    """data/items.json, piece by piece: every listed item (record), made as the file is written (the
    whole text and its records were ~0.5 GB at once at 100,000 items)."""
    catalog = planner.catalog
    head = {
        "site": {"name": str(catalog.site["name"]), "domain": catalog.site["domain"], "id_code": str(catalog.site["id_code"])},
        "agency": {"name": catalog.agency["name"], "credit_code": catalog.agency["credit_code"]},
        "generated": planner.state.today.isoformat(),
        "count": len(planner.listed),
    }
    return export_json(head, (record(planner, i) for i in planner.listed))


def export_json(head: dict, records: Iterable[dict]) -> Iterator[str]:
    """The export as JSON with one item per line: readable and diffable, and each line written by json's C
    encoder (an indented dump runs in Python: ~1 s at 10,000 items)."""
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "items": ['
    separator = "\n"
    for r in records:
        yield separator + json.dumps(r, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"
