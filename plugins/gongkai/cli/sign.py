"""`gongkai sign FILE... --reviewer NAME [--key PATH]`: refuse with a reason, or sign every file."""
from __future__ import annotations

import sys
from pathlib import Path

from gongkai.cli.common import load_or_exit
from gongkai.core.scaffold import ScaffoldError
from gongkai.project import CONTENT_DIR, build_date
from gongkai.review.signing.keys import KeyProblem, agent_signer, load_signer
from gongkai.review.signing.sign import check_signer, refusal, sign_item


def _signer(args, state):
    if args.key:
        return load_signer(Path(args.key).expanduser())
    roster = state.roster.roster if state.roster else None
    fingerprints = {k.key.fingerprint for k in roster.keys_of(args.reviewer)} if roster else set()
    return agent_signer(fingerprints) if fingerprints else None


def sign_files(args, root: Path) -> int:
    state = load_or_exit(root)
    decision = args.decision or state.catalog.publish_decisions[0]
    today = build_date()
    try:
        signer = _signer(args, state)
        check_signer(state.roster, state.catalog, args.reviewer, signer, today)
    except (ScaffoldError, KeyProblem) as exc:
        print(f"错误：{exc}；没有签署任何文件", file=sys.stderr)
        return 1
    items, refusals = _items(args, state, decision)
    if refusals:
        for line in refusals:
            print(line, file=sys.stderr)
        print("没有签署任何文件（全部问题解决后再签署）", file=sys.stderr)
        return 1
    for item in items:
        try:
            digest = sign_item(item, state.catalog, signer, args.reviewer, decision, today)
        except (ScaffoldError, KeyProblem) as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 1
        print(f"已签署 {item.rel}：{args.reviewer}，{decision}，{digest[:19]}…，密钥 {signer.public.fingerprint}")
        for p in state.problems.get(item.rel, []):  # warnings: e.g. images only a person can check
            print(f"  提示：{p}")
    return 0


def _items(args, state, decision: str):
    """The items to sign, and every reason not to sign (then nothing is written)."""
    by_path = {i.path.resolve(): i for i in state.items}
    items, refusals = [], []
    for raw in args.paths:
        item = by_path.get(Path(raw).resolve())
        if item is None:
            refusals.append(f"错误：{raw} 不是 {CONTENT_DIR}/ 下的条目文件")
            continue
        errors = [p for p in state.problems.get(item.rel, []) if p.severity == "error"]
        if errors:
            refusals += [f"错误：{item.rel} 还有 {len(errors)} 处问题，修正后才能签署：", *(f"  {p}" for p in errors)]
            continue
        refused = refusal(item, state.catalog, args.reviewer, decision)
        if refused:
            refusals.append(f"错误：{refused}")
            continue
        items.append(item)
    return items, refusals


def sign_roster_file(args, root: Path) -> int:
    from gongkai.review.signing.roster_sign import sign_roster, signer_roster

    path = Path(args.path).resolve()
    try:
        _, previous = signer_roster(path)
        fingerprints = {k.key.fingerprint for k in previous.keys_of(args.reviewer)}
        signer = load_signer(Path(args.key).expanduser()) if args.key else agent_signer(fingerprints)
        if signer is None:
            raise ScaffoldError(f"没有找到「{args.reviewer}」的私钥：用 --key 指定，或把密钥加入 ssh-agent")
        sign_roster(path, args.reviewer, signer)
    except (ScaffoldError, KeyProblem) as exc:
        print(f"错误：{exc}；名单未改动", file=sys.stderr)
        return 1
    print(f"已签署名单 {path.name}：{args.reviewer}，密钥 {signer.public.fingerprint}")
    return 0


def add_commands(sub) -> None:
    p = sub.add_parser("sign-roster", help="签署审查人员名单的新版本：gongkai sign-roster reviewers/roster-0002.yml --reviewer <姓名>")
    p.add_argument("path")
    p.add_argument("--reviewer", required=True)
    p.add_argument("--key", help="私钥文件；不写则用 ssh-agent")
    p.set_defaults(func=sign_roster_file)
