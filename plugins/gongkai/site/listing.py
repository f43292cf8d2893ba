"""Long lists, kept fast: every column or topic list is split by year and into
pages of a fixed size (catalog.yml public_site.list_page_size), each a generated page.

    column/gzdt/                   all years, newest first, page 1
    column/gzdt/page/2/            all years, page 2
    column/gzdt/year/2026/         one year, page 1
    column/gzdt/year/2026/page/2/  one year, page 2
(column/<code>/<year>/ is left free: the annual reports live there.)
"""
from __future__ import annotations

from collections import Counter
from typing import Callable

from gongkai.core.urls import link

DEFAULT_PAGE_SIZE = 50


def settings(catalog) -> dict:
    """catalog.yml's public_site section (list and feed sizes, the home page's notices column)."""
    value = catalog.raw.get("public_site")
    return value if isinstance(value, dict) else {}


def page_size(catalog) -> int:
    value = settings(catalog).get("list_page_size", DEFAULT_PAGE_SIZE)
    return value if isinstance(value, int) and value > 0 else DEFAULT_PAGE_SIZE


def page_dir(base: str, year: str | None, number: int) -> str:
    d = f"{base}/year/{year}" if year else base
    return d if number == 1 else f"{d}/page/{number}"


def year_nav(base: str, here: str, counts: Counter, total: int, current: str | None) -> list[dict]:
    """Links to the list of every year and of each year (templates/gk/partials/years.html)."""
    if len(counts) < 2 and current is None:
        return []
    years = [("全部年份", None, total), *[(f"{y}年", y, counts[y]) for y in sorted(counts, reverse=True)]]
    return [{"label": label, "count": n, "href": link(page_dir(base, year, 1), here), "current": year == current} for label, year, n in years]


def page_window(number: int, pages: int, around: int = 2) -> list[int]:
    """Page numbers to link: the first, the last, and a few either side of the current one."""
    return sorted({1, pages, *range(max(1, number - around), min(pages, number + around) + 1)})


def pager(base: str, year: str | None, here: str, number: int, pages: int) -> dict | None:
    """Previous, next and a window of page links (templates/gk/partials/pager.html); a gap is None."""
    if pages < 2:
        return None
    links: list[dict | None] = []
    previous = 0
    for n in page_window(number, pages):
        if n > previous + 1:
            links.append(None)
        links.append({"number": n, "href": link(page_dir(base, year, n), here), "current": n == number})
        previous = n
    return {
        "pages": pages,
        "prev": link(page_dir(base, year, number - 1), here) if number > 1 else None,
        "next": link(page_dir(base, year, number + 1), here) if number < pages else None,
        "links": links,
    }


def listing(base: str, items: list, year_of: Callable, size: int):
    """Yield (dir, year, number, pages, items_on_page, year links, pager) for every list page under base."""
    years_of = [year_of(i) for i in items]  # once per item, not once per item and year
    counts = Counter(years_of)
    for year in [None, *sorted(counts, reverse=True)]:
        chosen = list(items) if year is None else [i for i, y in zip(items, years_of) if y == year]
        pages = max(1, -(-len(chosen) // size))
        for number in range(1, pages + 1):
            here = page_dir(base, year, number)
            chunk = chosen[(number - 1) * size : number * size]
            nav = year_nav(base, here, counts, len(items), year)
            yield here, year, number, pages, chunk, nav, pager(base, year, here, number, pages)
