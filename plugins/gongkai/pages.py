"""Generated pages: the site plan, as Markdown/HTML sources, for any generator.

plan_site(state) returns every page the public site has (home, columns,
topics, items, search) and every attachment to copy. Only published items
appear in it; that is the whole of what the renderer may output.
"""
from __future__ import annotations

import posixpath
from collections import defaultdict
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import yaml

from .catalog import Catalog, Column
from .items import Item
from .project import State
from .search import character_tokens

LATEST_ON_HOME = 10


@dataclass
class Page:
    uri: str  # source path, e.g. "column/gzdt/index.md"
    title: str
    body: str  # Markdown/HTML without front matter
    meta: dict = field(default_factory=dict)

    @property
    def url_dir(self) -> str:
        """The directory URL the page is served at ('' for the home page)."""
        return posixpath.dirname(self.uri)

    @property
    def source(self) -> str:
        front = yaml.safe_dump({"title": self.title, **self.meta}, allow_unicode=True, sort_keys=True)
        return f"---\n{front}---\n\n{self.body}"


@dataclass
class CopiedFile:
    uri: str  # destination path in the site
    source: Path


@dataclass
class SitePlan:
    pages: list[Page]
    files: list[CopiedFile]
    nav: list  # MkDocs-style nav: [{title: uri or [...]}, ...]


def item_dir(item: Item) -> str:
    slug = item.meta.get("slug")
    return f"item/{slug if isinstance(slug, str) else item.id_key}"


def column_dir(column: Column) -> str:
    return f"column/{column.code}"


def topic_dir(code: str) -> str:
    return f"topic/{code}"


def link(target_dir: str, from_dir: str) -> str:
    """Relative URL from one directory-style page to another."""
    rel = posixpath.relpath(target_dir or ".", from_dir or ".")
    return "./" if rel == "." else rel + "/"


def _date(item: Item) -> str:
    return item.published.isoformat() if item.published else ""


def newest_first(items: list[Item]) -> list[Item]:
    return sorted(items, key=lambda i: (_date(i), i.id), reverse=True)


def human_size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


class Planner:
    def __init__(self, state: State):
        self.state = state
        self.catalog: Catalog = state.catalog
        self.items = newest_first(state.published)
        self.by_id = {i.id: i for i in self.items}
        self.by_column: dict[str, list[Item]] = defaultdict(list)
        self.by_topic: dict[str, list[Item]] = defaultdict(list)
        self.interpretations: dict[str, list[Item]] = defaultdict(list)
        for item in self.items:
            self.by_column[item.column_code].append(item)
            for name in item.topics:
                self.by_topic[name].append(item)
            target = item.meta.get("interprets")
            if isinstance(target, str):
                self.interpretations[target].append(item)

    # -- shared fragments -------------------------------------------------
    def items_table(self, items: list[Item], from_dir: str, caption: str) -> str:
        if not items:
            return '<p class="gk-empty">本栏目暂无信息。</p>'
        rows = "\n".join(
            f'<tr><td class="gk-nowrap">{escape(i.id)}</td>'
            f'<td><a href="{link(item_dir(i), from_dir)}">{escape(i.title)}</a></td>'
            f'<td>{escape(str(i.meta.get("doc_no", "")))}</td>'
            f'<td class="gk-nowrap"><time datetime="{_date(i)}">{_date(i)}</time></td></tr>'
            for i in items
        )
        return (
            f'<table class="gk-list">\n<caption>{escape(caption)}</caption>\n'
            '<thead><tr><th scope="col">索引号</th><th scope="col">名称</th><th scope="col">文号</th><th scope="col">发布日期</th></tr></thead>\n'
            f"<tbody>\n{rows}\n</tbody>\n</table>"
        )

    def items_in(self, column: Column) -> list[Item]:
        return newest_first([i for c in column.walk() for i in self.by_column.get(c.code, [])])

    # -- pages ---------------------------------------------------------------
    def home(self) -> Page:
        agency = self.catalog.agency
        cards = "\n".join(
            f'<li><a href="{link(column_dir(c), "")}"><strong>{escape(c.name)}</strong>'
            f'<span>{escape(c.description)}</span><span class="gk-count">{len(self.items_in(c))} 条</span></a></li>'
            for c in self.catalog.columns
        )
        latest = "\n".join(
            f'<li><a href="{link(item_dir(i), "")}">{escape(i.title)}</a> <time datetime="{_date(i)}">{_date(i)}</time></li>'
            for i in self.items[:LATEST_ON_HOME]
        )
        topics = "\n".join(
            f'<li><a href="{link(topic_dir(t.code), "")}">{escape(t.name)}</a>（{len(self.by_topic.get(t.name, []))}）</li>'
            for t in self.catalog.topics
        )
        body = f"""# {escape(self.catalog.site['name'])}

<form class="gk-search-form" action="search/" method="get" role="search">
<label for="gk-home-q">搜索政府信息</label>
<input id="gk-home-q" name="q" type="search" placeholder="输入标题、文号、索引号或关键词">
<button type="submit">搜索</button>
</form>

## 主动公开目录

<ul class="gk-cards">
{cards}
</ul>

## 最新信息

<ul class="gk-latest">
{latest}
</ul>

## 主题分类

<ul class="gk-topics">
{topics}
</ul>

<p class="gk-contact">{escape(agency['name'])} · 地址：{escape(agency['address'])} · 电话：{escape(agency['phone'])}</p>
"""
        return Page("index.md", self.catalog.site["name"], body, {"description": f"{agency['name']}主动公开目录"})

    def column_page(self, column: Column) -> Page:
        here = column_dir(column)
        parts = [f"# {escape(column.name)}", "", f'<p class="gk-lead">{escape(column.description)}</p>', f'<p class="gk-update">更新要求：{escape(column.update.label)}</p>', ""]
        if column.children:
            parts.append("## 下级栏目\n\n<ul class=\"gk-subcolumns\">")
            parts += [
                f'<li><a href="{link(column_dir(c), here)}">{escape(c.name)}</a>（{len(self.items_in(c))} 条）</li>' for c in column.children
            ]
            parts.append("</ul>\n")
            parts.append("## 最新信息\n")
            parts.append(self.items_table(self.items_in(column)[:LATEST_ON_HOME], here, f"{column.name}最新信息"))
        else:
            items = self.by_column.get(column.code, [])
            groups = [(t, [i for i in items if t.name in i.topics]) for t in self.catalog.topics]
            groups = [(t, g) for t, g in groups if g]
            if len(groups) > 1:
                parts.append('<nav class="gk-topic-index" aria-label="按主题"><ul>')
                parts += [f'<li><a href="#topic-{t.code}">{escape(t.name)}（{len(g)}）</a></li>' for t, g in groups]
                parts.append("</ul></nav>\n")
                for t, g in groups:
                    parts.append(f'<h2 id="topic-{t.code}">{escape(t.name)}</h2>\n')
                    parts.append(self.items_table(g, here, f"{column.name} · {t.name}"))
                    parts.append("")
            else:
                parts.append(self.items_table(items, here, column.name))
        return Page(f"{here}/index.md", column.name, "\n".join(parts) + "\n", {"description": column.description})

    def topic_page(self, code: str, name: str) -> Page:
        here = topic_dir(code)
        items = self.by_topic.get(name, [])
        parts = [f"# 主题：{escape(name)}", ""]
        if not items:
            parts.append('<p class="gk-empty">本主题暂无信息。</p>')
        for column in self.catalog.all_columns():
            group = [i for i in items if i.column_code == column.code]
            if group:
                parts.append(f"## {escape(column.name)}\n")
                parts.append(self.items_table(group, here, f"{name} · {column.name}"))
                parts.append("")
        return Page(f"{here}/index.md", f"主题：{name}", "\n".join(parts) + "\n", {"description": f"主题分类：{name}"})

    def item_page(self, item: Item) -> tuple[Page, list[CopiedFile]]:
        here = item_dir(item)
        column = self.catalog.column(item.column_code)
        meta = item.meta
        publisher = meta.get("publisher") or self.catalog.agency["name"]
        cells = [
            ("索引号", escape(item.id)),
            ("发布机构", escape(str(publisher))),
            ("文号", escape(str(meta.get("doc_no", "")))),
            ("生成日期", escape(item.created.isoformat() if item.created else "")),
            ("发布日期", escape(_date(item))),
            ("有效性", escape(str(meta.get("validity", "")))),
            ("所属栏目", f'<a href="{link(column_dir(column), here)}">{escape(column.name)}</a>'),
            ("主题分类", "、".join(f'<a href="{link(topic_dir(t.code), here)}">{escape(t.name)}</a>' for n in item.topics if (t := self.catalog.topic_by_name(n)))),
        ]
        rows = "\n".join(
            "<tr>" + "".join(f'<th scope="row">{k}</th><td>{v}</td>' for k, v in cells[i : i + 2]) + "</tr>" for i in range(0, len(cells), 2)
        )
        year = _date(item)[:4]
        search_data = "".join(
            f'<span data-pagefind-filter="{k}">{escape(v)}</span>'
            for k, v in [("栏目", column.name), ("年份", year), *[("主题", t) for t in item.topics], ("文种", str(meta.get("doc_type", "")))]
            if v
        )
        search_data += f'<span data-pagefind-sort="date">{_date(item)}</span><span data-pagefind-meta="date">{_date(item)}</span><span data-pagefind-meta="index_no">{escape(item.id)}</span>'
        parts = [f"# {escape(item.title)}", ""]
        validity = meta.get("validity")
        if validity and validity != "有效":
            successor = self.by_id.get(str(meta.get("replaced_by", "")))
            replaced = f'，现行文件见<a href="{link(item_dir(successor), here)}">{escape(successor.title)}</a>' if successor else ""
            parts.append(f'<div class="gk-banner gk-banner--{ "repealed" if validity == "已废止" else "revised"}" role="note"><strong>本文件{escape(str(validity))}</strong>{replaced}。</div>\n')
        parts.append(f'<table class="gk-meta">\n<caption>文件信息</caption>\n{rows}\n</table>\n')
        parts.append(f'<div class="gk-summary"><strong>内容概述：</strong>{escape(str(meta.get("summary", "")))}</div>\n')
        parts.append(f'<div hidden class="gk-search-data">{search_data}</div>\n')
        relations = []
        target = self.by_id.get(str(meta.get("interprets", "")))
        if target:
            relations.append(f'解读的文件：<a href="{link(item_dir(target), here)}">{escape(target.title)}</a>')
        for interp in self.interpretations.get(item.id, []):
            relations.append(f'政策解读：<a href="{link(item_dir(interp), here)}">{escape(interp.title)}</a>')
        if relations:
            parts.append('<ul class="gk-relations">' + "".join(f"<li>{r}</li>" for r in relations) + "</ul>\n")
        parts.append(item.body.strip() + "\n")
        copies = []
        if item.attachments:
            entries = []
            for a in item.attachments:
                name = Path(a.file).name
                copies.append(CopiedFile(f"{here}/{name}", a.path))
                size = human_size(a.path.stat().st_size)
                entries.append(f'<li><a href="{escape(name)}" download>{escape(a.title)}</a> <span class="gk-filetype">（{escape(a.suffix.upper())}，{size}）</span></li>')
            parts.append('<h2 id="attachments">附件</h2>\n\n<ul class="gk-attachments">\n' + "\n".join(entries) + "\n</ul>\n")
        # The character-spelled copy for exact substring search (see search.character_tokens).
        tokens = character_tokens(item.title, str(meta.get("doc_no", "")), item.id, str(meta.get("summary", "")), item.body, *[a.title for a in item.attachments])
        parts.append(f'<div hidden class="gk-search-tokens">{escape(tokens)}</div>\n')
        page = Page(f"{here}/index.md", item.title, "\n".join(parts), {"description": str(meta.get("summary", "")), "gongkai_item": item.id})
        return page, copies

    def search_page(self) -> Page:
        body = """# 站内搜索

<div id="gk-search" class="gk-search" data-pagefind-ui></div>
<noscript>站内搜索需要启用 JavaScript。也可以通过主动公开目录和主题分类浏览全部信息。</noscript>
"""
        return Page("search/index.md", "站内搜索", body, {"description": "搜索本站公开的政府信息", "gongkai_search": True})

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
            {"主题分类": [{t.name: f"{topic_dir(t.code)}/index.md"} for t in self.catalog.topics]},
            {"站内搜索": "search/index.md"},
        ]

    def plan(self) -> SitePlan:
        pages = [self.home(), self.search_page()]
        pages += [self.column_page(c) for c in self.catalog.all_columns()]
        pages += [self.topic_page(t.code, t.name) for t in self.catalog.topics]
        files: list[CopiedFile] = []
        for item in self.items:
            page, copies = self.item_page(item)
            pages.append(page)
            files += copies
        plan = SitePlan(pages, files, self.nav())
        from .disclosure_pages import add_pages  # 依申请公开指南 / 目录, annual reports

        add_pages(self, plan)
        return plan


def plan_site(state: State) -> SitePlan:
    return Planner(state).plan()
