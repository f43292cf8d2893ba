"""The site plan for citizens, without MkDocs: long lists split by year and page, and
the schema fields behind withdrawal, moved URLs and 更新记录."""
from __future__ import annotations

import posixpath
import re
import shutil
from datetime import date

import pytest
from public_helpers import PREFIX, REPO

from gongkai.site.pages import plan_site
from gongkai.project import load_state
from review_helpers import copy_roster, sign_in_process

TODAY = date(2026, 11, 25)


def write_item(root, key: str, published: str, extra: str = "", column: str = "gzdt") -> None:
    path = root / "content" / column / f"{key}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"""---
id: {PREFIX}/{key}
title: 测试动态{key}
catalog: {column}
topics: [道路运输]
created: {published}
published: {published}
disclosure: 主动公开
validity: 有效
summary: 测试用的动态信息。
{extra}---

正文。
""",
        encoding="utf-8",
    )


def signed_state(root):
    state = load_state(root, today=TODAY)
    for item in state.items:
        if not state.problems.get(item.rel):
            sign_in_process(item, state.catalog, "周立衡", "同意公开", TODAY)
    return load_state(root, today=TODAY)


@pytest.fixture
def project(tmp_path):
    shutil.copy(REPO / "catalog.yml", tmp_path / "catalog.yml")
    copy_roster(tmp_path)
    (tmp_path / "content").mkdir()
    return tmp_path


def test_long_column_is_split_by_year_and_page(project):
    for n in range(70):
        write_item(project, f"2026-{n + 1:05d}", f"2026-{n % 10 + 1:02d}-{n % 28 + 1:02d}")
    for n in range(50):
        write_item(project, f"2025-{n + 1:05d}", f"2025-{n % 12 + 1:02d}-{n % 28 + 1:02d}")
    plan = plan_site(signed_state(project))
    pages = {p.uri: p for p in plan.pages if p.uri.startswith("column/gzdt/")}
    assert sorted(pages) == sorted(
        [
            "column/gzdt/index.md",
            "column/gzdt/page/2/index.md",
            "column/gzdt/page/3/index.md",
            "column/gzdt/year/2026/index.md",
            "column/gzdt/year/2026/page/2/index.md",
            "column/gzdt/year/2025/index.md",
        ]
    )
    rows = lambda p: re.findall(r"<tr><td class=\"gk-nowrap\" data-label=\"索引号\">", p.body)  # noqa: E731
    assert [len(rows(pages[u])) for u in ["column/gzdt/index.md", "column/gzdt/page/2/index.md", "column/gzdt/page/3/index.md"]] == [50, 50, 20]
    assert len(rows(pages["column/gzdt/year/2026/page/2/index.md"])) == 20
    assert all(f"{PREFIX}/2025-" in r for r in re.findall(r"<tr><td class=\"gk-nowrap\" data-label=\"索引号\">([^<]+)", pages["column/gzdt/year/2025/index.md"].body))
    # every pager and year link resolves to a page that exists
    all_dirs = {posixpath.dirname(p.uri) for p in plan.pages}
    for page in pages.values():
        for href in re.findall(r'<nav class="gk-(?:pager|years)"[^>]*>(.*?)</nav>', page.body):
            for target in re.findall(r'href="([^"]+)"', href):
                resolved = posixpath.normpath(posixpath.join(page.url_dir, target))
                assert resolved in all_dirs, (page.uri, target)
    page2 = pages["column/gzdt/page/2/index.md"].body
    assert 'rel="prev"' in page2 and 'rel="next"' in page2 and 'aria-current="page" aria-label="第 2 页">2<' in page2


def test_pager_links_a_window_of_pages():
    from gongkai.site.listing import page_window

    assert page_window(1, 3) == [1, 2, 3]
    assert page_window(50, 100) == [1, 48, 49, 50, 51, 52, 100]
    assert page_window(100, 100) == [1, 98, 99, 100]


def test_page_size_comes_from_catalog(project):
    text = (project / "catalog.yml").read_text(encoding="utf-8").replace("list_page_size: 50", "list_page_size: 5")
    (project / "catalog.yml").write_text(text, encoding="utf-8")
    for n in range(12):
        write_item(project, f"2026-{n + 1:05d}", "2026-05-01")
    uris = [p.uri for p in plan_site(signed_state(project)).pages if p.uri.startswith("column/gzdt/page/")]
    assert sorted(uris) == ["column/gzdt/page/2/index.md", "column/gzdt/page/3/index.md"]


def problems_of(project):
    state = load_state(project, today=TODAY)
    return [(p.field, p.message, p.fix) for ps in state.problems.values() for p in ps]


def test_withdrawal_reason_must_be_known(project):
    write_item(project, "2026-00001", "2026-05-01", "withdrawn: {reason: 删了, date: 2026-06-01, note: 说明}\n")
    found = problems_of(project)
    assert any(f.startswith("withdrawn.reason") and "不在允许的取值中" in m and "已撤回" in fix for f, m, fix in found), found


def test_consolidated_needs_a_successor(project):
    write_item(project, "2026-00001", "2026-05-01", "withdrawn: {reason: 已合并, date: 2026-06-01, note: 已并入新文件}\n")
    found = problems_of(project)
    assert any(f == "withdrawn" and "合并到哪个条目" in m and "replaced_by" in fix for f, m, fix in found), found


def test_former_slug_may_not_clash(project):
    write_item(project, "2026-00001", "2026-05-01", "slug: new-name\nformer_slugs: [2026-00002]\n")
    write_item(project, "2026-00002", "2026-05-01")
    found = problems_of(project)
    assert any(f == "former_slugs" and "已被" in m for f, m, fix in found), found


def test_changelog_entries_need_date_and_note(project):
    write_item(project, "2026-00001", "2026-05-01", "changelog:\n  - {date: 2026/06/01, note: 改了}\n  - {date: 2026-06-01}\n")
    fields = [f for f, m, fix in problems_of(project)]
    assert "changelog[1].date" in fields and "changelog[2]" in fields, fields


def test_error_item_is_absent_from_lists_and_outputs(project):
    write_item(project, "2026-00001", "2026-05-01", "withdrawn: {reason: 发布错误, date: 2026-06-01, note: 误发}\n")
    write_item(project, "2026-00002", "2026-05-02")
    plan = plan_site(signed_state(project))
    listed = "".join(p.body for p in plan.pages if p.uri.startswith(("column/", "topic/", "index.md")))
    assert "测试动态2026-00001" not in listed and "测试动态2026-00002" in listed
    notice = next(p for p in plan.pages if p.uri == "item/2026-00001/index.md")
    assert notice.meta["gongkai_noindex"] is True and "正文" not in notice.body
    assert not [o for o in plan.outputs if "测试动态2026-00001" in o.text()]


def test_withdrawal_and_changelog_dates_follow_publication(project):
    write_item(project, "2026-00001", "2026-05-01", "withdrawn: {reason: 已撤回, date: 2026-04-01, note: 说明}\nchangelog:\n  - {date: 2026-04-20, note: 改了}\n")
    found = problems_of(project)
    assert any(f == "withdrawn.date" and "早于发布日期" in m for f, m, fix in found), found
    assert any(f == "changelog[1].date" and "早于发布日期" in m for f, m, fix in found), found


def test_impossible_date_is_a_problem_with_a_line_not_a_crash(project):
    write_item(project, "2026-00001", "2026-05-01")
    path = project / "content" / "gzdt" / "2026-00001.md"
    path.write_text(path.read_text(encoding="utf-8").replace("created: 2026-05-01", "created: 2026-13-01"), encoding="utf-8")
    problems = [p for ps in load_state(project, today=TODAY).problems.values() for p in ps]
    assert len(problems) == 1 and "日期「2026-13-01」不存在" in problems[0].message and problems[0].line == 6


def test_item_and_list_pages_are_made_when_asked_and_not_kept():
    """Issue 12: a plan of 100,000 items must not hold every page's data. Item pages and the
    paged lists are LazyPage: each read makes the page again from the items, the same each time."""
    from gongkai.site.plan import LazyPage, Page

    plan = plan_site(load_state(REPO))
    lazy = [p for p in plan.pages if isinstance(p, LazyPage)]
    items = [p for p in lazy if p.template == "gk/item.html"]
    lists = [p for p in lazy if p.template == "gk/list.html"]
    assert len(items) > 20 and lists
    assert all(p.template in ("gk/item.html", "gk/list.html") for p in lazy)
    for page in items[:5] + lists[:5]:
        first, second = page.made(), page.made()
        assert type(first) is Page and first is not second and first == second  # made again, alike
        assert (first.uri, first.title, first.template) == (page.uri, page.title, page.template)
        assert page.data == first.data and page.meta == first.meta and page.markdown == first.markdown
        assert page.item_id == first.item_id and page.search_period == first.search_period
        assert not any(isinstance(v, (dict, list)) for v in vars(page).values())  # no data kept on the page
    assert all(p.item_id and p.search_period for p in items) and not any(p.item_id or p.search_period for p in lists)
    assert items[0] != LazyPage(items[0].uri, items[0].title, items[0].template, items[0].made, items[0].item_id, "")  # identity, not made data
