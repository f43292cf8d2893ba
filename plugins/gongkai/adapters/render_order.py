"""The order MkDocs renders the planned pages in, and what the search index reads of it.

MkDocs renders pages in the order of its files. Generated pages (home, columns, topics,
依申请公开, annual reports) go first and the items after, newest first as planned, so the
searchable pages' documents are written month by month, newest first, and the search index
can be built as they come (site/search_pipeline.py) instead of after the last page.
"""
from __future__ import annotations

from gongkai.site.plan import ITEM_TEMPLATE, Page


def render_order(pages: list[Page]) -> list[Page]:
    """Generated pages first, then the item pages, each group in planned order."""
    return [p for p in pages if p.template != ITEM_TEMPLATE] + [p for p in pages if p.template == ITEM_TEMPLATE]


def search_schedule(pages: list[Page], dest_of) -> list[tuple[str, str]]:
    """(path on the site, period) of every searchable page: the items newest first, as both
    processes render them, then the generated pages, which are rendered early; dest_of maps a
    page's source uri to its file in the site."""
    ordered = [p for p in pages if p.template == ITEM_TEMPLATE] + [p for p in pages if p.template != ITEM_TEMPLATE]
    return [(dest_of(p.uri), p.search_period) for p in ordered if p.search_period]


def split_candidates(pages: list[Page]) -> tuple[list[str], list[str]]:
    """(the item pages, the generated pages with a search document), as source uris in planned
    order: what the second rendering process may take (adapters/split_render.py)."""
    return ([p.uri for p in pages if p.template == ITEM_TEMPLATE],
            [p.uri for p in pages if p.template != ITEM_TEMPLATE and p.search_period])
