"""The `gongkai` command: new, sign, check, build, serve."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from gongkai.cli.args import MKDOCS_FILE, ArgumentProblem, ChineseArgumentParser, check_bindable, parse_dev_addr, require_project
from gongkai.cli.common import load_or_exit
from gongkai.project import CONTENT_DIR, build_date, find_root
from gongkai.review.signing.roster import REQUIRE_ROOT_ENV
from gongkai.core.scaffold import ScaffoldError, new_item


def cmd_new(args, root: Path) -> int:
    state = load_or_exit(root)
    try:
        path = new_item(state.catalog, root, root / CONTENT_DIR, args.column, args.title, build_date())
    except ScaffoldError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(path.relative_to(root).as_posix())
    return 0


def cmd_sign(args, root: Path) -> int:
    from gongkai.cli.sign import sign_files

    return sign_files(args, root)


def cmd_check(args, root: Path) -> int:
    state = load_or_exit(root)
    errors = state.errors
    if args.json:
        report = {
            "ok": not errors,
            "items": len(state.items),
            "published": len(state.published),
            "problems": [p.to_json() for p in state.all_problems],
            "notices": state.notices,
            "signatures_checked_against": state.roster.summary if state.roster else None,
            "withheld": [{"path": d.item.rel, "id": d.item.id, "reasons": [{"code": c, "text": t} for c, t in d.reasons]} for d in state.withheld],
        }
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 1 if errors else 0
    for p in state.all_problems:
        print(p)
    for notice in state.notices:
        print(f"提示：{notice}")
    if state.roster:
        print(f"签名核对：{state.roster.summary}")
    if state.withheld:
        print(f"\n未发布的条目（{len(state.withheld)} 个）：")
        for d in state.withheld:
            print(f"  {d.item.rel}：{d.reason_text}")
    print(f"\n共 {len(state.items)} 个条目，可发布 {len(state.published)} 个；错误 {len(errors)} 处。")
    return 1 if errors else 0


def cmd_review_status(args, root: Path) -> int:
    from gongkai.reports.review_status import ReviewStatusError, review_status
    from gongkai.reports.review_status_text import render_text

    state = load_or_exit(root)
    try:
        report = review_status(root, args.base, state, allow_platform=args.allow_platform)
    except ReviewStatusError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(json.dumps(report.to_json(), ensure_ascii=False, indent=2) if args.json else render_text(report))
    return 0 if report.ok else 1


def _show_build_log() -> None:
    """MkDocs and the plugin log through `mkdocs`; show INFO and above as MkDocs' own CLI does."""
    import logging

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def cmd_build(args, root: Path) -> int:
    from gongkai.adapters.builder import BuildFailed, build_site
    from gongkai.adapters.site_dir import SiteDirError

    _show_build_log()

    try:
        target = build_site(root, Path(args.site_dir) if args.site_dir else None)
    except SiteDirError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except BuildFailed as exc:
        print(f"构建失败，原有网站未被改动：{exc}", file=sys.stderr)
        return 1
    print(f"网站已生成：{target}")
    return 0


def cmd_serve(args, root: Path) -> int:
    from gongkai.adapters.builder import BuildFailed, serve_site

    host, port = parse_dev_addr(args.dev_addr)
    check_bindable(host, port)
    _show_build_log()
    try:
        serve_site(root, f"{host}:{port}")
    except BuildFailed as exc:
        print(f"无法预览：{exc}", file=sys.stderr)
        return 1
    return 0


def cmd_preview(args, root: Path) -> int:
    from gongkai.adapters.builder import BuildFailed
    from gongkai.adapters.preview_server import serve_preview

    host, port = parse_dev_addr(args.dev_addr)
    check_bindable(host, port)
    _show_build_log()
    try:
        serve_preview(root, f"{host}:{port}")
    except BuildFailed as exc:
        print(f"无法预览：{exc}", file=sys.stderr)
        return 1
    return 0


def build_parser() -> ChineseArgumentParser:
    parser = ChineseArgumentParser(prog="gongkai", description="政府信息公开网站生成器")
    parser.add_argument("-C", "--root", help="项目根目录（含 catalog.yml），默认自动查找")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    p = sub.add_parser("new", help="新建条目：gongkai new <栏目代码> \"<标题>\"")
    p.add_argument("column")
    p.add_argument("title")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("sign", help="保密审查签署：gongkai sign <文件>... --reviewer <姓名>")
    p.add_argument("paths", nargs="+")
    p.add_argument("--reviewer", required=True)
    p.add_argument("--decision", help="审查结论，默认为“同意公开”")
    p.add_argument("--key", help="私钥文件（ed25519、ECDSA、ed25519-sk 或 SM2）；不写则用 ssh-agent 中名单登记的密钥")
    p.set_defaults(func=cmd_sign)

    p = sub.add_parser("check", help="校验全部条目，不生成网站；有错误时退出码为 1")
    p.add_argument("--json", action="store_true")
    p.add_argument("--require-trust-root", action="store_true", help="构建机没有配置信任根（GONGKAI_TRUST_ROOT）时作为错误")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("review-status", help="合并请求检查：改动的条目是否都已有效签署；未签署或有未经批准的平台改动时退出码为 1")
    p.add_argument("--base", required=True, help="目标分支，如 origin/main")
    p.add_argument("--json", action="store_true")
    p.add_argument("--allow-platform", action="store_true", help="平台改动（条目内容以外的任何改动）已由平台负责人和第二位审查人员批准；不加时有平台改动即退出码为 1")
    p.set_defaults(func=cmd_review_status)

    p = sub.add_parser("build", help="校验、生成网站并建立检索索引；失败时不改动原有网站")
    p.add_argument("--site-dir")
    p.add_argument("--require-trust-root", action="store_true", help="构建机没有配置信任根（GONGKAI_TRUST_ROOT）时构建失败；生产构建使用")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("serve", help="本地预览（编辑时自动刷新）")
    p.add_argument("--dev-addr", help="地址:端口，默认 127.0.0.1:8000")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("preview", help="快速预览：只渲染正在浏览的页面，保存后约 1 秒内刷新（适合条目很多的网站）")
    p.add_argument("--dev-addr", help="地址:端口，默认 127.0.0.1:8000")
    p.set_defaults(func=cmd_preview)

    from gongkai.cli.compliance import add_commands

    add_commands(sub)  # report, annual-report
    from gongkai.cli.sign import add_commands as add_sign_commands

    add_sign_commands(sub)  # sign-roster

    from gongkai.cli.cms import add_commands as add_cms_commands

    add_cms_commands(sub)  # cms
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "require_trust_root", False):
        os.environ[REQUIRE_ROOT_ENV] = "1"  # read by load_state(), also inside the MkDocs plugin
    root = Path(args.root).resolve() if args.root else find_root()
    try:
        require_project(root, bool(args.root), *([MKDOCS_FILE] if args.command in ("build", "serve", "preview") else []))
        return args.func(args, root)
    except ArgumentProblem as exc:
        print(exc, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
