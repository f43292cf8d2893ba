"""The editor preview's site plan: the core Planner, with withheld items shown and unchanged pages reused.

Re-planning 10,000 item pages and every list page took over a second on every save. An edit
changes one item, so the preview reuses each page whose inputs are the same objects as last
time (LiveState keeps unchanged items as the same objects): an item page while neither the
item nor what its page shows of other items has changed, a column's or topic's list pages
while the same items, in the same order, are listed there. Feeds are not made in the preview.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from gongkai.core.catalog import Column
from gongkai.core.urls import item_dir
from gongkai.project import State
from gongkai.review.gate import Decision
from gongkai.site.lists import SEARCH_PAGE
from gongkai.site.pages import Planner
from gongkai.site.plan import SitePlan


@dataclass
class PlanCache:
    items: dict = field(default_factory=dict)  # id(item) -> (item, links, (page, copies))
    lists: dict = field(default_factory=dict)  # ("column"/"topic", code) -> (catalog, listed items, pages)

    def forget_all_but(self, items) -> None:
        """Drop item pages of items no longer in the state (list pages are few: each is replaced in turn)."""
        alive = {id(i) for i in items}
        for key in self.items.keys() - alive:
            del self.items[key]


class PreviewPlanner(Planner):
    def __init__(self, state: State, cache: PlanCache):
        super().__init__(state)
        self.cache = cache

    def _links(self, item) -> tuple:
        meta = item.meta
        related = [self.by_id.get(str(meta.get("replaced_by", ""))), self.by_id.get(str(meta.get("interprets", ""))),
                   *self.interpretations.get(item.id, [])]
        return tuple((item_dir(r), r.title) if r else None for r in related)

    def item_page(self, item):
        links = self._links(item)
        hit = self.cache.items.get(id(item))
        if hit is not None and hit[0] is item and hit[1] == links:
            return hit[2]
        page, copies = super().item_page(item)
        result = (page.made(), copies)  # made once and kept: the preview re-renders pages many times
        self.cache.items[id(item)] = (item, links, result)
        return result

    def _reused(self, key: tuple, items: tuple, make) -> list:
        """A list's pages depend on the catalog and on the items listed (their order, and each item's
        own fields and withdrawal kind, which follow from the item and the catalog)."""
        hit = self.cache.lists.get(key)
        if hit is not None and hit[0] is self.catalog and hit[1] == items:
            return hit[2]
        pages = [page.made() for page in make()]  # made once and kept, as item pages
        self.cache.lists[key] = (self.catalog, items, pages)
        return pages

    def column_pages(self, column: Column) -> list:
        listed = tuple(i for c in column.walk() for i in self.by_column.get(c.code, []))
        return self._reused(("column", column.code), listed, lambda: super(PreviewPlanner, self).column_pages(column))

    def topic_pages(self, code: str, name: str) -> list:
        listed = tuple(self.by_topic.get(name, []))
        return self._reused(("topic", code), listed, lambda: super(PreviewPlanner, self).topic_pages(code, name))

    def search_page(self):
        """The search page depends on the catalog and on the titles (its suggested terms)."""
        titles = tuple(i.title for i in self.items)
        return self._reused(("search",), titles, lambda: [super(PreviewPlanner, self).search_page()])[0]

    def feed_files(self) -> list:
        return []  # nobody subscribes to a preview


def public_plan(state: State, cache: PlanCache) -> SitePlan:
    """The public site's plan for the compliance check (which reads no feeds), reusing the preview's pages."""
    return PreviewPlanner(state, cache).plan()


def preview_plan(state: State, cache: PlanCache | None = None) -> SitePlan:
    """The site plan with withheld-but-valid items included and marked (preview only)."""
    broken = {rel for rel, problems in state.problems.items() if any(p.severity == "error" for p in problems)}
    reasons = {d.item.id: d.reason_text for d in state.withheld if d.item.rel not in broken}
    shown = [d if d.published or d.item.rel in broken else Decision(d.item, True, []) for d in state.decisions]
    plan = PreviewPlanner(replace(state, decisions=shown), cache or PlanCache()).plan()
    for i, page in enumerate(plan.pages):
        reason = reasons.get(page.item_id)
        if reason:  # templates/gk/item.html shows the banner
            plan.pages[i] = replace(page, data={**page.data, "preview_reason": reason})  # a copy: cached pages stay clean
        elif page.uri == SEARCH_PAGE:  # templates/gk/search.html says the preview has no search index
            plan.pages[i] = replace(page, data={**page.data, "preview_note": True})
    return plan
