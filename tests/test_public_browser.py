"""The public site in a real browser (Debian chromium via Playwright), as a citizen uses it."""
from __future__ import annotations

import re

import pytest
from public_helpers import PREFIX, page, public_site, run_axe, screenshot, site_url  # noqa: F401

ITEM = f"{PREFIX}/2026-00700"
WIDTHS = {"desktop": 1280, "phone": 390}


def test_navigate_by_column_to_item_and_download_attachment(page, site_url, tmp_path):
    page.goto(site_url)
    page.locator(".gk-cards a", has_text="法定主动公开内容").click()
    page.get_by_role("link", name="公路建设养护政策").first.click()
    assert page.locator("h1").inner_text() == "公路建设养护政策"
    page.get_by_role("link", name="江澜市农村公路养护工程管理办法").click()
    assert page.locator("h1").inner_text() == "江澜市农村公路养护工程管理办法"
    meta = page.locator("table.gk-meta")
    assert ITEM in meta.inner_text() and "澜交发〔2026〕12号" in meta.inner_text()
    assert "（PDF，" in page.locator(".gk-attachments").inner_text()
    with page.expect_download() as info:
        page.get_by_role("link", name="附件1：农村公路养护工程验收清单").click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")


def test_navigate_by_topic_with_year_filter(page, site_url):
    page.goto(site_url)
    page.locator(".gk-topics").get_by_role("link", name="公路建设与养护").click()
    assert page.locator("h1").inner_text() == "主题：公路建设与养护"
    titles = page.locator("table.gk-list tbody a").all_inner_texts()
    assert "江澜市农村公路日常养护考核暂行规定" in titles and "市交通运输局开展冬季公路养护安全检查" in titles
    page.locator(".gk-years").get_by_role("link", name=re.compile("^2025年")).click()
    assert page.locator("h1").inner_text() == "主题：公路建设与养护 · 2025年"
    assert page.locator("table.gk-list tbody a").all_inner_texts() == ["江澜市农村公路日常养护考核暂行规定"]


def test_policy_and_interpretation_link_each_other(page, site_url):
    page.goto(site_url + "item/2026-00700/")
    page.locator(".gk-relations").get_by_role("link", name=re.compile("政策解读")).click()
    assert "政策解读" in page.locator("h1").inner_text()
    page.locator(".gk-relations").get_by_role("link", name="江澜市农村公路养护工程管理办法").click()
    assert page.locator("h1").inner_text() == "江澜市农村公路养护工程管理办法"


def test_repealed_item_banner_links_to_replacement(page, site_url):
    page.goto(site_url + "item/2025-00700/")
    banner = page.locator(".gk-banner")
    assert "本文件已废止" in banner.inner_text()
    banner.get_by_role("link").click()
    assert page.locator("h1").inner_text() == "江澜市农村公路养护工程管理办法"


def _results(page) -> list[str]:
    page.wait_for_function("() => { const s = document.getElementById('gk-status'); return s && /找到|没有找到/.test(s.textContent); }")
    return page.locator("#gk-results .gk-result__title a").all_inner_texts()


def test_header_search_chinese_query_then_facet(page, site_url):
    page.goto(site_url + "column/gzdt/")
    page.locator("#gk-header-q").fill("养护")
    page.locator("#gk-header-q").press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    titles = _results(page)
    assert "江澜市农村公路养护工程管理办法" in titles and "市交通运输局开展冬季公路养护安全检查" in titles
    first = page.locator("#gk-results .gk-result").first
    assert re.search(r"发布日期：\d{4}-\d\d-\d\d", first.inner_text()) and "索引号：" + PREFIX in first.inner_text()
    page.locator("#gk-facets summary").click()  # the filter data loads when the panel opens
    page.locator("#gk-facets fieldset", has_text="栏目").get_by_label(re.compile("^工作动态")).check()
    page.wait_for_function("() => document.querySelectorAll('#gk-results .gk-result').length === 1")
    # the panel is rebuilt with the new counts; keyboard focus stays on the same box
    assert page.evaluate("document.activeElement.dataset.key") == "栏目=工作动态"
    assert _results(page) == ["市交通运输局开展冬季公路养护安全检查"]
    assert "%E6%A0%8F%E7%9B%AE=" in page.url  # the facet is in the URL: the result list can be shared


@pytest.mark.parametrize(
    "query, expected",
    [
        ("三公", "江澜市交通运输局2025年度“三公”经费决算情况说明"),
        ("江澜市农村公路养护工程管理办法", "江澜市农村公路养护工程管理办法"),
        ("澜交发〔2026〕12号", "江澜市农村公路养护工程管理办法"),
        ("澜交发[2026]12号", "江澜市农村公路养护工程管理办法"),
        ("澜交发2026年12号", "江澜市农村公路养护工程管理办法"),
        ("澜交通〔2026〕7号", "关于滨江大道夜间封闭施工的交通管制通告"),
        ("2026-00703", "关于滨江大道夜间封闭施工的交通管制通告"),
        (f"{PREFIX}/2026-00702", "江澜市交通运输局2025年度“三公”经费决算情况说明"),
    ],
)
def test_queries_citizens_type(page, site_url, query, expected):
    page.goto(site_url + "search/?q=" + query.replace("[", "%5B").replace("]", "%5D"))
    assert _results(page)[0] == expected


def test_fragment_finds_documents_among_top_results(page, site_url):
    page.goto(site_url + "search/?q=养护工程")
    assert "江澜市农村公路养护工程管理办法" in _results(page)[:2]


def test_relevance_puts_title_hits_first(page, site_url):
    """Exact-phrase hits all score alike; the page orders them so that titles containing the words lead."""
    query = "养护工程"
    page.goto(site_url + f"search/?q={query}")
    titles = _results(page)
    in_title = [query in t.replace("“", "").replace("”", "") for t in titles]
    assert any(in_title) and not all(in_title), titles  # the sample has both kinds
    assert in_title == sorted(in_title, reverse=True), titles


def test_doc_no_query_finds_only_that_document(page, site_url):
    page.goto(site_url + "search/")
    page.locator("#gk-q").fill("澜交发〔2026〕12号")
    page.locator("#gk-q").press("Enter")
    page.wait_for_function("() => /澜交发/.test(document.getElementById('gk-status').textContent)")
    assert _results(page) == ["江澜市农村公路养护工程管理办法"]


def test_sort_by_date(page, site_url):
    page.goto(site_url + "search/?q=养护")
    _results(page)
    page.locator("#gk-sort").select_option("date:asc")
    _results(page)
    assert "sort=date" in page.url
    dates = [re.search(r"发布日期：(\S+)", t).group(1) for t in page.locator("#gk-results .gk-result__meta").all_inner_texts()]
    assert dates == sorted(dates) and len(dates) >= 3


def test_item_published_in_error_is_not_found_by_search(page, site_url):
    page.goto(site_url + "search/?q=误发正文标记")
    assert "误发" not in " ".join(_results(page))


def test_keyboard_only_reaches_search_and_results(page, site_url):
    page.goto(site_url)
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "gk-header-q":
            break
    assert page.evaluate("document.activeElement.id") == "gk-header-q"
    page.keyboard.type("三公")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("/search/"))
    _results(page)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('#gk-results')"):
            break
    assert page.evaluate("document.activeElement.textContent") == "江澜市交通运输局2025年度“三公”经费决算情况说明"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("/item/2026-00702/"))


def test_larger_text_and_contrast_persist_across_pages(page, site_url):
    page.goto(site_url)
    before = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    large = page.get_by_role("button", name="大字")
    assert large.get_attribute("aria-pressed") == "false"
    large.click()
    assert large.get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="高对比").click()
    page.goto(site_url + "item/2026-00700/")
    assert "gk-large" in page.evaluate("document.documentElement.className")
    assert "gk-contrast" in page.evaluate("document.documentElement.className")
    assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") > before * 1.2
    assert page.get_by_role("button", name="大字").get_attribute("aria-pressed") == "true"
    assert run_axe(page) == []  # high contrast and large text stay accessible
    screenshot(page, "item-large-contrast-desktop")
    page.set_viewport_size({"width": 390, "height": 900})
    screenshot(page, "item-large-contrast-phone")
    page.get_by_role("button", name="大字").click()  # and off again
    assert "gk-large" not in page.evaluate("document.documentElement.className")
    page.reload()
    assert "gk-large" not in page.evaluate("document.documentElement.className")


def test_print_layout_keeps_document_and_drops_chrome(page, site_url):
    page.goto(site_url + "item/2026-00700/")
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible() and not page.locator(".md-sidebar--primary").is_visible()
    assert page.locator("table.gk-meta").is_visible() and page.locator(".gk-attachments").is_visible()
    after = page.evaluate("getComputedStyle(document.querySelector('.gk-attachments a'), '::after').content")
    assert "2026-00700-fujian1.pdf" in after  # the file name is printed next to the link


def test_published_in_error_notice_page(page, site_url):
    page.goto(site_url + "item/2026-00705/")
    assert page.locator("h1").inner_text() == "该信息已撤下"
    assert "发布错误" in page.locator(".gk-banner").inner_text()
    page.get_by_role("link", name="搜索本站信息").click()
    page.wait_for_url(re.compile("/search/$"))
    assert run_axe(page) == []


def test_not_found_page_offers_search(page, site_url):
    response = page.goto(site_url + "item/no-such-item/")
    assert response.status == 404
    screenshot(page, "404-desktop")
    assert run_axe(page) == []
    page.locator("#gk-404-q").fill("三公")
    page.locator("#gk-404-q").press("Enter")
    assert _results(page)[0] == "江澜市交通运输局2025年度“三公”经费决算情况说明"


def test_redirects_from_old_urls(page, site_url):
    page.goto(site_url + "item/port-route/")
    page.wait_for_url(re.compile("/item/jianglan-port-new-route/$"))
    assert page.locator("h1").inner_text() == "江澜港集装箱航线开通仪式举行"
    page.goto(site_url + "item/2026-00706/")  # consolidated into 2026-00700
    page.wait_for_url(re.compile("/item/2026-00700/$"))


PAGES = {"home": "", "column": "column/gljy/", "item": "item/2026-00700/", "search": "search/?q=养护", "item-wide-table": "item/2026-00702/"}


@pytest.mark.parametrize("name", PAGES)
def test_axe_and_screenshots(page, site_url, name):
    for width_name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(site_url + PAGES[name])
        if name == "search":
            _results(page)
        screenshot(page, f"{name}-{width_name}")
        assert run_axe(page) == [], f"{name} at {width}px"


def test_query_words_match_the_index_words_of_python(page, site_url):
    """gongkai.js pairWords spells a query as search_doc.index_words spells the text (keep the two in step)."""
    import re

    from gongkai.site.search_doc import index_words

    text = "《江澜市农村公路养护管理办法》（澜交发〔2026〕12号）G320国道“三公”经费 11999900MB1234567Q/2026-00012"
    words = [re.sub(r"[\W_]", "", w).lower() for w in index_words(text)]
    page.goto(site_url + "search/")
    queries = ["农村公路养护", "澜交发〔2026〕12", "g320国道", "三公经费", "1234567Q/2026-00012", "管理办法》（澜交"]
    spelled = page.evaluate("(qs) => qs.map(q => window.gongkai.pairWords(q))", queries)
    for query, pairs in zip(queries, spelled):
        assert any(words[i:i + len(pairs)] == pairs for i in range(len(words))), (query, pairs)


def test_column_list_leads_to_search_with_its_facet_chosen(page, site_url):
    page.goto(site_url + "column/gzdt/")
    page.get_by_role("link", name="在本栏目中检索，或按发布日期排序").click()
    titles = _results(page)
    assert titles[0] == "市交通运输局开展冬季公路养护安全检查"  # newest first
    assert "江澜市农村公路养护工程管理办法" not in titles
    assert page.locator("#gk-facets").get_by_label(re.compile("^工作动态")).is_checked()
    assert page.locator("#gk-sort").input_value() == "date:desc"
