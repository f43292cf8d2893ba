"""The search index's own word split (site/search_doc.py) and the search page's data (site/search_terms.py)."""
from __future__ import annotations

import re
import unicodedata

import pytest

from gongkai.site.search_doc import GAP, HAN, HEADING_WORDS, index_text, index_words, search_document

TEXT = "《江澜市农村公路养护管理办法》（澜交发〔2026〕12号）\n\n第一条  为了规范G320国道和“三公”经费，Pagefind is here_1。"


def rebuilt(words: list[str]) -> str:
    """What the search page's pageText does: a pair stands for what precedes its last Han character."""
    out = []
    for w in words:
        han = re.findall(f"[{HAN}]", w)
        out.append(w[: w.rindex(han[1])] if len(han) == 2 else w)
    return "".join(out)


def test_every_character_is_kept_and_whitespace_becomes_gap():
    words = index_words(TEXT)
    expected = re.sub(r"[\s_]+", GAP, unicodedata.normalize("NFKC", TEXT))
    assert rebuilt(words) == expected
    assert not any(re.search(r"\s", w) for w in words)  # Pagefind splits words only where we did


def test_pairs_overlap_and_runs_end_alone():
    words = index_words("江澜市 G320国道")
    assert [re.sub(r"\W", "", w) for w in words] == ["江澜", "澜市", "市", "G", "320", "国道", "道"]


def test_punctuation_does_not_end_a_han_run():
    # “三公”经费 contains 三公经费: the pair 公经 spans the quote mark
    assert [re.sub(r"\W", "", w) for w in index_words("“三公”经费")] == ["三公", "公经", "经费", "费"]


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
    assert '<html lang="en">' in doc and "data-pagefind-body" in doc
    assert '<span data-pagefind-filter="有效性">有效</span>' in doc and '<span data-pagefind-sort="rank">32025-03-01</span>' in doc
    assert index_text("江澜市农村公路养护管理办法") + " " in doc and "规范 范农" in doc  # tags gone, text kept
    assert doc.index("澜交 交规") < doc.index("规范") < doc.index("11999900")  # title and 文号, body, then 索引号
    words = doc.split("<p>")[1].split("</p>")[0].split(" ")
    assert len(words) == HEADING_WORDS and words[-1] == GAP  # the body starts at a known word position
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
