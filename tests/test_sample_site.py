"""The repository's own sample site: builds clean, fills every column, and searches in Chinese."""
from __future__ import annotations

import pytest

from conftest import REPO, TODAY


@pytest.fixture(scope="module")
def sample_state():
    from gongkai.project import load_state

    return load_state(REPO, today=TODAY)


def test_sample_content_is_valid(sample_state):
    assert sample_state.errors == []
    assert len(sample_state.items) >= 40


def test_every_column_and_topic_has_published_items(sample_state):
    published = sample_state.published
    for column in sample_state.catalog.all_columns():
        if column.proactive:
            codes = {c.code for c in column.walk()}
            assert any(i.column_code in codes for i in published), f"栏目 {column.name} 为空"
    for topic in sample_state.catalog.topics:
        assert any(topic.name in i.topics for i in published), f"主题 {topic.name} 为空"


def test_gate_is_visible_in_the_sample(sample_state):
    codes = {c for d in sample_state.withheld for c in d.codes}
    assert {"unsigned", "stale", "not_proactive"} <= codes


def test_sample_has_the_features(sample_state):
    published = sample_state.published
    assert any(i.attachments for i in published)
    assert any(i.meta.get("validity") == "已废止" and i.meta.get("replaced_by") for i in published)
    assert any(i.meta.get("interprets") for i in published)


def test_withheld_items_are_absent_from_the_built_sample(sample_site, sample_state):
    from conftest import all_output_text

    from gongkai.site.disclosure_pages import on_request_items

    text = all_output_text(sample_site)
    listed = {i.id for i in on_request_items(sample_state)}  # their metadata is public by design: 依申请公开目录
    for decision in sample_state.withheld:
        if decision.item.id not in listed:
            assert decision.item.title not in text, f"{decision.item.rel} leaked"
        assert not (sample_site / "item" / decision.item.id_key).exists()


def pagefind_search(browser, base_url: str, query: str, filters: dict | None = None) -> list[dict]:
    """Run a query through Pagefind's own JavaScript API in the page, as one exact phrase of the
    query's index words (gongkai.js unitTerm), the way the site's search page asks for it."""
    page = browser.new_page()
    try:
        page.goto(base_url + "search/")
        page.wait_for_function("() => /找到|没有找到/.test(document.getElementById('gk-status').textContent)")  # Pagefind started
        return page.evaluate(
            """async ([query, filters]) => {
                const pagefind = await import('/pagefind/pagefind.js');
                const search = await pagefind.search(window.gongkai.unitTerm(query), filters ? {filters} : {});
                const data = await Promise.all(search.results.map(r => r.data()));
                return data.map(d => ({url: d.url, title: d.meta.title, filters: d.filters, date: d.meta.date}));
            }""",
            [query, filters],
        )
    finally:
        page.close()


@pytest.mark.parametrize("query", ["养护", "三公经费", "三公", "养护工程", "澜交发〔2026〕12号", "2026-00013"])
def test_chinese_search_finds_the_right_items(browser, serve, sample_site, sample_state, query):
    base = serve(sample_site)
    results = pagefind_search(browser, base, query)
    urls = {r["url"] for r in results}
    import re
    import unicodedata

    def bare(text):  # punctuation-blind, as the index is: “三公”经费 contains 三公经费
        return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text)).lower()

    def contains(*texts):
        return any(bare(query) in bare(t) for t in texts)

    from gongkai.core.urls import item_dir
    from gongkai.core.withdrawal import CONSOLIDATED, ERROR, kind

    # consolidated items redirect and items published in error are gone: neither is indexed
    expected = {f"/{item_dir(i)}/" for i in sample_state.published
                if kind(i, sample_state.catalog) not in (CONSOLIDATED, ERROR) and contains(i.title, i.id, str(i.meta.get("doc_no", "")), i.meta.get("summary", ""), i.body, *[a.title for a in i.attachments])}
    assert expected, f"the sample needs a published item containing {query}"
    assert {u for u in urls if u.startswith("/item/")} == expected  # every item containing the text, and only those


def test_search_filters_by_column(browser, serve, sample_site):
    base = serve(sample_site)
    results = pagefind_search(browser, base, "养护", {"栏目": "公路建设养护政策"})
    assert results and all(r["filters"]["栏目"] == ["公路建设养护政策"] for r in results)


def test_withheld_items_cannot_be_found_by_search(browser, serve, sample_site, sample_state):
    from gongkai.site.disclosure_pages import on_request_items

    base = serve(sample_site)
    listed = {i.id for i in on_request_items(sample_state)}  # their metadata is public by design: 依申请公开目录
    for decision in sample_state.withheld:
        found = [r["url"] for r in pagefind_search(browser, base, decision.item.title)]
        assert found == (["/column/ysqgk/mulu/"] if decision.item.id in listed else []), decision.item.rel


def test_generated_disclosure_pages_are_searchable(browser, serve, sample_site):
    base = serve(sample_site)
    for query, url in [("依申请公开指南", "/column/ysqgk/zhinan/"), ("依申请公开目录", "/column/ysqgk/mulu/"),
                       ("2025年政府信息公开工作年度报告", "/column/nianbao/2025/")]:
        assert url in [r["url"] for r in pagefind_search(browser, base, query)], query
