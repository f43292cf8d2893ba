"""Search indexing: run the extended Pagefind binary over a built site.

Only the extended binary segments Chinese; without it search for 养护 or
三公经费 silently finds nothing, so its absence is an error, not a fallback.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

BUNDLE_DIR = "pagefind"


# Han characters one by one, Latin letters and digits in runs; all else separates.
# assets/gongkai/gongkai.js tokenises queries with the same rule (searchTerm).
_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[A-Za-z0-9]+")
_MARKUP = re.compile(r"<[^>]*>|\]\([^)]*\)")


def character_tokens(*texts: str) -> str:
    """Text re-spelled one Han character per word, for an exact-phrase index.

    Pagefind segments the page with jieba at build time but the query with the
    browser's Intl.Segmenter, and the two disagree (养护 is one word in the index,
    two in Chromium's query), so plain queries miss. Indexing every character as a
    word, and searching the query's characters as an exact phrase, matches any
    substring: 三公, 养护工程, 澜交发〔2026〕12号, fragments of a 索引号.
    """
    return " ".join(t.lower() for text in texts for t in _TOKEN.findall(_MARKUP.sub(" ", text)))


class SearchIndexError(Exception):
    pass


def pagefind_executable() -> Path:
    try:
        from pagefind_bin_extended import get_executable  # type: ignore
    except ImportError:
        raise SearchIndexError("未安装 Pagefind 扩展版（pagefind[extended]），中文检索无法分词；请运行 pip install -e . 重新安装") from None
    return Path(get_executable())


def index_site(site_dir: Path, pages: "SearchPages | None" = None) -> str:
    """Write the search bundle under site_dir/pagefind; return Pagefind's summary.

    With pages (the parts of the item pages Pagefind reads, kept while they were
    rendered) Pagefind parses those; with none, every page of site_dir, where it
    then indexes each page's <body>, as it does on a site without data-pagefind-body.
    """
    source = pages.folder if pages is not None and pages.count else site_dir
    cmd = [str(pagefind_executable()), "--site", str(source), "--output-path", str(site_dir / BUNDLE_DIR)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind 建立索引失败：\n{result.stdout}\n{result.stderr}")
    return result.stdout


_OPEN_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9]*)")


def indexed_part(html: str) -> str:
    """The page as Pagefind reads it when it has a data-pagefind-body element: the document
    up to <body> and that element, without the navigation around it.

    Pagefind then parses a fifth of the bytes and writes the same fragments and word
    index. The whole page is kept when any data-pagefind attribute would be cut off.
    """
    marker = html.find("data-pagefind-body")
    body = html.find("<body")
    start = html.rfind("<", 0, marker)
    tag = _OPEN_TAG.match(html, start) if start > body >= 0 else None
    end = html.rfind(f"</{tag.group(1)}>") if tag else -1
    if end < start or "data-pagefind" in html[body:start] or "data-pagefind" in html[end:]:
        return html
    return f"{html[:body]}<body>{html[start:end]}</{tag.group(1)}></body></html>"


class SearchPages:
    """What Pagefind reads of each item page, kept in a folder beside the site as pages are written.

    Pagefind then parses about a fifth of the bytes (no navigation, header or footer), on
    both cores, into the same fragments and word index as over the site itself. The folder
    is never part of the site; remove() deletes it, whether the build succeeded or not.
    """

    def __init__(self, site_dir: Path):
        self.folder = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.search-", dir=site_dir.parent))
        self.count = 0

    def add(self, path: str, html: str) -> None:
        """Keep one page; path is its file relative to the site (item/x/index.html → /item/x/)."""
        target = self.folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(indexed_part(html), encoding="utf-8")
        self.count += 1

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
