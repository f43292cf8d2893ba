"""Generated pages: the site plan, as Markdown/HTML sources, for any generator.

plan_site(state) returns every page the public site has (home, columns,
topics, items, search) and every attachment to copy. Only published items
appear in it; that is the whole of what the renderer may output.
"""
from __future__ import annotations

from collections import defaultdict
from html import escape
from pathlib import Path
from urllib.parse import urlencode

from gongkai.core import withdrawal
from gongkai.core.catalog import Catalog, Column
from gongkai.core.items import Item
from gongkai.core.urls import column_dir, item_dir, link, topic_dir
from gongkai.project import State
from gongkai.site import feeds, listing
from gongkai.site.disclosure_pages import add_pages  # 依申请公开指南 / 目录, annual reports
from gongkai.site.plan import CopiedFile, GeneratedFile, Page, SitePlan, date_text, human_size, newest_first
from gongkai.site.search import character_tokens
from gongkai.site.search_terms import hidden_terms
from gongkai.site.sitemeta import gov_meta

LATEST_ON_HOME = 10


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

    # -- shared fragments -------------------------------------------------
    def items_table(self, items: list[Item], from_dir: str, caption: str) -> str:
        if not items:
            return '<p class="gk-empty">本栏目暂无信息。</p>'
        with_doc_no = any(i.meta.get("doc_no") for i in items)  # no empty 文号 column for news lists
        rows = "\n".join(
            f'<tr><td class="gk-nowrap" data-label="索引号">{escape(i.id)}</td>'
            f'<td data-label="名称"><a href="{link(item_dir(i), from_dir)}">{escape(i.title)}</a>{self.status_tag(i)}</td>'
            + (f'<td data-label="文号">{escape(str(i.meta.get("doc_no", "")))}</td>' if with_doc_no else "")
            + f'<td class="gk-nowrap" data-label="发布日期"><time datetime="{date_text(i)}">{date_text(i)}</time></td></tr>'
            for i in items
        )
        doc_no_head = '<th scope="col">文号</th>' if with_doc_no else ""
        return (
            f'<table class="gk-list">\n<caption>{escape(caption)}</caption>\n'
            f'<thead><tr><th scope="col">索引号</th><th scope="col">名称</th>{doc_no_head}<th scope="col">发布日期</th></tr></thead>\n'
            f"<tbody>\n{rows}\n</tbody>\n</table>"
        )

    def search_link(self, here: str, facet: str, value: str, text: str) -> str:
        """A link to the search page with one facet already chosen (sorting and more filters there)."""
        query = urlencode({facet: value, "sort": "date:desc"})
        return f'<p class="gk-list-tools"><a href="{link("search", here)}?{escape(query)}">{escape(text)}</a></p>'

    def status_tag(self, item: Item) -> str:
        if self.kind.get(item.id) == withdrawal.WITHDRAWN:
            return ' <span class="gk-tag gk-tag--withdrawn">已撤回</span>'
        validity = item.meta.get("validity")
        if validity and validity != "有效":
            return f' <span class="gk-tag">{escape(str(validity))}</span>'
        return ""

    def listing_pages(self, base: str, title: str, head, items: list[Item], meta: dict) -> list[Page]:
        """The list under base split by year and into pages (see listing.py)."""
        pages = []
        size = listing.page_size(self.catalog)
        for here, year, number, count, chunk, years, pager in listing.listing(base, items, lambda i: date_text(i)[:4], size):
            label = title + (f" · {year}年" if year else "") + (f"（第 {number} 页）" if number > 1 else "")
            caption = label + (f"，共 {count} 页" if count > 1 else "")
            body = [f"# {escape(label)}", "", *head(here), years, self.items_table(chunk, here, caption), pager]
            pages.append(Page(f"{here}/index.md", label, "\n".join(body) + "\n", dict(meta)))
        return pages

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
            f'<li><a href="{link(item_dir(i), "")}">{escape(i.title)}</a> <time datetime="{date_text(i)}">{date_text(i)}</time></li>'
            for i in self.listed[:LATEST_ON_HOME]
        )
        topics = "\n".join(
            f'<li><a href="{link(topic_dir(t.code), "")}">{escape(t.name)}</a>（{len(self.by_topic.get(t.name, []))}）</li>'
            for t in self.catalog.topics
        )
        notices = self.catalog.column(str(listing.settings(self.catalog).get("home_notices", "")))
        notice_list = ""
        if notices is not None:
            entries = "\n".join(
                f'<li><a href="{link(item_dir(i), "")}">{escape(i.title)}</a> <time datetime="{date_text(i)}">{date_text(i)}</time></li>' for i in self.items_in(notices)[:LATEST_ON_HOME]
            ) or '<li class="gk-empty">暂无。</li>'
            notice_list = f'## {escape(notices.name)}\n\n<ul class="gk-latest">\n{entries}\n</ul>\n\n<p><a href="{link(column_dir(notices), "")}">更多{escape(notices.name)}</a></p>\n'
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

{notice_list}
## 主题分类

<ul class="gk-topics">
{topics}
</ul>

<p class="gk-contact">{escape(agency['name'])} · 地址：{escape(agency['address'])} · 电话：{escape(agency['phone'])}</p>
"""
        description = f"{agency['name']}主动公开目录"
        return Page("index.md", self.catalog.site["name"], body, {"description": description, "gov_meta": gov_meta(self.catalog, "home", "首页", description)})

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
            return self.column_pages(column)[0]
        return Page(f"{here}/index.md", column.name, "\n".join(parts) + "\n", self.column_meta(column))

    def column_meta(self, column: Column) -> dict:
        return {"description": column.description, "gongkai_column": column.code, "gov_meta": gov_meta(self.catalog, "column", "", "", column=column)}

    def column_pages(self, column: Column) -> list[Page]:
        """A column's pages: one for a column with sub-columns, a year-split paged list for a leaf."""
        if column.children:
            return [self.column_page(column)]
        here = column_dir(column)
        items = self.by_column.get(column.code, [])
        topics = [t for t in self.catalog.topics if any(t.name in i.topics for i in items)]

        def head(at: str) -> list[str]:
            out = [f'<p class="gk-lead">{escape(column.description)}</p>', f'<p class="gk-update">更新要求：{escape(column.update.label)}</p>']
            out.append(self.search_link(at, "栏目", column.name, "在本栏目中检索，或按发布日期排序"))
            if topics:
                links = "".join(f'<li><a href="{link(topic_dir(t.code), at)}">{escape(t.name)}</a></li>' for t in topics)
                out.append(f'<nav class="gk-topic-links" aria-label="本栏目涉及的主题"><span>相关主题：</span><ul>{links}</ul></nav>')
            return out

        return self.listing_pages(here, column.name, head, items, self.column_meta(column))

    def topic_pages(self, code: str, name: str) -> list[Page]:
        """A topic's year-split, paged list across all columns."""
        items = self.by_topic.get(name, [])
        description = f"主题分类：{name}"
        meta = {"description": description, "gov_meta": gov_meta(self.catalog, "topic", f"主题：{name}", description)}

        def head(at: str) -> list[str]:
            return [
                f'<p class="gk-lead">按主题浏览：{escape(name)}，共 {len(items)} 条，含各栏目的信息。</p>',
                self.search_link(at, "主题", name, "在本主题中检索，或按栏目、文种筛选"),
            ]

        return self.listing_pages(topic_dir(code), f"主题：{name}", head, items, meta)

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
            ("发布日期", escape(date_text(item))),
            ("有效性", escape(str(meta.get("validity", "")))),
            ("所属栏目", f'<a href="{link(column_dir(column), here)}">{escape(column.name)}</a>'),
            ("主题分类", "、".join(f'<a href="{link(topic_dir(t.code), here)}">{escape(t.name)}</a>' for n in item.topics if (t := self.catalog.topic_by_name(n)))),
        ]
        rows = "\n".join(
            "<tr>" + "".join(f'<th scope="row">{k}</th><td>{v}</td>' for k, v in cells[i : i + 2]) + "</tr>" for i in range(0, len(cells), 2)
        )
        year = date_text(item)[:4]
        search_data = "".join(
            f'<span data-pagefind-filter="{k}">{escape(v)}</span>'
            for k, v in [("栏目", column.name), ("年份", year), *[("主题", t) for t in item.topics], ("文种", str(meta.get("doc_type", "")))]
            if v
        )
        search_data += f'<span data-pagefind-sort="date">{date_text(item)}</span><span data-pagefind-meta="date">{date_text(item)}</span><span data-pagefind-meta="index_no">{escape(item.id)}</span>'
        search_data += "".join(f'<span data-pagefind-meta="{k}">{escape(v)}</span>' for k, v in [("doc_no", str(meta.get("doc_no", ""))), ("status", self.status_tag(item) and self.status_label(item)), ("summary", str(meta.get("summary", "")))] if v)
        parts = [self.breadcrumb(column, here), f"# {escape(item.title)}", ""]
        parts += self.withdrawn_banner(item)
        validity = meta.get("validity")
        if validity and validity != "有效":
            successor = self.by_id.get(str(meta.get("replaced_by", "")))
            replaced = f'，现行文件见<a href="{link(item_dir(successor), here)}">{escape(successor.title)}</a>' if successor else ""
            parts.append(f'<div class="gk-banner gk-banner--{ "repealed" if validity == "已废止" else "revised"}" role="note"><strong>本文件{escape(str(validity))}</strong>{replaced}。</div>\n')
        parts.append(f'<table class="gk-meta" data-pagefind-ignore>\n<caption>文件信息</caption>\n{rows}\n</table>\n')
        parts.append(f'<div class="gk-summary"><strong>内容概述：</strong>{escape(str(meta.get("summary", "")))}</div>\n')
        parts.append(f'<div hidden class="gk-search-data" data-pagefind-ignore>{search_data}</div>\n')  # filters and meta, not excerpt text
        relations = []
        target = self.by_id.get(str(meta.get("interprets", "")))
        if target and self.kind.get(target.id) != withdrawal.ERROR:
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
        parts.append(self.changelog(item))
        # The character-spelled copy for exact substring search (see search.character_tokens).
        # Title and 文号 weigh more: the search page ranks exact hits by a weighted search.
        heading = character_tokens(item.title, str(meta.get("doc_no", "")))
        text = character_tokens(item.id, str(meta.get("summary", "")), item.body, *[a.title for a in item.attachments])
        parts.append(f'<div hidden class="gk-search-tokens"><p data-pagefind-weight="10">{escape(heading)}</p><p>{escape(text)}</p></div>\n')
        parts.append(hidden_terms(str(meta.get("doc_no", ""))) + "\n")  # 文号 token for bracket/年/第 variants
        page_meta = {"description": str(meta.get("summary", "")), "gongkai_item": item.id, "gongkai_column": column.code}
        page_meta["gov_meta"] = gov_meta(self.catalog, "item", "", "", column=column, item=item)
        page = Page(f"{here}/index.md", item.title, "\n".join(parts), page_meta)
        return page, copies

    def breadcrumb(self, column: Column, here: str) -> str:
        trail = [("首页", "")] + [(c.name, column_dir(c)) for c in column.path]
        lis = "".join(f'<li><a href="{link(d, here)}">{escape(n)}</a></li>' for n, d in trail)
        return f'<nav class="gk-breadcrumb" aria-label="当前位置" data-pagefind-ignore><ol>{lis}</ol></nav>\n'

    def status_label(self, item: Item) -> str:
        if self.kind.get(item.id) == withdrawal.WITHDRAWN:
            return "已撤回"
        return str(item.meta.get("validity", ""))

    def withdrawn_banner(self, item: Item) -> list[str]:
        w = withdrawal.withdrawal(item)
        if not w or self.kind.get(item.id) != withdrawal.WITHDRAWN:
            return []
        return [
            f'<div class="gk-banner gk-banner--withdrawn" role="note"><strong>本信息已于 {escape(str(w.get("date", "")))} 撤回</strong>'
            f'<p>{escape(str(w.get("note", "")))}</p><p>以下内容仅供查阅，不再作为现行依据。</p></div>\n'
        ]

    def changelog(self, item: Item) -> str:
        """更新记录: first publication, then every recorded change, oldest first."""
        entries = [e for e in item.meta.get("changelog") or [] if isinstance(e, dict)]
        if not entries:
            return ""
        rows = [(date_text(item), "首次发布。")] + sorted((str(e.get("date", "")), str(e.get("note", ""))) for e in entries)
        lis = "".join(f'<li><time datetime="{escape(d)}">{escape(d)}</time>：{escape(n)}</li>' for d, n in rows)
        return f'<h2 id="changelog">更新记录</h2>\n\n<ol class="gk-changelog">{lis}</ol>\n'

    def error_notice(self, item: Item) -> Page:
        """Published in error: only a notice stays at the URL; no title, body or attachments."""
        w = withdrawal.withdrawal(item) or {}
        here = item_dir(item)
        body = f"""# 该信息已撤下

<div class="gk-banner gk-banner--error" role="note">
<p>索引号为 {escape(item.id)} 的信息因<strong>发布错误</strong>，已于 {escape(str(w.get("date", "")))} 从本网站撤下。</p>
<p>{escape(str(w.get("note", "")))}</p>
</div>

<p>您可以<a href="{link("search", here)}">搜索本站信息</a>，或返回<a href="{link("", here)}">首页</a>浏览主动公开目录。</p>
"""
        meta = {"description": "该信息因发布错误已撤下", "gongkai_noindex": True, "gov_meta": gov_meta(self.catalog, "notice", "信息已撤下", "该信息因发布错误已撤下")}
        return Page(f"{here}/index.md", "该信息已撤下", body, meta)

    def search_page(self) -> Page:
        """The search page's markup; assets/gongkai/gongkai.js runs the search with Pagefind."""
        body = """# 站内搜索

<form id="gk-search-form" class="gk-search-form" action="./" method="get" role="search">
<label for="gk-q">搜索关键词</label>
<input id="gk-q" name="q" type="search" placeholder="输入标题、文号、索引号或关键词">
<button type="submit">搜索</button>
</form>

<div class="gk-search-layout">
<aside id="gk-facets" class="gk-facets" aria-label="筛选条件"></aside>
<section class="gk-search-main" aria-label="搜索结果">
<div class="gk-search-bar">
<p id="gk-status" class="gk-search-status" role="status" aria-live="polite">正在加载搜索……</p>
<p class="gk-sort"><label for="gk-sort">排序</label>
<select id="gk-sort" name="sort">
<option value="">按相关度</option>
<option value="date:desc">按发布日期（新→旧）</option>
<option value="date:asc">按发布日期（旧→新）</option>
</select></p>
</div>
<ol id="gk-results" class="gk-results"></ol>
<button id="gk-more" class="gk-more" type="button" hidden>显示更多结果</button>
</section>
</div>
<noscript>站内搜索需要启用 JavaScript。也可以通过主动公开目录和主题分类浏览全部信息。</noscript>
"""
        description = "搜索本站公开的政府信息"
        return Page("search/index.md", "站内搜索", body, {"description": description, "gongkai_search": True, "gov_meta": gov_meta(self.catalog, "search", "站内搜索", description)})

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
        pages += [p for c in self.catalog.all_columns() for p in self.column_pages(c)]
        pages += [p for t in self.catalog.topics for p in self.topic_pages(t.code, t.name)]
        files: list[CopiedFile] = []
        outputs: list[GeneratedFile] = []
        for item in self.items:
            kind = self.kind[item.id]
            if kind == withdrawal.ERROR:
                pages.append(self.error_notice(item))
            elif kind == withdrawal.CONSOLIDATED and (successor := self.by_id.get(str(item.meta.get("replaced_by", "")))):
                outputs.append(GeneratedFile(f"{item_dir(item)}/index.html", withdrawal.redirect_html(self.catalog, item_dir(item), item_dir(successor), successor.title)))
            else:
                page, copies = self.item_page(item)
                pages.append(page)
                files += copies
            outputs += [GeneratedFile(f"item/{old}/index.html", withdrawal.redirect_html(self.catalog, f"item/{old}", item_dir(item), item.title)) for old in self.old_dirs(item)]
        outputs += feeds.feed_files(self)
        plan = SitePlan(pages, files, self.nav(), outputs)

        add_pages(self, plan)
        for page in plan.pages:  # pages other modules add get the government-site tags too
            if "gov_meta" not in page.meta:
                column = self.catalog.column(str(page.meta.get("gongkai_column", "")))
                page.meta["gov_meta"] = gov_meta(self.catalog, "column" if column else "notice", page.title, str(page.meta.get("description", "")), column=column)
        return plan

    def old_dirs(self, item: Item) -> list[str]:
        """Earlier URLs of an item that must keep working: former slugs, and the 索引号 URL when a slug is set."""
        olds = withdrawal.former_slugs(item)
        if isinstance(item.meta.get("slug"), str):
            olds.append(item.id_key)
        return [o for o in dict.fromkeys(olds) if f"item/{o}" != item_dir(item)]


def plan_site(state: State) -> SitePlan:
    return Planner(state).plan()
