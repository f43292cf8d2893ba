"""`gongkai cms`: write the web editor for staff who do not use git; --serve runs it on 127.0.0.1."""
from __future__ import annotations

import signal
import sys
import time
from pathlib import Path

from gongkai.core.catalog import load_catalog
from gongkai.core.problems import ProjectError
from gongkai.project import CATALOG_FILE, CONTENT_DIR, build_date


def cmd_cms(args, root: Path) -> int:
    from gongkai.cms.decap_config import CmsConfigError
    from gongkai.cms.editor import EDITOR_DIR, EditorError, EditorPaths, bundle_dir, check_target, config_text, write_editor

    try:
        catalog = load_catalog(root / CATALOG_FILE, root)
    except ProjectError as exc:
        print("catalog.yml 有错误：", file=sys.stderr)
        for p in exc.problems:
            print(f"  {p}", file=sys.stderr)
        return 2
    out = Path(args.out).resolve() if args.out else root / EDITOR_DIR
    paths = EditorPaths(root=root, out=out, content_dir=CONTENT_DIR, site_dir=root / "site")
    try:
        check_target(paths)  # before looking for the bundle: a wrong place is the first thing to say
        written = write_editor(catalog, paths, bundle_dir(root), build_date(), args.backend_port)
        print(f"编辑器已写入 {out}（{len(written)} 个文件）", flush=True)
        if not args.serve:
            return 0
        from gongkai.cms.server import EditorServer

        # A plain `kill` must stop decap-server too, not leave it running on its own; and Ctrl+C must work
        # even where the shell started this with SIGINT ignored (a script, a background job).
        signal.signal(signal.SIGTERM, _interrupt)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        server = EditorServer(root, out, lambda: config_text(catalog, paths, args.backend_port, build_date()), args.port, args.backend_port)
    except (EditorError, CmsConfigError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    print(f"在浏览器中打开 {server.url} 编辑条目（只在本机可访问）；按 Ctrl+C 停止", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def cmd_assign_ids(args, root: Path) -> int:
    from gongkai.cms.ids import AssignError, assign_ids

    try:
        catalog = load_catalog(root / CATALOG_FILE, root)
        changes = assign_ids(root, catalog, args.base)
    except ProjectError as exc:
        print("catalog.yml 有错误：", file=sys.stderr)
        for p in exc.problems:
            print(f"  {p}", file=sys.stderr)
        return 2
    except AssignError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    for change in changes:
        print(f"{change.path}：索引号 {change.old} 已被占用，改为 {change.new}")
    if not changes:
        print(f"本分支新增条目的索引号都未被 {args.base} 或其他新条目占用，无需改动")
    return 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def add_commands(sub) -> None:
    p = sub.add_parser("cms", help="生成网页编辑器（不用 git 也能编辑条目）；--serve 在本机运行")
    p.add_argument("--out", help="编辑器目录，默认 cms/（不得在网站输出目录 site/ 或 content/ 里）")
    p.add_argument("--serve", action="store_true", help="在 127.0.0.1 上运行编辑器和本地编辑后端（decap-server）")
    p.add_argument("--port", type=int, default=8090, help="编辑器端口，默认 8090")
    p.add_argument("--backend-port", type=int, default=8081, help="本地编辑后端端口，默认 8081")
    p.set_defaults(func=cmd_cms)

    p = sub.add_parser("assign-ids", help="合并请求检查：给本分支新增、索引号已被占用的条目分配下一个空号")
    p.add_argument("--base", required=True, help="目标分支，如 origin/main")
    p.set_defaults(func=cmd_assign_ids)
