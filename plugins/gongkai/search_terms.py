"""Search helpers: what Pagefind indexes beyond the visible page.

Pagefind's Chinese segmentation splits a 文号 such as 澜交发〔2026〕12号 into single
characters and numbers that nearly every page shares, so a query for it ranks
everything. Each item therefore carries one ASCII token for its 文号; the search
page turns a 文号-shaped query (any bracket style) into the same token
(docNoToken in assets/gongkai/gongkai.js — keep the two in step).
"""
from __future__ import annotations

import re
from html import escape

DOC_NO = re.compile(r"^\s*([^\d\s〔〕\[\]()（）【】]+?)\s*[〔\[(（【]?\s*(\d{4})\s*[〕\])）】]?\s*年?\s*(?:第)?\s*(\d+)\s*号?\s*$")


def doc_no_token(doc_no: str) -> str | None:
    m = DOC_NO.match(doc_no)
    if not m:
        return None
    return f"wh{m.group(1).encode('utf-8').hex()}y{m.group(2)}n{int(m.group(3))}"


def hidden_terms(doc_no: str, index_no: str) -> str:
    """Extra indexed text: the 文号 token and the 索引号 (the visible metadata table is not indexed,
    so excerpts show the document's text rather than its table)."""
    terms = [t for t in (doc_no_token(doc_no) if doc_no else None, index_no, index_no.rsplit("/", 1)[-1]) if t]
    return f'<div hidden class="gk-search-terms" aria-hidden="true">{escape(" ".join(terms))}</div>'
