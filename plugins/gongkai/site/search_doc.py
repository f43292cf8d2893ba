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

Punctuation and line breaks are left out of the words and kept, with their places, in the
page's metadata (IndexText); the search page rebuilds the original text for snippets from
the stored words (a pair stands for its first character) and those gaps.
"""
from __future__ import annotations

import html
import itertools
import re
import unicodedata
from operator import add

from gongkai.site.templates import render

FORCE_LANGUAGE = "und"  # "undetermined": no word segmentation and no stemming in Pagefind; the search page asks for the same index
TEMPLATE = "gk/search_doc.html"
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
GAP = "\u2063"  # stands for whitespace inside a word (Pagefind splits words at whitespace)
HEADING_WORDS = 128  # gongkai.js HEADING_WORDS
# Whitespace, and the characters Pagefind keeps inside words (its include_characters), become GAP.
_BREAK = re.compile("[\\s_\u203f\u2040\u2054\ufe33\ufe34\ufe4d-\ufe4f\uff3f]+")
# A run of Han characters (punctuation between them does not end it), or a letter run, or digits.
_PIECE = re.compile(f"[{HAN}](?:\\W*[{HAN}])*|(?:(?![{HAN}])[^\\W\\d_])+|\\d+")
_NOT_HAN = re.compile(f"[^{HAN}]+")
_GAPS = re.compile(r"([\W_]+)")  # split() keeps the gaps: text, gap, text, ..., text
_BLOCK_TAG = re.compile(r"</?(?:p|div|li|ul|ol|dl|dt|dd|tr|td|th|table|caption|h[1-6]|br|hr|blockquote|pre|section|article|figure)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_BRAILLE = itertools.repeat(0x2800)
_FULL_WIDTH = re.compile("[\u3000\uff01-\uff5e]+")  # ideographic space, full-width ASCII
_NARROW = {0x3000: 0x20, **{code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}}  # their NFKC forms


def index_words(text: str) -> list[str]:
    """The text's index words: letters and digits only, every one of them in some word."""
    return _words(_BREAK.sub(GAP, nfkc(text)))


def nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), four times faster on Chinese text.

    Its full-width punctuation (，：（）) fails NFKC's quick check, which then normalizes the whole
    text; those characters' compatibility decompositions are single ASCII characters, so
    putting them in first gives the same result and usually passes the quick check.
    """
    return unicodedata.normalize("NFKC", _FULL_WIDTH.sub(_narrow, text))


def _narrow(match: re.Match) -> str:
    return match.group().translate(_NARROW)


def _words(text: str) -> list[str]:
    """index_words of a text already normalized and with its whitespace made GAP."""
    words: list[str] = []
    for piece in _PIECE.findall(text):
        first = piece[0]
        if first > "\u3000" and ("\u3400" <= first <= "\u4dbf" or "\u4e00" <= first <= "\u9fff" or "\uf900" <= first <= "\ufaff"):  # HAN
            chars = _NOT_HAN.sub("", piece)
            words.extend(map(add, chars, chars[1:]))  # each character with the next
            words.append(chars[-1])
        else:
            words.append(piece)
    return words


class IndexText:
    """A page's texts as one run of index words, and where the left-out characters go.

    Punctuation and whitespace are not in the words (words with them cost Pagefind a third
    more time and memory); gaps() gives them with their places in the text the words stand
    for, the places packed as Braille-block characters (no letters or digits, so Pagefind
    indexes nothing of them), for the page's "gaps" metadata. The search page rebuilds
    snippets from both.
    """

    def __init__(self):
        self.words: list[str] = []
        self._gaps: list[str] = []

    def add(self, text: str) -> None:
        text = _BREAK.sub(GAP, nfkc(text.strip()))
        if not text:
            return
        parts = _GAPS.split(text)
        kept, marks = parts[0::2], parts[1::2]
        marks.append(GAP)  # texts stay apart in snippets
        # Each mark comes after the kept text before it: its step from the last mark (the previous
        # text's closing GAP, or the start) is that text's length.
        steps = list(map(len, kept))
        if max(steps) < 255:
            self._gaps.extend(map(add, map(chr, map(add, steps, _BRAILLE)), marks))
        else:
            for step, mark in zip(steps, marks):
                self._gaps.append(_packed(step) + mark)
        self.words.extend(_words(text))

    def gaps(self) -> str:
        return "".join(self._gaps)


def _packed(step: int) -> str:
    """A place step as Braille-block characters: 0x2800 + step, in parts of 255 for long ones."""
    return chr(0x2800 + 255) * (step // 255) + chr(0x2800 + step % 255)


def html_text(fragment: str) -> str:
    """The text of an HTML fragment: blocks and table cells apart, inline markup gone."""
    return html.unescape(_TAG.sub("", _BLOCK_TAG.sub("\n", fragment)))


def generated_index(title: str, column: str, date: str) -> dict:
    """Search data of a generated page (依申请公开指南, 目录, 年度报告): its whole rendered text."""
    return {"title": title, "period": date[:7], "heading": [title], "rendered": True, "filters": [("栏目", column), ("年份", date[:4])],
            "sort": [("date", date), ("rank", f"9{date}")], "meta": [("date", date)]}


def search_document(index: dict, body_html: str) -> str:
    """The page Pagefind reads for one searchable page: title and 文号 in the first HEADING_WORDS
    word positions, then the text (body first: snippets come from it, then 索引号, 概述, attachments).

    index is the page's search data (item_page.search_data, generated_index): title, heading
    texts, other texts, filters, sort keys and result metadata.
    """
    text = IndexText()
    for part in index["heading"]:
        text.add(part)
    text.words.extend([GAP] * max(0, HEADING_WORDS - len(text.words)))  # words of no letters: positions only
    for part in [html_text(body_html), *index.get("texts", [])]:
        text.add(part)
    return render(
        TEMPLATE,
        language=FORCE_LANGUAGE,
        title=index["title"],
        text=" ".join(text.words),
        filters=index.get("filters", []),
        sort=index.get("sort", []),
        meta=[*index.get("meta", []), ("gaps", text.gaps())],
    )
