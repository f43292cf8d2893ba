"""What the search page knows besides the index: synonyms and abbreviations from catalog.yml
(search.synonyms, applied to the query in the browser), terms to suggest when nothing is found
(养户 → 养护), and the top columns to browse. The page carries them as JSON data."""
from __future__ import annotations

import re
from collections import Counter
from itertools import chain

from gongkai.core.problems import Problem, ProjectError
from gongkai.core.urls import column_dir

MAX_TERMS = 3000  # suggestions are picked by edit distance in the browser: keep the list small
_HAN_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def synonyms(catalog) -> list[list[str]]:
    """catalog.yml search.synonyms: groups of terms that mean the same (公交 ⇄ 公共交通)."""
    groups = ((catalog.raw.get("search") or {}).get("synonyms")) or []
    if not isinstance(groups, list) or not all(isinstance(g, list) and len(g) >= 2 and all(isinstance(t, str) and t.strip() for t in g) for g in groups):
        raise ProjectError([Problem(catalog.path.name, "search.synonyms", "格式不对",
                                    "写成词组的列表，每组至少两个同义词，如 - [公交, 公共交通]")])
    return [[t.strip() for t in g] for g in groups]


def suggestion_terms(catalog, titles: list[str], groups: list[list[str]]) -> list[str]:
    """Column and topic names, synonyms, and the 2–4 character pieces of titles that occur in
    at least two titles (punctuation ignored: “三公”经费 gives 三公经费), commonest first."""
    fixed = [c.name for c in catalog.all_columns()] + [t.name for t in catalog.topics] + [t for g in groups for t in g]
    pieces = _pieces if len(titles) <= CACHED_TITLES else _title_pieces
    seen = Counter(chain.from_iterable(pieces("".join(_HAN_RUN.findall(title))) for title in titles))
    common = sorted((kv for kv in seen.items() if kv[1] >= 2), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))
    return list(dict.fromkeys(fixed + [t for t, _ in common]))[:MAX_TERMS]


_PIECES: dict[str, frozenset] = {}  # a title's Han text -> its pieces: the preview asks again after every save
CACHED_TITLES = 20_000  # ~2.6 KB per title kept: beyond this many (a build, not a preview) the cache is not worth it


def _title_pieces(text: str) -> frozenset:
    """The 2–4 character pieces of text."""
    return frozenset(text[i:i + n] for n in (2, 3, 4) for i in range(len(text) - n + 1))


def _pieces(text: str) -> frozenset:
    """_title_pieces(text), kept for the next plan."""
    found = _PIECES.get(text)
    if found is None:
        if len(_PIECES) > CACHED_TITLES:
            _PIECES.clear()
        found = _PIECES[text] = _title_pieces(text)
    return found


def search_config(planner) -> dict:
    catalog = planner.catalog
    groups = synonyms(catalog)
    titles = [i.title for i in planner.items]
    columns = [{"name": c.name, "href": column_dir(c) + "/"} for c in catalog.columns if c.proactive]
    return {"synonyms": groups, "terms": suggestion_terms(catalog, titles, groups), "columns": columns}
