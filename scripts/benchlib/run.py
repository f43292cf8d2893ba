"""The benchmark run: every measurement for every size, then one table."""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from .generate import TODAY, generate

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SCRIPTS = REPO / "scripts"
ENV = {**os.environ, "GONGKAI_BUILD_DATE": TODAY.isoformat(), "PYTHONPATH": str(SCRIPTS)}
ENV.pop("GONGKAI_CACHE", None)

TARGETS = {  # issues 12 and 14, at 10,000 items on 2 cores; the build against the fair floor
    "check_s": ("< 3 s", lambda v: v < 3),
    "ratio_fair": ("≤ 1.0×", lambda v: v <= 1.0),  # wall time: issue 14 asks the build to use the second core;
    # the CPU ratio is shown beside it as a figure, not a target
    "search_first_kb": ("≤ 300 KB", lambda v: v <= 300),
    "search_second_kb": ("≤ 50 KB", lambda v: v <= 50),
    "peak_mb": ("≤ 1.5 GB", lambda v: v <= 1536),
    "pss_peak_mb": ("≤ 1.5 GB", lambda v: v <= 1536),
    "pagefind_rss_mb": ("≤ 1 GB", lambda v: v <= 1024),
    "preview_start_s": ("< 10 s", lambda v: v < 10),
    "preview_s": ("< 1.5 s", lambda v: v < 1.5),
}


CPU: dict[str, float] = {}  # command name -> user+sys seconds of the last run


def timed(cmd: list[str], cwd: Path | None = None, quiet: bool = True, codes: tuple[int, ...] = (0,)) -> tuple[float, int]:
    """Run cmd; return (wall seconds, peak RSS in KB of the process tree's largest member).
    Any exit code outside codes stops the bench: a failed floor would otherwise time as a fast one."""
    out = Path(tempfile.mktemp(prefix="gkbench-time-"))
    start = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "-o", str(out), *cmd], cwd=cwd, env=ENV,
                            stdout=subprocess.DEVNULL if quiet else None, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if result.returncode not in codes:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{result.stderr[-3000:]}")
    user, system, rss = out.read_text().strip().splitlines()[-1].split()
    CPU["last"] = float(user) + float(system)
    rss = int(rss)
    out.unlink()
    return wall, rss


def best_of(repeat: int, cmd: list[str], cwd: Path | None = None, before=None, codes: tuple[int, ...] = (0,)) -> tuple[float, int, float]:
    """The fastest of `repeat` runs (wall, its peak RSS KB, its CPU s): on a shared machine the
    minimum is the figure least disturbed by other processes."""
    runs = []
    for _ in range(repeat):
        if before:
            before()
        wall, rss = timed(cmd, cwd, codes=codes)
        runs.append((wall, rss, CPU["last"]))
    return min(runs)


def du(path: Path) -> tuple[int, int]:
    total = count = 0
    for p in path.rglob("*"):
        if p.is_file():
            total += p.stat().st_size
            count += 1
    return total, count


def measure_floor(r: dict, kind: str, floor: Path, root: Path, repeat: int) -> None:
    """Time one floor: r[kind_mkdocs_s], r[kind_pagefind_s], their sum kind_s, CPU, and the build's ratio to it."""
    from .floor import write_fair_floor, write_product_floor
    from gongkai.site.search import pagefind_executable

    config = {"fair": write_fair_floor, "product": write_product_floor}[kind](root, floor)
    r[f"{kind}_mkdocs_s"], _, mkdocs_cpu = best_of(
        repeat, [str(BIN / "mkdocs"), "build", "-q", "-f", str(config), "-d", str(floor / "site")])
    r[f"{kind}_pagefind_s"], rss, pagefind_cpu = best_of(
        repeat, [str(pagefind_executable()), "--site", str(floor / "site"), "--output-subdir", "pagefind"],
        before=lambda: shutil.rmtree(floor / "site" / "pagefind", ignore_errors=True))
    r[f"{kind}_s"] = r[f"{kind}_mkdocs_s"] + r[f"{kind}_pagefind_s"]
    r[f"{kind}_cpu_s"] = mkdocs_cpu + pagefind_cpu
    r[f"{kind}_pagefind_mb"] = rss / 1024
    r[f"ratio_{kind}"] = r["build_s"] / r[f"{kind}_s"]
    r[f"ratio_{kind}_cpu"] = r["build_cpu_s"] / r[f"{kind}_cpu_s"]


def bench_size(n: int, work: Path, browser: bool, preview: bool, log, repeat: int = 1, old_floor: bool = True,
               floor: bool = True) -> dict:
    root = work / f"bureau-{n}"
    r: dict = {"n": n}
    t = time.perf_counter()
    r["generated"] = generate(root, n)
    r["generate_s"] = time.perf_counter() - t
    log(f"[{n}] generated in {r['generate_s']:.1f} s: {r['generated']}")

    # gongkai check, cold: a fresh process and no cache directory.
    r["check_s"], r["check_rss_kb"], r["check_cpu_s"] = best_of(repeat, [str(BIN / "gongkai"), "-C", str(root), "check"], codes=(0, 1))  # 1: warnings only in the bench data
    log(f"[{n}] check {r['check_s']:.2f} s")

    # gongkai build with stage timers (benchlib.timed_build wraps the plugin's calls).
    site = work / f"site-{n}"
    stages = work / f"stages-{n}.json"
    runs = []
    for _ in range(repeat):
        wall, _ = timed([sys.executable, "-m", "benchlib.timed_build", str(root), str(site), str(stages)], cwd=SCRIPTS)
        runs.append((wall, CPU["last"], json.loads(stages.read_text())))
    r["build_s"], r["build_cpu_s"], r["stages"] = min(runs, key=lambda run: run[0])
    r["peak_mb"] = (r["stages"]["rss_self_kb"] + r["stages"]["rss_children_kb"]) / 1024  # Python and Pagefind overlap
    r["pss_peak_mb"] = r["stages"]["pss_peak_kb"] / 1024  # what the processes held at once (benchlib/pss_sampler.py)
    r["python_mb"] = r["stages"]["rss_self_kb"] / 1024
    r["pagefind_rss_mb"] = r["stages"]["rss_children_kb"] / 1024
    r["site_bytes"], r["site_files"] = du(site)
    bundles = [du(b) for b in site.glob("pagefind*") if b.is_dir()]  # pagefind/ and the month shards pagefind-2/, …
    r["pagefind_bytes"], r["pagefind_files"] = sum(b for b, _ in bundles), sum(f for _, f in bundles)
    r["pagefind_bundles"] = len(bundles)
    r["pagefind_word_bytes"] = sum(du(i)[0] for i in site.glob("pagefind*/index"))
    log(f"[{n}] build {r['build_s']:.1f} s {r['stages']}")

    # The floors, same run: bare MkDocs + Material (no plugin), then bare Pagefind (benchlib/floor.py).
    if floor:
        measure_floor(r, "fair", work / f"floor-fair-{n}", root, repeat)
        log(f"[{n}] fair floor {r['fair_mkdocs_s']:.1f} + {r['fair_pagefind_s']:.1f} s; ratio {r['ratio_fair']:.2f}")
    if floor and old_floor:
        measure_floor(r, "product", work / f"floor-product-{n}", root, repeat)

    if browser:
        from .search_bytes import measure

        gz = measure(site, use_gzip=True)
        raw = measure(site, use_gzip=False)
        r["search_first_kb"] = gz["first_bytes"] / 1024
        r["search_second_kb"] = gz["second_bytes"] / 1024
        r["search_first_raw_kb"] = raw["first_bytes"] / 1024
        r["search_second_raw_kb"] = raw["second_bytes"] / 1024
        r["search_detail"] = {k: gz[k] for k in ("first_requests", "second_requests", "first_hits_shown", "first_files", "second_files")}
        log(f"[{n}] search {r['search_first_kb']:.0f} KB then {r['search_second_kb']:.0f} KB")
    if preview:
        from .preview_bench import measure_preview

        r.update(measure_preview(root, log))
    return r


ROWS = [
    ("generate_s", "生成测试数据 (s)", "{:.1f}"),
    ("check_s", "gongkai check，冷启动 (s)", "{:.2f}"),
    ("check_cpu_s", "　其 CPU 时间 (s)", "{:.2f}"),
    ("build_s", "gongkai build 总计 (s)", "{:.1f}"),
    ("build_cpu_s", "　其 CPU 时间（含 Pagefind）(s)", "{:.1f}"),
    ("validate_s", "　校验与签署把关 (s)", "{:.2f}"),
    ("plan_s", "　页面规划 (s)", "{:.2f}"),
    ("render_s", "　MkDocs 渲染 (s)", "{:.1f}"),
    ("index_s", "　Pagefind 索引（只读条目页的正文部分）(s)", "{:.1f}"),
    ("fair_mkdocs_s", "公平基线：裸 MkDocs + Material，只有条目标题和正文 (s)", "{:.1f}"),
    ("fair_pagefind_s", "公平基线：裸 Pagefind (s)", "{:.1f}"),
    ("fair_s", "公平基线合计 (s)", "{:.1f}"),
    ("fair_cpu_s", "公平基线 CPU 时间 (s)", "{:.1f}"),
    ("ratio_fair", "构建时间 / 公平基线", "{:.2f}×"),
    ("ratio_fair_cpu", "构建 CPU 时间 / 公平基线", "{:.2f}×"),
    ("product_mkdocs_s", "旧基线：裸 MkDocs + Material，本产品的全部页面 (s)", "{:.1f}"),
    ("product_pagefind_s", "旧基线：裸 Pagefind (s)", "{:.1f}"),
    ("product_cpu_s", "旧基线 CPU 时间 (s)", "{:.1f}"),
    ("ratio_product", "构建时间 / 旧基线", "{:.2f}×"),
    ("peak_mb", "峰值内存 (MB，Python + 最大子进程，各自峰值相加)", "{:.0f}"),
    ("pss_peak_mb", "　实际同时占用的峰值 (MB，全部进程 PSS 之和，每 0.2 s 采样)", "{:.0f}"),
    ("python_mb", "　Python (MkDocs + gongkai)", "{:.0f}"),
    ("pagefind_rss_mb", "　Pagefind", "{:.0f}"),
    ("fair_pagefind_mb", "公平基线：裸 Pagefind 峰值内存 (MB)", "{:.0f}"),
    ("site_mb", "输出大小 (MB)", "{:.1f}"),
    ("site_files", "输出文件数", "{:,}"),
    ("pagefind_mb", "其中检索索引，全部分份 (MB)", "{:.1f}"),
    ("pagefind_bundles", "　分份数", "{}"),
    ("pagefind_word_mb", "　其中词条索引 index/ (MB)", "{:.1f}"),
    ("search_first_kb", "首次检索下载 (KB，gzip)", "{:.0f}"),
    ("search_second_kb", "再次检索下载 (KB)", "{:.0f}"),
    ("search_first_raw_kb", "首次检索下载 (KB，服务器不压缩)", "{:.0f}"),
    ("search_second_raw_kb", "再次检索下载 (KB，服务器不压缩)", "{:.0f}"),
    ("preview_start_s", "预览启动 (s)", "{:.1f}"),
    ("preview_body_s", "预览：改正文到条目页更新 (s)", "{:.2f}"),
    ("preview_title_s", "预览：改标题到栏目页更新 (s)", "{:.2f}"),
    ("preview_s", "预览：两者中较慢的 (s)", "{:.2f}"),
]


def flatten(r: dict) -> dict:
    f = dict(r)
    for k in ("validate", "plan", "render", "index"):
        f[f"{k}_s"] = r["stages"][k]
    f["site_mb"] = r["site_bytes"] / 1e6
    f["pagefind_mb"] = r["pagefind_bytes"] / 1e6
    if "pagefind_word_bytes" in r:
        f["pagefind_word_mb"] = r["pagefind_word_bytes"] / 1e6
    return f


def table(results: list[dict], markdown: bool) -> str:
    flat = [flatten(r) for r in results]
    head = ["指标", *[f"{r['n']:,} 条" for r in flat]]
    if len(flat) > 1:
        head.append(f"增长（{flat[-1]['n'] // flat[0]['n']}× 条目）")
    head.append("目标（10,000 条）")
    rows = []
    for key, name, fmt in ROWS:
        if not any(key in r for r in flat):
            continue
        cells = [fmt.format(r[key]) if key in r else "—" for r in flat]
        if len(flat) > 1:
            a, b = flat[0].get(key), flat[-1].get(key)
            cells.append(f"{b / a:.1f}×" if a and b and not key.startswith("ratio") else "")
        target = TARGETS.get(key)
        if target:
            big = flat[-1].get(key)
            ok = "" if flat[-1]["n"] < 10000 or big is None else "✓" if target[1](big) else "✗"
            cells.append(f"{target[0]} {ok}")
        else:
            cells.append("")
        rows.append([name, *cells])
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(_w(row[i]) for row in [head, *rows]) for i in range(len(head))]
    return "\n".join("  ".join(c + " " * (widths[i] - _w(c)) for i, c in enumerate(row)) for row in [head, *rows])


def _w(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def versions() -> str:
    from importlib.metadata import version

    return ", ".join(f"{p} {version(p)}" for p in ("mkdocs", "mkdocs-material", "pagefind", "jsonschema", "PyYAML"))


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="scripts/bench", description="gongkai 规模基准测试")
    ap.add_argument("--sizes", default="10000", help="条目数，逗号分隔，如 1000,10000")
    ap.add_argument("--quick", action="store_true", help="只测 1,000 条")
    ap.add_argument("--workdir", help="工作目录（默认临时目录，结束后保留以便查看）")
    ap.add_argument("--no-browser", action="store_true", help="不用浏览器测检索下载量")
    ap.add_argument("--no-preview", action="store_true", help="不测增量预览")
    ap.add_argument("--markdown", action="store_true", help="以 Markdown 表格输出")
    ap.add_argument("--repeat", type=int, default=1, help="check、构建和基线各跑几次，取最快的一次（机器有其他负载时用 2 或 3）")
    ap.add_argument("--json", help="把全部数据写入此 JSON 文件")
    ap.add_argument("--no-old-floor", action="store_true", help="不测旧基线（本产品的全部页面交给裸 MkDocs）")
    ap.add_argument("--no-floor", action="store_true", help="不测任何基线（如 100,000 条：裸 Pagefind 一次索引全部页面要十几 GB 内存）")
    args = ap.parse_args(argv)
    sizes = [1000] if args.quick else [int(s) for s in args.sizes.split(",")]
    work = Path(args.workdir or tempfile.mkdtemp(prefix="gongkai-bench-")).resolve()
    work.mkdir(parents=True, exist_ok=True)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    if not args.no_browser and importlib.util.find_spec("playwright") is None:  # fail before the long run
        raise SystemExit("检索下载量要用 Playwright：先运行 bash scripts/setup.sh --test，或加 --no-browser")
    log(f"work dir: {work}")
    load_start = os.getloadavg()[0]
    results = [bench_size(n, work, not args.no_browser, not args.no_preview, log, args.repeat, not args.no_old_floor,
                           not args.no_floor) for n in sizes]
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"机器：{os.cpu_count()} 核，每项取 {args.repeat} 次中最快的一次，{platform.processor() or platform.machine()}，Python {platform.python_version()}；{when}")
    print(f"版本：{versions()}")
    print(f"负载：开始 {load_start:.1f}，结束 {os.getloadavg()[0]:.1f}（1 分钟平均；高于核数说明有其他进程争用 CPU，墙钟时间偏大）")
    print()
    print(table(results, args.markdown))
    if args.json:
        Path(args.json).write_text(json.dumps({"when": when, "cores": os.cpu_count(), "results": results}, ensure_ascii=False, indent=1))
    return 0
