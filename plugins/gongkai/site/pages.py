"""The site plan for any generator: every page, copied file and generated file.

plan_site(state) returns every page the public site has (home, columns, topics,
items, search) and every attachment to copy. Only published items appear in it;
that is the whole of what the renderer may output. The pages themselves are built
in lists.py (lists, home, search), item_page.py and disclosure_pages.py.
"""
from __future__ import annotations

from collections import defaultdict

from gongkai.core import withdrawal
from gongkai.core.catalog import Catalog, Column
from gongkai.core.items import Item
from gongkai.core.urls import column_dir, item_dir, topic_dir
from gongkai.project import State
from gongkai.site import feeds, item_page, lists, portal_pages
from gongkai.site.disclosure_pages import add_pages, list_reports  # 依申请公开指南 / 目录, annual reports
from gongkai.site.plan import CopiedFile, GeneratedFile, LazyPage, Page, SitePlan, newest_first
from gongkai.site.sitemeta import gov_meta
from gongkai.site.templates import render

__all__ = ["Planner", "SitePlan", "plan_site"]


class Planner:
    def __init__(self, state: State):
        self.state = state
        self.catalog: Catalog = state.catalog
        self.items = newest_first(state.published)
        self.by_id = {i.id: i for i in self.items}
        self.kind = {i.id: withdrawal.kind(i, self.catalog) for i in self.items}
        # Listed: everything published except what was consolidated or published in error.
        self.listed = [i for i in self.items if self.kind[i.id] not in (withdrawal.CONSOLIDATED, withdrawal.ERROR)]
        self.by_column: dict[str, list[Item]] = defaultdict(list)
        self.by_topic: dict[str, list[Item]] = defaultdict(list)
        self.interpretations: dict[str, list[Item]] = defaultdict(list)
        for item in self.listed:
            self.by_column[item.column_code].append(item)
            for name in item.topics:
                self.by_topic[name].append(item)
            target = item.meta.get("interprets")
            if isinstance(target, str):
                self.interpretations[target].append(item)

    def items_in(self, column: Column) -> list[Item]:
        return newest_first([i for c in column.walk() for i in self.by_column.get(c.code, [])])

    def status_tag(self, item: Item) -> dict | None:
        """The tag after an item's title in lists: 已撤回, or a validity other than 有效."""
        if self.kind.get(item.id) == withdrawal.WITHDRAWN:
            return {"text": "已撤回", "withdrawn": True}
        validity = item.meta.get("validity")
        if validity and validity != "有效":
            return {"text": str(validity), "withdrawn": False}
        return None

    # -- pages and files, one method each (the preview reuses the unchanged ones) ----------
    def item_page(self, item: Item) -> tuple[Page, list[CopiedFile]]:
        return item_page.item_page(self, item)

    def home(self) -> Page:
        return lists.home(self)

    def search_page(self) -> Page:
        return lists.search_page(self)

    def column_pages(self, column: Column) -> list[Page]:
        return lists.column_pages(self, column)

    def topic_pages(self, code: str, name: str) -> list[Page]:
        return lists.topic_pages(self, code, name)

    def feed_files(self) -> list[GeneratedFile]:
        return feeds.feed_files(self)

    # -- navigation ------------------------------------------------------------
    def nav_entry(self, column: Column):
        uri = f"{column_dir(column)}/index.md"
        if not column.children:
            return {column.name: uri}
        return {column.name: [uri, *[self.nav_entry(c) for c in column.children]]}

    def nav(self) -> list:
        return [
            {"首页": "index.md"},
            *[self.nav_entry(c) for c in self.catalog.columns],
            # The section's own page first: with navigation.indexes the first entry is the section's link.
            {"主题分类": [f"{portal_pages.TOPICS_DIR}/index.md", *[{t.name: f"{topic_dir(t.code)}/index.md"} for t in self.catalog.topics]]},
            {"站内搜索": lists.SEARCH_PAGE},
        ]

    # -- the plan ----------------------------------------------------------------
    def plan(self) -> SitePlan:
        list_reports(self)  # annual reports with a 索引号 are listed and counted in their column like items
        pages = [self.home(), self.search_page()]
        pages += [p for c in self.catalog.all_columns() for p in self.column_pages(c)]
        pages += [p for t in self.catalog.topics for p in self.topic_pages(t.code, t.name)]
        pages.append(portal_pages.topic_index(self))
        files: list[CopiedFile] = []
        outputs: list[GeneratedFile] = []
        for item in self.items:
            kind = self.kind[item.id]
            if kind == withdrawal.ERROR:
                pages.append(item_page.error_notice(self, item))
            elif kind == withdrawal.CONSOLIDATED and (successor := self.by_id.get(str(item.meta.get("replaced_by", "")))):
                outputs.append(self.redirect(item_dir(item), item_dir(successor), successor.title))
            else:
                page, copies = self.item_page(item)
                pages.append(page)
                files += copies
            outputs += [self.redirect(f"item/{old}", item_dir(item), item.title) for old in self.old_dirs(item)]
        outputs += self.feed_files()
        plan = SitePlan(pages, files, self.nav(), outputs)

        add_pages(self, plan)
        plan.pages.append(portal_pages.sitemap_page(self, plan))  # after add_pages: it lists their pages too
        for page in plan.pages:  # pages other modules add get the government-site tags too (item pages make their own)
            if not isinstance(page, LazyPage) and "gov_meta" not in page.meta:
                column = self.catalog.column(str(page.meta.get("gongkai_column", "")))
                page.meta["gov_meta"] = gov_meta(self.catalog, "column" if column else "notice", page.title, str(page.meta.get("description", "")), column=column)
        return plan

    def redirect(self, from_dir: str, to_dir: str, title: str) -> GeneratedFile:
        """A small page that sends browsers and crawlers from an old URL to the current one."""
        data = withdrawal.redirect_target(self.catalog, from_dir, to_dir)
        return GeneratedFile(f"{from_dir}/index.html", render("gk/redirect.html", site_name=str(self.catalog.site["name"]), title=title, **data))

    def old_dirs(self, item: Item) -> list[str]:
        """Earlier URLs of an item that must keep working: former slugs, and the 索引号 URL when a slug is set."""
        olds = withdrawal.former_slugs(item)
        if isinstance(item.meta.get("slug"), str):
            olds.append(item.id_key)
        return [o for o in dict.fromkeys(olds) if f"item/{o}" != item_dir(item)]


def plan_site(state: State) -> SitePlan:
    return Planner(state).plan()
