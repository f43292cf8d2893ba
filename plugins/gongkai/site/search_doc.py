"""What Pagefind indexes of a searchable page: its text spelled as overlapping character pairs.

Pagefind segments Chinese with jieba when it builds the index but with the browser's
Intl.Segmenter when it reads a query; the two disagree (Pagefind#1237), so plain queries miss.
Here the index words are chosen by us instead: every Han character with the next one
(江澜市 → 江澜 澜市 市), the last character of a run alone, and Latin-letter and digit runs
whole. Any substring of the text is then a run of consecutive index words, which the search
page (assets/gongkai/gongkai.js, pairWords — keep the two in step) asks for as an exact
phrase. Pagefind reads these pages under a language it does not segment (FORCE_LANGUAGE), so
it only splits them at spaces: no jieba, and one indexed copy of the text instead of two.

The title and 文号 come first and fill the first HEADING_WORDS word positions (padded with
words that index nothing), so the search page knows a match is in the title when Pagefind
reports its position below HEADING_WORDS, with no second copy of the title in the index.

Punctuation and line breaks stay attached to the word before them (Pagefind drops them from
the word but keeps them in the stored text), so the search page rebuilds the original text
for snippets from the stored words: a pair stands for its first character.
"""
from __future__ import annotations

import html
import re
import unicodedata

from gongkai.site.templates import render

FORCE_LANGUAGE = "en"  # no word segmentation in Pagefind; the search page asks for the same index
TEMPLATE = "gk/search_doc.html"
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
GAP = "\u2063"  # stands for whitespace inside a word (Pagefind splits words at whitespace)
HEADING_WORDS = 128  # gongkai.js HEADING_WORDS
# Whitespace, and the characters Pagefind keeps inside words (its include_characters), become GAP.
_BREAK = re.compile("[\\s_\u203f\u2040\u2054\ufe33\ufe34\ufe4d-\ufe4f\uff3f]+")
# A run of Han characters (punctuation between them does not end it), or a letter run, or digits.
_PIECE = re.compile(f"[{HAN}](?:\\W*[{HAN}])*|(?:(?![{HAN}])[^\\W\\d_])+|\\d+")
_HAN_CHAR = re.compile(f"([{HAN}])")
_BLOCK_TAG = re.compile(r"</?(?:p|div|li|ul|ol|dl|dt|dd|tr|td|th|table|caption|h[1-6]|br|hr|blockquote|pre|section|article|figure)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")


def index_words(text: str) -> list[str]:
    """The text as index words, every character of it kept in some word (see the module doc)."""
    text = _BREAK.sub(GAP, unicodedata.normalize("NFKC", text))
    words: list[str] = []
    lead = end = 0
    for m in _PIECE.finditer(text):
        gap = text[end:m.start()]
        if words:
            words[-1] += gap
        else:
            lead = len(gap)
        end = m.end()
        piece = m.group()
        if piece[0] > "\u3000" and _HAN_CHAR.match(piece):
            parts = _HAN_CHAR.split(piece)  # ['', c1, g1, c2, ..., cn, '']
            chars, gaps = parts[1::2], parts[2:-1:2]
            words.extend([a + g + b for a, g, b in zip(chars, gaps, chars[1:])])
            words.append(chars[-1])
        else:
            words.append(piece)
    if words:
        words[0] = text[:lead] + words[0]
        words[-1] += text[end:]
    return words


def index_text(*texts: str) -> str:
    """Several texts as one space-separated run of index words; a GAP ends each text."""
    out = []
    for text in texts:
        words = index_words(text.strip())
        if words:
            words[-1] += GAP
            out.append(" ".join(words))
    return " ".join(out)


def html_text(fragment: str) -> str:
    """The text of an HTML fragment: blocks and table cells apart, inline markup gone."""
    return html.unescape(_TAG.sub("", _BLOCK_TAG.sub("\n", fragment)))


def generated_index(title: str, column: str, date: str) -> dict:
    """Search data of a generated page (依申请公开指南, 目录, 年度报告): its whole rendered text."""
    return {"title": title, "heading": [title], "rendered": True, "filters": [("栏目", column), ("年份", date[:4])],
            "sort": [("date", date), ("rank", f"9{date}")], "meta": [("date", date)]}


def search_document(index: dict, body_html: str) -> str:
    """The page Pagefind reads for one searchable page: title and 文号 in the first HEADING_WORDS
    word positions, then the text.

    index is the page's search data (item_page.search_data, disclosure_pages): title,
    heading texts, other texts, filters, sort keys and result metadata.
    """
    heading = index_text(*index["heading"])
    return render(
        TEMPLATE,
        title=index["title"],
        heading=heading,
        padding=" ".join([GAP] * max(0, HEADING_WORDS - heading.count(" ") - 1)),
        text=index_text(html_text(body_html), *index.get("texts", [])),  # body before 索引号 and 概述: snippets come from it
        filters=index.get("filters", []),
        sort=index.get("sort", []),
        meta=index.get("meta", []),
    )
