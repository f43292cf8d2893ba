"""The search index's own word split (site/search_doc.py) and the search page's data (site/search_terms.py)."""
from __future__ import annotations

import html
import re
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from gongkai.site.search_doc import GAP, HAN, HEADING_WORDS, index_words, nfkc, search_document

TEXT = "《江澜市农村公路养护管理办法》（澜交发〔2026〕12号）\n\n第一条  为了规范G320国道和“三公”经费，Pagefind is here_1。"


def rebuilt(doc: str) -> str:
    """What the search page's pageText does: the words (a pair stands for its first character)
    with the punctuation and breaks of the "gaps" metadata put back in their places."""
    words = doc.split("<p>")[1].split("</p>")[0].split(" ")
    gaps = html.unescape(doc.split('data-pagefind-meta="gaps">')[1].split("</span>")[0])
    src = "".join("" if w == GAP else (w[0] if len(re.findall(f"[{HAN}]", w)) == 2 else w) for w in words)
    out, pos = [], 0
    for steps, mark in re.findall("([\u2800-\u28ff]+)([^\u2800-\u28ff]*)", gaps):
        step = sum(ord(c) - 0x2800 for c in steps)
        out += [src[pos:pos + step], mark]
        pos += step
    return "".join(out) + src[pos:]


def doc_of(body: str, title: str = "江澜市农村公路养护管理办法") -> str:
    return search_document({"title": title, "heading": [title, "澜交规〔2025〕2号"], "texts": ["11999900MB1234567Q/2025-00601"]}, body)


def test_the_text_is_rebuilt_from_words_and_gaps():
    doc = doc_of(f"<p>{TEXT}</p><p>第二条 另起一段。</p>")
    expected = re.sub(r"[\s_]+", GAP, unicodedata.normalize("NFKC", TEXT)).strip(GAP)
    assert rebuilt(doc) == f"江澜市农村公路养护管理办法{GAP}澜交规〔2025〕2号{GAP}{expected}{GAP}第二条{GAP}另起一段。{GAP}11999900MB1234567Q/2025-00601{GAP}"
    words = doc.split("<p>")[1].split("</p>")[0].split(" ")
    assert all(re.fullmatch(r"\w+", w) or w == GAP for w in words)  # no punctuation in any word: no compound-word work for Pagefind


def test_long_stretches_between_punctuation_are_placed_right():
    long_run = "江澜市农村公路" * 80  # 560 characters with no gap: places past 255 take two Braille characters
    text = f"{long_run}。{'路' * 255}，{long_run[:254]}；末"
    doc = doc_of(f"<p>{text}</p>")
    assert rebuilt(doc) == f"江澜市农村公路养护管理办法{GAP}澜交规〔2025〕2号{GAP}{unicodedata.normalize('NFKC', text)}{GAP}11999900MB1234567Q/2025-00601{GAP}"


# Full-width forms, ideographic space, characters NFKC composes or expands, combining marks, Han.
_MIXED = st.text(st.sampled_from(list("，：（）！＿Ａｚ０９\u3000 \u00a0a_1①ﬁ㎡…\u0301\u0308\u3099かﾞカ江澜市\uf900\u2163\uff5e\uff01\uff61\uffe5")), max_size=40)


@settings(max_examples=300, deadline=None)
@given(_MIXED)
def test_fast_nfkc_is_unicode_nfkc(text):
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_pairs_overlap_and_runs_end_alone():
    assert index_words("江澜市 G320国道") == ["江澜", "澜市", "市", "G", "320", "国道", "道"]


def test_punctuation_does_not_end_a_han_run():
    # “三公”经费 contains 三公经费: the pair 公经 spans the quote mark
    assert index_words("“三公”经费") == ["三公", "公经", "经费", "费"]


@pytest.mark.parametrize("substring", ["农村公路", "公路养护管理", "澜交发", "2026", "三公经费", "G320国道", "养"])
def test_a_substring_is_a_run_of_consecutive_words(substring):
    words = [re.sub(r"\W", "", w).lower() for w in index_words(TEXT)]
    pairs = [re.sub(r"\W", "", w).lower() for w in index_words(substring)]
    if len(pairs) > 1 and len(pairs[-1]) == 1:
        pairs = pairs[:-1]  # the query leaves a run's lone last character out (gongkai.js pairWords)
    n = len(pairs)
    if n == 1 and len(pairs[0]) == 1:  # one character: some word starts with it
        assert any(w.startswith(pairs[0]) for w in words)
    else:
        assert any(words[i:i + n] == pairs for i in range(len(words) - n + 1)), (substring, pairs)


def test_search_document_has_heading_zone_text_filters_and_meta():
    index = {"title": "江澜市农村公路养护管理办法", "heading": ["江澜市农村公路养护管理办法", "澜交规〔2025〕2号"],
             "texts": ["11999900MB1234567Q/2025-00601"], "filters": [("有效性", "有效")], "sort": [("rank", "32025-03-01")],
             "meta": [("date", "2025-03-01")]}
    doc = search_document(index, "<p>第一条 为了<b>规范</b>农村公路。</p>")
    assert '<html lang="und">' in doc and "data-pagefind-body" in doc
    assert '<span data-pagefind-filter="有效性">有效</span>' in doc and '<span data-pagefind-sort="rank">32025-03-01</span>' in doc
    assert "江澜 澜市 市农" in doc and "了规 规范 范农" in doc  # inline tags gone, the run goes on
    assert doc.index("澜交 交规") < doc.index("规范") < doc.index("11999900")  # title and 文号, body, then 索引号
    words = doc.split("<p>")[1].split("</p>")[0].split(" ")
    assert words[HEADING_WORDS - 1] == GAP and words[HEADING_WORDS] == "第一"  # the body starts at a known word position
    assert "<b>" not in doc.split("data-pagefind-body")[1]


def test_synonyms_come_from_the_catalog_and_bad_ones_are_named(tmp_path):
    from gongkai.core.catalog import load_catalog
    from gongkai.core.problems import ProjectError
    from gongkai.site.search_terms import suggestion_terms, synonyms

    from conftest import REPO

    catalog = load_catalog(REPO / "catalog.yml")
    groups = synonyms(catalog)
    assert ["公交", "公共交通"] in groups and ["车购税", "车辆购置税"] in groups
    terms = suggestion_terms(catalog, ["江澜市交通运输局2025年度“三公”经费决算情况说明", "2024年度“三公”经费预算", "农村公路养护", "公路养护检查"], groups)
    assert "三公经费" in terms and "公路养护" in terms and "工作动态" in terms
    catalog.raw["search"] = {"synonyms": [["公交"]]}
    with pytest.raises(ProjectError, match="search.synonyms"):
        synonyms(catalog)
