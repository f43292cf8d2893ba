"""`gongkai report` and `gongkai annual-report`: the compliance commands."""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from gongkai.cli.common import load_or_exit


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SystemExit(f"错误：日期「{text}」格式不对，应写成 YYYY-MM-DD") from None


def cmd_report(args, root: Path) -> int:
    from gongkai.reports.compliance import run_checks
    from gongkai.reports.compliance.render import text

    as_of = _date(args.as_of) if args.as_of else None
    state = load_or_exit(root, as_of)
    report = run_checks(state, as_of)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(text(report), end="")
    return 1 if report.blocking else 0


def cmd_annual_report(args, root: Path) -> int:
    from gongkai.compliance.annual import AnnualReportError, build_report
    from gongkai.compliance.annual_render import write_files
    from gongkai.compliance.register import load_register

    state = load_or_exit(root)
    register = load_register(root, state.catalog, state.today)
    try:
        report = build_report(state, register, args.year)
    except AnnualReportError as exc:
        print(f"无法生成 {args.year} 年度报告：", file=sys.stderr)
        for p in exc.problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    try:
        written = write_files(report, Path(args.out))
    except OSError as exc:
        from gongkai.adapters.site_dir import os_reason

        print(f"错误：--out {args.out} 无法写入：{os_reason(exc)}（{exc.filename}）；请换一个可以写入的文件夹", file=sys.stderr)
        return 2
    for path in written:
        print(path.as_posix())
    return 0


def add_commands(sub) -> None:
    p = sub.add_parser("report", help="合规检查：公开时限、空白栏目、栏目更新、依申请公开答复时限、年报等")
    p.add_argument("--json", action="store_true")
    p.add_argument("--as-of", help="按指定日期检查（YYYY-MM-DD），默认为今天")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("annual-report", help="生成政府信息公开工作年度报告：gongkai annual-report --year 2025 --out 目录")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_annual_report)
