"""Held-out style check: queries as citizens type them, through the site's own search page in
Chromium, against the repository's sample site. Each expected item must be among the first five."""
from __future__ import annotations

import pytest

from public_helpers import PREFIX

# (query, the item a citizen is looking for); written from the citizen's side, not from the index.
TOP5 = [
    # single words
    ("养护", "江澜市农村公路养护管理办法（2026年修订）"),
    ("三公", "江澜市交通运输局2025年度“三公”经费决算情况说明"),
    ("招聘", "江澜市交通运输局2026年公开招聘编外工作人员公告"),
    ("码头", "江澜港区青屿作业区三期码头工程建设进展情况"),
    ("集装箱", "江澜港前三季度集装箱吞吐量同比增长8.6%"),
    ("岸线", "江澜市港口岸线使用管理规定"),
    ("权力清单", "江澜市交通运输局行政权力清单（2025年版）"),
    ("责任清单", "江澜市交通运输局责任清单（2026年调整）"),
    ("党建", "江澜市交通运输局2025年机关党建工作要点"),
    ("招标", "滨江快速路二期工程施工招标结果公示"),
    ("交工验收", "滨江快速路二期工程交工验收情况公告"),
    ("隐患排查", "市交通运输局开展汛后公路桥梁安全隐患排查"),
    ("年度报告", "江澜市交通运输局2025年政府信息公开工作年度报告"),  # generated from annual/2025.yml
    ("依申请公开指南", "依申请公开指南"),  # generated from catalog.yml
    ("依申请公开目录", "依申请公开目录"),
    ("申请表", "网上填写申请表"),  # the portal's online form (site/portal_pages.py)
    # natural phrases: all words, any order
    ("农村公路管理办法", "江澜市农村公路养护管理办法（2026年修订）"),
    ("公交线路调整", "关于调整12路、35路公交线路走向的公告"),
    ("公交补贴", "2025年城市公共交通运营补贴资金分配结果公示"),
    ("网约车管理细则", "江澜市网络预约出租汽车经营服务管理实施细则"),
    ("桥梁隧道安全管理", "江澜市交通运输局关于进一步加强公路桥梁隧道安全管理的通知"),
    ("国庆假期客运", "关于2024年国庆节假期道路旅客运输保障工作的通告"),
    ("冬季养护检查", "市交通运输局开展冬季公路养护安全检查"),
    ("滨江大道施工", "关于滨江大道夜间封闭施工的交通管制通告"),
    ("暑期客运安全", "2026年暑期道路客运安全专项行动方案"),
    ("农村客运公交", "三条农村客运公交线路开通运营"),
    ("三公经费预算", "江澜市交通运输局2026年度三公经费预算情况说明"),
    ("信息公开指南", "江澜市交通运输局政府信息公开指南（2026年修订版）"),
    ("政府开放日", "市交通运输局举办“政府开放日”活动"),
    ("人大代表建议答复", "关于市人大代表第 2025018 号建议办理情况的答复"),
    ("政协提案", "关于市政协委员第 0142 号提案办理情况的答复"),
    ("养护工程管理办法解读", "《江澜市农村公路养护工程管理办法》政策解读"),
    ("江澜市农村公路养护工程管理办法", "江澜市农村公路养护工程管理办法"),
    # 文号, in the three bracket spellings and with 年/第
    ("澜交发〔2026〕12号", "江澜市农村公路养护工程管理办法"),
    ("澜交发[2026]12号", "江澜市农村公路养护工程管理办法"),
    ("澜交发(2026)12号", "江澜市农村公路养护工程管理办法"),
    ("澜交规〔2025〕1号", "江澜市网络预约出租汽车经营服务管理实施细则"),
    ("澜交规[2026]4号", "江澜市港口岸线使用管理规定"),
    ("澜交发（2025）21号", "关于下达2025年度普通国省道养护工程计划的通知"),
    ("澜交发2026年第15号", "江澜市交通运输局关于进一步加强公路桥梁隧道安全管理的通知"),
    # 索引号 and its fragments
    ("1234567Q/2025-00601", "江澜市农村公路养护管理办法"),
    ("2026-00017", "江澜市港口岸线使用管理规定"),
    (f"{PREFIX}/2026-00013", "江澜市交通运输局关于进一步加强公路桥梁隧道安全管理的通知"),
    # abbreviations and synonyms (catalog.yml search.synonyms)
    ("车购税", "2025年度交通运输专项资金绩效自评情况"),
    ("网约车", "江澜市网络预约出租汽车经营服务管理实施细则"),
    ("公共交通补贴", "2025年城市公共交通运营补贴资金分配结果公示"),
]

# Typos: nothing found, and the closest term in the index is offered.
SUGGEST = [("养户", "养护"), ("三工经费", "三公经费"), ("公交先路", "公交线路")]


def _search(page, query: str) -> tuple[str, list[str]]:
    page.locator("#gk-q").fill(query)
    page.locator("#gk-q").press("Enter")
    page.wait_for_function("q => { const s = document.getElementById('gk-status').textContent; return s.includes('“' + q + '”'); }", arg=query)
    return page.locator("#gk-status").inner_text(), page.locator("#gk-results .gk-result__title a").all_inner_texts()


@pytest.fixture(scope="module")
def search_page(browser, sample_site):
    import functools
    import http.server
    import threading

    handler = functools.partial(type("Quiet", (http.server.SimpleHTTPRequestHandler,), {"log_message": lambda *a: None}), directory=str(sample_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/")
    page.wait_for_function("() => /找到|没有找到/.test(document.getElementById('gk-status').textContent)")
    yield page
    page.close()
    server.shutdown()
    assert errors == []


def test_citizen_queries_find_their_item_in_the_top_five(search_page):
    assert len(TOP5) >= 40
    missed = []
    for query, expected in TOP5:
        _, titles = _search(search_page, query)
        if expected not in titles[:5]:
            missed.append((query, expected, titles[:5]))
    assert missed == []


def test_typos_are_answered_with_the_closest_terms(search_page):
    for typo, term in SUGGEST:
        status, titles = _search(search_page, typo)
        assert titles == [] and "没有找到" in status
        offered = search_page.locator("#gk-suggest a.gk-suggest__term").all_inner_texts()
        assert term in offered, (typo, offered)
        assert search_page.locator("#gk-suggest").get_by_role("link", name="政策解读").count() == 1  # columns to browse


def test_english_word_absent_from_the_site_finds_nothing(search_page):
    assert _search(search_page, "bus")[1] == []


def test_doc_no_finds_only_its_document(search_page):
    assert _search(search_page, "澜交发〔2026〕12号")[1] == ["江澜市农村公路养护工程管理办法"]


def test_equal_relevance_puts_current_documents_before_repealed_ones(search_page):
    _, titles = _search(search_page, "农村公路养护管理办法")
    current, repealed = "江澜市农村公路养护管理办法（2026年修订）", "江澜市农村公路养护管理暂行办法"
    assert titles.index(current) < titles.index("江澜市农村公路养护管理办法") < titles.index(repealed)


def test_interpretation_follows_its_policy(search_page):
    _, titles = _search(search_page, "养护工程管理办法")
    policy = titles.index("江澜市农村公路养护工程管理办法")
    assert titles[policy + 1] == "《江澜市农村公路养护工程管理办法》政策解读"


def test_snippets_are_the_documents_own_text(search_page):
    _search(search_page, "养护")
    snippets = search_page.locator("#gk-results .gk-result__excerpt").all_inner_texts()
    assert snippets and all(s.strip() for s in snippets)
    assert not any(". " in s or "内容概述" in s or "本文件已废止" in s or "\u2063" in s for s in snippets), snippets
    assert any("养护" in s for s in snippets)


def test_results_arriving_do_not_shift_the_layout(browser, search_page):
    """Cumulative layout shift below 0.1 while the first results come in (space is reserved)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.add_init_script("""window.__cls = 0; new PerformanceObserver(l => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; })
        .observe({type: 'layout-shift', buffered: true});""")
    try:
        page.goto(search_page.url.split("search/")[0] + "search/?q=养护")
        page.wait_for_function("() => document.querySelectorAll('#gk-results .gk-result').length > 0")
        page.wait_for_timeout(500)
        assert page.evaluate("window.__cls") < 0.1
    finally:
        page.close()


def test_no_results_offers_no_filters_that_would_find_something(search_page):
    """With nothing found, the filter panel must not list values with counts (they were the first
    word's counts, so a reader ticking 工作动态（4） still found nothing)."""
    search_page.locator("#gk-facets summary").click()  # the filter data loads when the panel opens
    # opening the panel re-runs the current search once the filter data is in: let that finish first
    search_page.wait_for_function("() => document.querySelectorAll('#gk-facets-body label').length > 0"
                                  " && !document.getElementById('gk-status').textContent.includes('正在搜索')")
    try:
        status, titles = _search(search_page, "公交车线路调正")
        assert titles == [] and "没有找到" in status
        labels = search_page.locator("#gk-facets-body label").all_inner_texts()
        assert [t for t in labels if not t.endswith("（0）")] == []
        _search(search_page, "公交")  # the same panel with results: counts again
        assert any(not t.endswith("（0）") for t in search_page.locator("#gk-facets-body label").all_inner_texts())
    finally:
        search_page.locator("#gk-facets summary").click()
