"""Signing a roster version: `gongkai sign-roster reviewers/roster-0002.yml --reviewer NAME [--key]`.

Version 1 is signed by its own reviewers, every later version by the reviewers of the version
before it. The signatures are the file's last section; signing again replaces one's own entry.
"""
from __future__ import annotations

import re
from pathlib import Path

from gongkai.core.problems import Problem
from gongkai.core.scaffold import ScaffoldError
from gongkai.review.signing.keys import Signer
from gongkai.review.signing.roster import FILE_NAME, ROSTER_DIR, Roster, parse_version
from gongkai.review.signing.statement import ROSTER_NAMESPACE, roster_statement


def signer_roster(path: Path) -> tuple[Roster, Roster]:
    """(the version to sign, the version whose keys sign it)."""
    match = FILE_NAME.match(path.name)
    if not match:
        raise ScaffoldError(f"{path} 不是名单文件（{ROSTER_DIR}/roster-0001.yml 这样的文件名）")
    number = int(match.group(1))
    problems: list[Problem] = []
    target = parse_version(path, f"{ROSTER_DIR}/{path.name}", number, problems)
    previous = parse_version(path.with_name(f"roster-{number - 1:04d}.yml"), f"{ROSTER_DIR}/roster-{number - 1:04d}.yml", number - 1, problems) if number > 1 else target
    if target is None or previous is None:
        raise ScaffoldError("；".join(str(p) for p in problems))
    return target, previous


def sign_roster(path: Path, reviewer: str, signer: Signer) -> None:
    target, previous = signer_roster(path)
    key = previous.keys.get(signer.public.fingerprint)
    if key is None or key.reviewer != reviewer or key.revoked or key.compromised:
        raise ScaffoldError(f"密钥 {signer.public.fingerprint} 不是第 {previous.version} 版名单中「{reviewer}」的有效密钥，不能签署第 {target.version} 版名单")
    signature = signer.sign(roster_statement(target.version, target.digest), ROSTER_NAMESPACE)
    entries = [(fp, sig) for fp, sig in target.signatures if fp != signer.public.fingerprint] + [(signer.public.fingerprint, signature)]
    text = path.read_text(encoding="utf-8")
    head = re.split(r"(?m)^signatures\s*:.*$", text, maxsplit=1)[0].rstrip("\n")
    lines = [head, "signatures:  # 由 gongkai sign-roster 写入；签署后名单内容不得再改动"]
    lines += [f"  - key: {fp}\n    signature: {sig}" for fp, sig in entries]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
