"""Search indexing: run the extended Pagefind binary over a built site.

Only the extended binary segments Chinese; without it search for 养护 or
三公经费 silently finds nothing, so its absence is an error, not a fallback.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

BUNDLE_DIR = "pagefind"


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
