"""The second rendering process: same site byte for byte, and any failure in it fails the build."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def build(site: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gongkai.cli.main", "-C", str(REPO), "build", "--site-dir", str(site)],
        capture_output=True, text=True, env={**os.environ, **env},
    )


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_split_build_equals_one_process(tmp_path):
    one = build(tmp_path / "one", GONGKAI_WORKERS="1")
    split = build(tmp_path / "split", GONGKAI_SPLIT_MIN_PAGES="1")
    assert one.returncode == 0 and split.returncode == 0, split.stderr
    a, b = files_of(tmp_path / "one"), files_of(tmp_path / "split")
    assert sum(1 for uri in a if uri.startswith("item/") and uri.endswith("index.html")) > 20
    # Pagefind writes its filter files in varying order; everything else is identical.
    assert {k: v for k, v in a.items() if not k.startswith("pagefind/")} == {k: v for k, v in b.items() if not k.startswith("pagefind/")}
    words = [line for line in (one.stderr, split.stderr) for line in line.splitlines() if "Pagefind 索引完成" in line]
    assert len(words) == 2 and words[0].split("：")[1].split()[0] == words[1].split("：")[1].split()[0]


def test_a_failure_in_the_second_process_fails_the_build(tmp_path):
    site = tmp_path / "site"
    assert build(site, GONGKAI_WORKERS="1").returncode == 0
    before = files_of(site)
    script = textwrap.dedent(f"""
        import os, sys
        from pathlib import Path
        from gongkai.adapters import split_render
        from gongkai.adapters.builder import BuildFailed, build_site

        real = split_render._build_page
        parent = os.getpid()

        def broken(page, *args, **kwargs):
            if os.getpid() != parent:
                raise RuntimeError("zqx broken template")
            return real(page, *args, **kwargs)

        split_render._build_page = broken
        try:
            build_site(Path({str(REPO)!r}), Path({str(site)!r}))
        except BuildFailed as exc:
            print("FAILED", exc)
            sys.exit(3)
        sys.exit(0)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env={**os.environ, "GONGKAI_SPLIT_MIN_PAGES": "1"})
    assert result.returncode == 3, result.stdout + result.stderr
    assert "zqx broken template" in result.stdout + result.stderr
    assert files_of(site) == before  # the good site is untouched
    assert not [p for p in site.parent.iterdir() if p.name.startswith((".site.building-", ".site.search-"))]


def test_the_searchable_generated_pages_go_to_the_second_process_first():
    """They belong to the newest search bundle: rendered by the child at once, that bundle can be
    indexed as soon as the child has written the newest items (the parent writes late)."""
    from gongkai.adapters.render_order import split_candidates
    from gongkai.adapters.split_render import child_share
    from gongkai.project import load_state
    from gongkai.site.pages import plan_site

    plan = plan_site(load_state(REPO))
    items, generated = split_candidates(plan.pages)
    searchable = [p.uri for p in plan.pages if p.data.get("index")]
    assert generated and set(generated) | set(items) == set(searchable) | set(items)
    assert not set(generated) & set(items)
    assert "column/ysqgk/zhinan/index.md" in generated and any(uri.startswith("column/nianbao/") for uri in generated)
    assert child_share(items)[0] == items[0]
