"""Long lists, kept fast: every column or topic list is split by year and into
pages of a fixed size (catalog.yml public_site.list_page_size), each a generated page.

    column/gzdt/                   all years, newest first, page 1
    column/gzdt/page/2/            all years, page 2
    column/gzdt/year/2026/         one year, page 1
    column/gzdt/year/2026/page/2/  one year, page 2
(column/<code>/<year>/ is left free: the annual reports live there.)
"""
from __future__ import annotations

import posixpath
from collections import Counter
from typing import Callable

DEFAULT_PAGE_SIZE = 50


def settings(catalog) -> dict:
    """catalog.yml's public_site section (list and feed sizes, the home page's notices column)."""
    value = catalog.raw.get("public_site")
    return value if isinstance(value, dict) else {}


def page_size(catalog) -> int:
    value = settings(catalog).get("list_page_size", DEFAULT_PAGE_SIZE)
    return value if isinstance(value, int) and value > 0 else DEFAULT_PAGE_SIZE


def _rel(target: str, here: str) -> str:
    rel = posixpath.relpath(target, here)
    return "./" if rel == "." else rel + "/"


def page_dir(base: str, year: str | None, number: int) -> str:
    d = f"{base}/year/{year}" if year else base
    return d if number == 1 else f"{d}/page/{number}"


def year_nav(base: str, here: str, counts: Counter, total: int, current: str | None) -> str:
    if len(counts) < 2 and current is None:
        return ""
    links = []
    for label, year, n in [("全部年份", None, total), *[(f"{y}年", y, counts[y]) for y in sorted(counts, reverse=True)]]:
        target = page_dir(base, year, 1)
        if year == current:
            links.append(f'<li><a href="{_rel(target, here)}" aria-current="page">{label}（{n}）</a></li>')
        else:
            links.append(f'<li><a href="{_rel(target, here)}">{label}（{n}）</a></li>')
    return '<nav class="gk-years" aria-label="按年份筛选"><ul>' + "".join(links) + "</ul></nav>\n"


def page_window(number: int, pages: int, around: int = 2) -> list[int]:
    """Page numbers to link: the first, the last, and a few either side of the current one."""
    return sorted({1, pages, *range(max(1, number - around), min(pages, number + around) + 1)})


def pager(base: str, year: str | None, here: str, number: int, pages: int) -> str:
    if pages < 2:
        return ""
    items = []
    if number > 1:
        items.append(f'<li><a href="{_rel(page_dir(base, year, number - 1), here)}" rel="prev">上一页</a></li>')
    previous = 0
    for n in page_window(number, pages):
        if n > previous + 1:
            items.append('<li class="gk-pager__gap" aria-hidden="true">…</li>')
        target = _rel(page_dir(base, year, n), here)
        current = ' aria-current="page"' if n == number else ""
        items.append(f'<li><a href="{target}"{current} aria-label="第 {n} 页">{n}</a></li>')
        previous = n
    if number < pages:
        items.append(f'<li><a href="{_rel(page_dir(base, year, number + 1), here)}" rel="next">下一页</a></li>')
    return f'<nav class="gk-pager" aria-label="分页（共 {pages} 页）"><ul>' + "".join(items) + "</ul></nav>\n"


def listing(base: str, items: list, year_of: Callable, size: int):
    """Yield (dir, year, number, pages, items_on_page, year_nav, pager) for every list page under base."""
    counts = Counter(year_of(i) for i in items)
    for year in [None, *sorted(counts, reverse=True)]:
        chosen = [i for i in items if year is None or year_of(i) == year]
        pages = max(1, -(-len(chosen) // size))
        for number in range(1, pages + 1):
            here = page_dir(base, year, number)
            chunk = chosen[(number - 1) * size : number * size]
            nav = year_nav(base, here, counts, len(items), year)
            yield here, year, number, pages, chunk, nav, pager(base, year, here, number, pages)
