"""Hostile-input tests: throwaway projects and the `gongkai` command run in this process."""
from __future__ import annotations

import io
import json
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PREFIX = "11999900MB1234567Q"
SAMPLES = ["gzdt/2026-00010.md", "tzgg/2026-00012.md", "gzdt/2026-00708.md"]  # plain; two attachments; withdrawn


def sample_project(root: Path, samples: list[str] = SAMPLES) -> Path:
    """catalog.yml, mkdocs.yml, the reviewer roster and a few sample items (with their attachments),
    signed as in the repository."""
    from review_helpers import copy_roster

    root.mkdir(parents=True, exist_ok=True)
    for name in ("catalog.yml", "mkdocs.yml"):
        shutil.copy(REPO / name, root / name)
    copy_roster(root)
    for rel in samples:
        source = REPO / "content" / rel
        target = root / "content" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
        for extra in source.parent.glob(source.stem + "-*"):
            shutil.copy(extra, target.parent / extra.name)
    return root


def item_text(key: str, extra: str = "", body: str = "正文。\n", column: str = "gzdt") -> str:
    return (
        f"---\nid: {PREFIX}/{key}\ntitle: 测试条目{key}\ncatalog: {column}\ntopics: [政务公开]\n"
        f"created: 2026-11-01\npublished: 2026-11-02\ndisclosure: 主动公开\nvalidity: 有效\n"
        f"summary: 测试条目的概述。\n{extra}---\n\n{body}"
    )


def write(root: Path, rel: str, text: str | bytes) -> Path:
    path = root / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def run(root: Path, *args: str) -> tuple[int, str]:
    """`gongkai -C root ARGS…` in this process: (exit code, stdout + stderr). An exception fails the test."""
    from gongkai.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(["-C", str(root), *args])
        except SystemExit as exc:
            code = exc.code
    return code, out.getvalue() + err.getvalue()


def check_json(root: Path) -> dict:
    code, out = run(root, "check", "--json")
    report = json.loads(out)
    assert code == (0 if report["ok"] else 1)
    return report


def problems_of(root: Path, rel: str) -> list[dict]:
    return [p for p in check_json(root)["problems"] if p["path"] == f"content/{rel}"]
