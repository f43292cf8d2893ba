"""Build a throwaway project with N signed items and time it: is the public site fast with thousands?

    .venv/bin/python scripts/bench_public_site.py 2000

Prints the time to load and sign, the build time, the largest list page and the search index size.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PREFIX = "11999900MB1234567Q"
COLUMNS = ["gzdt", "tzgg", "gljy", "zcjd"]
TODAY = date(2026, 11, 25)


def write_items(root: Path, n: int) -> None:
    for i in range(n):
        year = 2022 + i % 5
        column = COLUMNS[i % len(COLUMNS)]
        extra = f"doc_no: 澜交发〔{year}〕{i + 1}号\n" if column == "gljy" else ""
        if column == "zcjd":
            extra = f"interprets: {PREFIX}/2024-00003\n"
        path = root / "content" / column / f"{year}-{i + 1:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"---\nid: {PREFIX}/{year}-{i + 1:05d}\ntitle: 第{i + 1}号测试信息：农村公路养护与道路运输安全\ncatalog: {column}\n"
            f"topics: [道路运输]\n{extra}created: {year}-{i % 10 + 1:02d}-{i % 28 + 1:02d}\npublished: {year}-{i % 10 + 1:02d}-{i % 28 + 1:02d}\n"
            "disclosure: 主动公开\nvalidity: 有效\nsummary: 基准测试用的信息。\n---\n\n" + "本局开展农村公路养护检查，督促落实道路运输安全责任。\n" * 20,
            encoding="utf-8",
        )


def main(n: int) -> None:
    from gongkai.adapters.builder import build_site
    from gongkai.project import load_state
    from gongkai.review.signing.keys import load_signer
    from gongkai.review.signing.sign import sign_item

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("catalog.yml", "mkdocs.yml"):
            shutil.copy(REPO / name, root / name)
        shutil.copytree(REPO / "reviewers", root / "reviewers", ignore=shutil.ignore_patterns("sample-keys"))
        signer = load_signer(REPO / "reviewers" / "sample-keys" / "SAMPLE-ONLY-周立衡.ed25519")
        write_items(root, n)
        t = time.perf_counter()
        state = load_state(root, today=TODAY)
        for item in state.items:
            sign_item(item, state.catalog, signer, "周立衡", "同意公开", TODAY)
        print(f"{n} items written and signed in {time.perf_counter() - t:.1f} s")
        os.environ["GONGKAI_BUILD_DATE"] = TODAY.isoformat()
        t = time.perf_counter()
        site = build_site(root, root / "site")
        print(f"build (pages, feeds, export, search index): {time.perf_counter() - t:.1f} s")
        lists = [p for p in (site / "column").rglob("index.html")]
        biggest = max(lists, key=lambda p: p.stat().st_size)
        print(f"list pages: {len(lists)}; largest {biggest.relative_to(site)} {biggest.stat().st_size // 1024} KB")
        index = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
        print(f"search index: {index // 1024} KB; data/items.json: {(site / 'data/items.json').stat().st_size // 1024} KB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
