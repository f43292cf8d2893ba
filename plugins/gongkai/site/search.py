"""Search indexing: run the extended Pagefind binary over a built site.

Only the extended binary segments Chinese; without it search for 养护 or
三公经费 silently finds nothing, so its absence is an error, not a fallback.
"""
from __future__ import annotations

import re
import subprocess
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


def index_site(site_dir: Path) -> str:
    """Index site_dir in place (bundle under site_dir/pagefind); return Pagefind's summary."""
    cmd = [str(pagefind_executable()), "--site", str(site_dir), "--output-subdir", BUNDLE_DIR]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind 建立索引失败：\n{result.stdout}\n{result.stderr}")
    return result.stdout
