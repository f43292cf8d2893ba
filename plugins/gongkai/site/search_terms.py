"""A search token for each item's 文号, so that any way of writing it finds the document.

The character-spelled copy (search.character_tokens) matches 澜交发〔2026〕12号 and
澜交发[2026]12号, but not 澜交发2026年12号, 澜交发〔2026〕第12号 or 澜交发〔2026〕012号.
Each item therefore also carries one ASCII token for its 文号; the search page turns a
文号-shaped query into the same token and tries it first (docNoToken in
assets/gongkai/gongkai.js — keep the two in step).
"""
from __future__ import annotations

import re

DOC_NO = re.compile(r"^\s*([^\d\s〔〕\[\]()（）【】]+?)\s*[〔\[(（【]?\s*(\d{4})\s*[〕\])）】]?\s*年?\s*(?:第)?\s*(\d+)\s*号?\s*$")


def doc_no_token(doc_no: str) -> str | None:
    m = DOC_NO.match(doc_no)
    if not m:
        return None
    return f"wh{m.group(1).encode('utf-8').hex()}y{m.group(2)}n{int(m.group(3))}"

