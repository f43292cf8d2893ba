"""The roster of reviewers' keys, a chain of signed versions, and the build host's root of trust.

    reviewers/roster-0001.yml, roster-0002.yml, …   (files, so a tarball builds like a clone)

Version 1 is signed by its own keys; every later version by at least `threshold` reviewers of
the version it replaces. A version that is not signed so does not take effect (it and all after
it are errors), so an editor who adds their own key gains nothing. The chain starts at the first
version signed by keys the build host trusts (GONGKAI_TRUST_ROOT / GONGKAI_TRUST_ROOT_FILE);
without such a root it starts at version 1 and says so.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from gongkai.core.items import as_date
from gongkai.core.problems import Problem
from gongkai.core.yamlstrict import StrictLoader, yaml_problem
from gongkai.review.signing.canonical import data_digest
from gongkai.review.signing.keys import KeyProblem, PublicKey, parse_key
from gongkai.review.signing.statement import ROSTER_NAMESPACE, roster_statement

ROSTER_DIR = "reviewers"
FILE_NAME = re.compile(r"^roster-(\d{4})\.yml$")
TRUST_ROOT_ENV, TRUST_ROOT_FILE_ENV = "GONGKAI_TRUST_ROOT", "GONGKAI_TRUST_ROOT_FILE"
REQUIRE_ROOT_ENV = "GONGKAI_REQUIRE_TRUST_ROOT"


@dataclass(frozen=True)
class RosterKey:
    reviewer: str
    key: PublicKey
    valid_from: date | None = None
    valid_until: date | None = None
    revoked: date | None = None  # signatures dated on or after this day do not count
    compromised: bool = False  # no signature by this key counts, whatever its date

    def refusal(self, when: date) -> tuple[str, str] | None:
        """Why a signature dated `when` by this key does not count, or None."""
        fp = self.key.fingerprint
        if self.compromised:
            return "key_revoked", f"密钥 {fp} 已被吊销（泄露），它的所有签署都无效"
        if self.revoked and when >= self.revoked:
            return "key_revoked", f"密钥 {fp} 已于 {self.revoked} 吊销，签署日期 {when} 不在有效期内"
        if self.valid_from and when < self.valid_from:
            return "key_not_valid", f"密钥 {fp} 自 {self.valid_from} 起有效，签署日期 {when} 早于此日"
        if self.valid_until and when > self.valid_until:
            return "key_not_valid", f"密钥 {fp} 有效期至 {self.valid_until}，签署日期 {when} 晚于此日"
        return None


@dataclass
class Roster:
    version: int
    rel: str
    threshold: int
    keys: dict[str, RosterKey]  # fingerprint -> key
    digest: str
    signatures: list[tuple[str, str]]  # (fingerprint, signature)

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys(k.reviewer for k in self.keys.values()))

    def keys_of(self, name: str) -> list[RosterKey]:
        return [k for k in self.keys.values() if k.reviewer == name]


@dataclass
class TrustRoot:
    source: str | None  # where the host's fingerprints came from, in Chinese; None: no root
    fingerprints: list[str] = field(default_factory=list)


@dataclass
class RosterChain:
    roster: Roster | None  # the version in effect; None: no valid roster, nothing is signed
    trust: TrustRoot
    verified: list[int] = field(default_factory=list)  # versions checked from the anchor on
    problems: list[Problem] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """One line for the build log and the audit: what the signatures were checked against."""
        if self.roster is None:
            return "没有生效的审查人员名单：所有签署均无效"
        span = f"roster-{self.verified[0]:04d} 至 roster-{self.verified[-1]:04d}"
        if self.trust.source is None:
            return f"未配置信任根：签署只对照仓库中的审查人员名单（{span}）核对，能改写仓库的人也能改写名单；生产构建请设置 {TRUST_ROOT_ENV}"
        return f"信任根（{self.trust.source}）：{'、'.join(self.trust.fingerprints)}；名单链 {span} 验证通过"


def trust_root() -> TrustRoot:
    listed = os.environ.get(TRUST_ROOT_ENV, "").replace(",", " ").split()
    if listed:
        return TrustRoot(f"环境变量 {TRUST_ROOT_ENV}", listed)
    path = os.environ.get(TRUST_ROOT_FILE_ENV)
    if path:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except OSError:
            return TrustRoot(f"文件 {path}（无法读取）", [])
        return TrustRoot(f"文件 {path}", [w for line in lines for w in line.split("#")[0].split()])
    return TrustRoot(None)


def load_chain(root: Path, require_root: bool = False) -> RosterChain:
    trust = trust_root()
    chain = RosterChain(None, trust)
    folder = root / ROSTER_DIR
    files = sorted(p for p in folder.glob("roster-*.yml") if FILE_NAME.match(p.name)) if folder.is_dir() else []
    rel = lambda p: f"{ROSTER_DIR}/{p.name}"  # noqa: E731
    if trust.source is not None and not trust.fingerprints:
        chain.problems.append(Problem(ROSTER_DIR, "", f"信任根（{trust.source}）中没有任何密钥指纹，所有签署均无效", "写入签署名单的审查人员密钥指纹（SHA256:… 或 SM3:…），每行一个"))
        return chain
    if require_root and trust.source is None:
        chain.problems.append(Problem(ROSTER_DIR, "", "没有配置信任根（--require-trust-root）", f"在构建机上设置 {TRUST_ROOT_ENV}（名单签署人的密钥指纹）或 {TRUST_ROOT_FILE_ENV}"))
        return chain
    if not files:
        # a warning, not an error: nothing is published, but a project of drafts still checks clean
        chain.problems.append(Problem(ROSTER_DIR, "", "没有审查人员名单 reviewers/roster-0001.yml，任何签署都无效", "按 docs/review-workflow.md 建立名单并由审查人员签署", severity="warning"))
        return chain
    rosters: list[Roster] = []
    for number, path in enumerate(files, start=1):
        roster = parse_version(path, rel(path), number, chain.problems)
        if roster is None:
            break
        rosters.append(roster)
    _walk(rosters, chain)
    return chain


def _walk(rosters: list[Roster], chain: RosterChain) -> None:
    """Find the anchor, then follow the chain; the last version signed in turn takes effect."""
    trusted = set(chain.trust.fingerprints)
    previous: Roster | None = None
    for index, roster in enumerate(rosters):
        signers = rosters[index - 1] if index else roster
        valid = _valid_signers(roster, signers)
        if chain.roster is None:  # still looking for the anchor
            if chain.trust.source is None:
                anchored = index == 0 and len({signers.keys[f].reviewer for f in valid}) >= signers.threshold
            else:
                anchored = len(valid & trusted) >= min(len(trusted), max(2, signers.threshold))  # never one key alone when the host trusts more
            if anchored:
                chain.roster, previous = roster, roster
                chain.verified.append(roster.version)
            continue
        if len({signers.keys[f].reviewer for f in valid}) >= previous.threshold:
            chain.roster, previous = roster, roster
            chain.verified.append(roster.version)
            continue
        _refuse(chain, roster, previous, valid)
        return
    if chain.roster is None:
        where = "信任根中的密钥" if chain.trust.source else "足够多的本版本审查人员"
        chain.problems.append(Problem(rosters[0].rel if rosters else ROSTER_DIR, "signatures", f"审查人员名单没有经{where}签署，所有签署均无效", "由名单中的审查人员运行 gongkai sign-roster 签署名单；核对构建机的信任根设置"))


def _refuse(chain: RosterChain, roster: Roster, previous: Roster, valid: set[str]) -> None:
    names = "、".join(sorted({previous.keys[f].reviewer for f in valid})) or "无"
    chain.problems.append(
        Problem(
            roster.rel,
            "signatures",
            f"名单第 {roster.version} 版未生效：须由上一版名单中至少 {previous.threshold} 位审查人员签署，有效签署人：{names}；仍按第 {previous.version} 版核对签署",
            f"由第 {previous.version} 版名单中的审查人员运行 gongkai sign-roster {roster.rel} --reviewer <姓名> 签署；其后各版本也不生效",
        )
    )


def _valid_signers(roster: Roster, signers: Roster) -> set[str]:
    statement = roster_statement(roster.version, roster.digest)
    out = set()
    for fp, signature in roster.signatures:
        key = signers.keys.get(fp)
        if key and not key.compromised and not key.revoked and key.key.verify(statement, signature, ROSTER_NAMESPACE):
            out.add(fp)
    return out


def parse_version(path: Path, rel: str, number: int, problems: list[Problem]) -> Roster | None:
    try:
        data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=StrictLoader)
    except yaml.YAMLError as exc:
        problems.append(yaml_problem(rel, exc, 0))
        return None
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(rel, "", f"无法读取（{exc}）", "保存为 UTF-8 文本"))
        return None
    bad = lambda field, message, fix: problems.append(Problem(rel, field, message, fix)) or None  # noqa: E731
    if not isinstance(data, dict) or data.get("version") != number:
        return bad("version", f"应为第 {number} 版（version: {number}），版本号须与文件名一致且连续", "文件名和 version 都按 0001、0002… 顺序编号")
    keys: dict[str, RosterKey] = {}
    for i, person in enumerate(data.get("reviewers") or []):
        name = str((person or {}).get("name", "")).strip() if isinstance(person, dict) else ""
        if not name:
            return bad(f"reviewers[{i}].name", "缺少审查人员姓名", "每位审查人员写 name 和 keys")
        for j, entry in enumerate(person.get("keys") or []):
            key = _key(entry, name, f"reviewers[{i}].keys[{j}]", bad)
            if key is None:
                return None
            keys[key.key.fingerprint] = key
    if not keys:
        return bad("reviewers", "名单中没有任何密钥", "每位审查人员至少登记一个公钥")
    people = len({k.reviewer for k in keys.values()})
    threshold = data.get("threshold", 2 if people >= 2 else 1)
    if not isinstance(threshold, int) or not 1 <= threshold <= people:
        return bad("threshold", f"签署门槛 {threshold} 无效（名单有 {people} 位审查人员）", "写 1 到审查人员人数之间的整数，2 位以上审查人员时建议至少 2")
    signatures = [(str(s.get("key", "")), str(s.get("signature", ""))) for s in data.get("signatures") or [] if isinstance(s, dict)]
    return Roster(number, rel, threshold, keys, data_digest({k: v for k, v in data.items() if k != "signatures"}), signatures)


def _key(entry, name: str, where: str, bad) -> RosterKey | None:
    if not isinstance(entry, dict) or "key" not in entry:
        return bad(where, "密钥应写作 {key: 公钥, valid_from: 日期}", "见 docs/review-workflow.md 的“把密钥登记到名单”")
    try:
        public = parse_key(entry["key"])
    except KeyProblem as exc:
        return bad(where + ".key", str(exc), "粘贴 .pub 文件的整行内容（ssh-ed25519 AAAA… 或 sk-ssh-ed25519@openssh.com AAAA…）")
    revoked = entry.get("revoked") or {}
    dates = {k: as_date(entry.get(k)) for k in ("valid_from", "valid_until")}
    for k in ("valid_from", "valid_until"):
        if entry.get(k) is not None and dates[k] is None:
            return bad(f"{where}.{k}", f"日期「{entry.get(k)}」无效", "写成 YYYY-MM-DD")
    if revoked and (not isinstance(revoked, dict) or as_date(revoked.get("date")) is None):
        return bad(f"{where}.revoked", "吊销应写作 {date: 日期, reason: 原因}", "写明吊销日期；密钥泄露时加 compromised: true")
    return RosterKey(name, public, dates["valid_from"], dates["valid_until"], as_date(revoked.get("date")) if revoked else None, bool(revoked.get("compromised")) if revoked else False)
