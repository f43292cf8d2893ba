"""The signature schemes themselves: SSHSIG against real ssh-keygen, FIDO security keys
(simulated with an ed25519/ECDSA key standing in for the token), SM2 against a second
implementation, and the roster chain with and without a root of trust."""
from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives import hashes

from gongkai.review.signing import sm2, sshsig
from gongkai.review.signing.keys import load_signer, parse_key
from gongkai.review.signing.roster import load_chain
from gongkai.review.signing.roster_sign import sign_roster
from gongkai.review.signing.wire import mpint, string, uint32
from review_helpers import copy_roster, sample_key

NS = "gongkai-signoff"
MESSAGE = "gongkai-signoff-v1\nid: 11999900MB1234567Q/2026-00012\n".encode()


@pytest.mark.parametrize("kind", ["ed25519", "ecdsa -b 256", "ecdsa -b 384", "ecdsa -b 521"])
def test_sshsig_matches_ssh_keygen_both_ways(tmp_path, kind):
    key = tmp_path / "id"
    subprocess.run(["ssh-keygen", "-q", "-t", *kind.split(), "-N", "", "-f", str(key), "-C", "t"], check=True)
    (tmp_path / "msg").write_bytes(MESSAGE)
    subprocess.run(["ssh-keygen", "-Y", "sign", "-f", str(key), "-n", NS, str(tmp_path / "msg")], check=True, capture_output=True)
    theirs = (tmp_path / "msg.sig").read_text()
    public = parse_key(key.with_suffix(".pub").read_text())
    assert public.fingerprint == subprocess.run(["ssh-keygen", "-lf", str(key) + ".pub"], capture_output=True, text=True).stdout.split()[1]
    assert public.verify(MESSAGE, theirs, NS)
    assert not public.verify(MESSAGE + b"x", theirs, NS)
    assert not public.verify(MESSAGE, theirs, "gongkai-roster")  # a signature for another purpose
    ours = load_signer(key).sign(MESSAGE, NS)
    assert public.verify(MESSAGE, ours, NS)
    (tmp_path / "ours.sig").write_text(sshsig.armor(ours))
    check = subprocess.run(["ssh-keygen", "-Y", "check-novalidate", "-n", NS, "-s", str(tmp_path / "ours.sig")], input=MESSAGE, capture_output=True)
    assert check.returncode == 0, check.stderr


def _sk_signature(private, kind: str, blob: bytes, application: bytes, flags: int, data: bytes) -> str:
    """What a FIDO token returns, with a software key standing in for the token."""
    counter = 7
    signed = hashlib.sha256(application).digest() + bytes([flags]) + uint32(counter) + hashlib.sha256(data).digest()
    if isinstance(private, ed25519.Ed25519PrivateKey):
        sig = private.sign(signed)
    else:
        r, s = decode_dss_signature(private.sign(signed, ec.ECDSA(hashes.SHA256())))
        sig = mpint(r) + mpint(s)
    raw = string(kind) + string(sig) + bytes([flags]) + uint32(counter)
    return sshsig.encode(blob, NS, raw)


@pytest.mark.parametrize("kind", [sshsig.SK_ED25519, sshsig.SK_ECDSA])
def test_security_key_signatures(kind):
    application = b"ssh:"
    if kind == sshsig.SK_ED25519:
        private = ed25519.Ed25519PrivateKey.generate()
        raw_public = private.public_key().public_bytes_raw()
        blob = string(kind) + string(raw_public) + string(application)
    else:
        private = ec.generate_private_key(ec.SECP256R1())
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        point = private.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
        blob = string(kind) + string("nistp256") + string(point) + string(application)
    public = parse_key(f"{kind} {base64.b64encode(blob).decode()} token")
    data = sshsig.signed_data(MESSAGE, NS)
    assert public.verify(MESSAGE, _sk_signature(private, kind, blob, application, 0x01, data), NS)
    assert not public.verify(MESSAGE, _sk_signature(private, kind, blob, application, 0x00, data), NS)  # user not present
    assert not public.verify(MESSAGE, _sk_signature(private, kind, blob, b"ssh:other", 0x01, data), NS)  # another application
    assert not public.verify(MESSAGE + b"x", _sk_signature(private, kind, blob, application, 0x01, data), NS)


def test_sm2_signs_and_verifies_and_a_second_implementation_agrees():
    from gmssl import sm2 as pure

    private, point = sm2.generate()
    # gmssl (pure Python) reads a public key whose hex starts with "04" with public_key.lstrip("04"),
    # eating the x coordinate's own leading digits (1 key in 256; the cross-check then fails with TypeError or binascii.Error):
    # its parsing bug, so such a key is not used for the comparison.
    while point[1:].hex().startswith("04"):
        private, point = sm2.generate()
    public = parse_key(sm2.public_text(point))
    assert public.fingerprint.startswith("SM3:")
    signature = sm2.sign(private, point, MESSAGE, NS)
    assert public.verify(MESSAGE, signature, NS)
    assert not public.verify(MESSAGE + b"x", signature, NS)
    assert not public.verify(MESSAGE, signature, "gongkai-roster")
    # gmssl (GM/T 0003 with the default ID) verifies what gmssl-pyx signed
    r, s = decode_dss_signature(base64.b64decode(signature))
    other = pure.CryptSM2(public_key=point[1:].hex(), private_key=private.hex(), mode=1)
    assert other.verify_with_sm3(f"{r:064x}{s:064x}", NS.encode() + b"\0" + MESSAGE)


def test_sample_keys_are_the_rosters(tmp_path):
    copy_roster(tmp_path)
    chain = load_chain(tmp_path)
    assert chain.problems == [] and chain.roster.version == 1 and chain.trust.source is None
    for name in ("周立衡", "林书雅", "顾海川"):
        signer = load_signer(sample_key(name))
        assert chain.roster.keys[signer.public.fingerprint].reviewer == name
    assert "未配置信任根" in chain.summary


def _next_version(root: Path, change) -> Path:
    old = (root / "reviewers" / "roster-0001.yml").read_text(encoding="utf-8").split("signatures:")[0]
    new = root / "reviewers" / "roster-0002.yml"
    new.write_text(change(old.replace("version: 1", "version: 2")), encoding="utf-8")
    return new


def test_roster_chain_needs_the_previous_versions_threshold(tmp_path, monkeypatch):
    copy_roster(tmp_path)
    editor = tmp_path / "editor"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(editor)], check=True)
    editor_key = " ".join(editor.with_suffix(".pub").read_text().split()[:2])
    new = _next_version(tmp_path, lambda t: t + f"  - name: 编辑甲\n    keys:\n      - key: {editor_key}\n")
    chain = load_chain(tmp_path)
    assert chain.roster.version == 1 and "未生效" in chain.problems[0].message  # unsigned: no effect
    sign_roster(new, "周立衡", load_signer(sample_key("周立衡")))
    assert load_chain(tmp_path).roster.version == 1  # one of the threshold 2
    sign_roster(new, "顾海川", load_signer(sample_key("顾海川")))
    chain = load_chain(tmp_path)
    assert chain.problems == [] and chain.roster.version == 2 and "编辑甲" in chain.roster.names
    # the host's root of trust: the keys that signed the anchor version
    fps = [load_signer(sample_key(n)).public.fingerprint for n in ("周立衡", "林书雅")]
    monkeypatch.setenv("GONGKAI_TRUST_ROOT", ",".join(fps))
    chain = load_chain(tmp_path)
    assert chain.roster.version == 2 and chain.verified == [1, 2] and fps[0] in chain.summary
    monkeypatch.setenv("GONGKAI_TRUST_ROOT", "SHA256:" + "A" * 43)
    chain = load_chain(tmp_path)
    assert chain.roster is None and "信任根" in chain.problems[0].message


def test_require_trust_root(tmp_path, monkeypatch):
    copy_roster(tmp_path)
    monkeypatch.delenv("GONGKAI_TRUST_ROOT", raising=False)
    chain = load_chain(tmp_path, require_root=True)
    assert chain.roster is None and "没有配置信任根" in chain.problems[0].message
    root_file = tmp_path / "trust-root.txt"
    root_file.write_text("# 空的信任根\n")
    monkeypatch.setenv("GONGKAI_TRUST_ROOT_FILE", str(root_file))
    assert load_chain(tmp_path).roster is None  # an empty root trusts nothing, it does not fall back
    root_file.write_text("# 构建机的信任根\n" + "\n".join(load_signer(sample_key(n)).public.fingerprint for n in ("周立衡", "林书雅", "顾海川")) + "\n")
    monkeypatch.setenv("GONGKAI_TRUST_ROOT_FILE", str(root_file))
    chain = load_chain(tmp_path, require_root=True)
    assert chain.roster.version == 1 and str(root_file) in chain.summary


def test_resign_sample_script_signs_changed_items_and_nothing_else(tmp_path):
    """The lead re-runs scripts/resign-sample after merging branches that changed sample content."""
    repo = Path(__file__).resolve().parents[1]
    for name in ("catalog.yml", "mkdocs.yml"):
        shutil.copy(repo / name, tmp_path / name)
    for name in ("content", "reviewers", "plugins", "requests", "annual"):
        shutil.copytree(repo / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "scripts").mkdir()
    shutil.copy(repo / "scripts" / "resign-sample", tmp_path / "scripts" / "resign-sample")
    changed = tmp_path / "content" / "gzdt" / "2026-00021.md"  # stale on purpose: must stay stale
    edited = next(p for p in (tmp_path / "content" / "tzgg").glob("*.md") if "review:" in p.read_text(encoding="utf-8") and p != changed)
    edited.write_text(edited.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in (tmp_path / "content").rglob("*.md")}
    run = subprocess.run([sys.executable, str(tmp_path / "scripts" / "resign-sample")], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "已重新签署 1 个示例条目" in run.stdout and "名单未变" in run.stdout
    after = {p: p.read_bytes() for p in before}
    assert [p for p in before if before[p] != after[p]] == [edited]
    from gongkai.project import load_state
    from datetime import date

    state = load_state(tmp_path, today=date(2026, 11, 25))
    assert edited in [i.path for i in state.published] and state.errors == []
    assert "stale" in next(d for d in state.withheld if d.item.path == changed).codes
    again = subprocess.run([sys.executable, str(tmp_path / "scripts" / "resign-sample")], capture_output=True, text=True)
    assert "已重新签署 0 个示例条目" in again.stdout


def test_a_key_with_a_passphrase_asks_for_the_agent_when_there_is_no_terminal(tmp_path):
    from gongkai.review.signing.keys import KeyProblem

    key = tmp_path / "id"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "口令pass1234", "-f", str(key)], check=True)
    (tmp_path / "junk").write_text("不是私钥", encoding="utf-8")
    with pytest.raises(KeyProblem, match="有口令"):
        load_signer(key)  # pytest's stdin is not a terminal
    with pytest.raises(KeyProblem, match="不是可用的 OpenSSH 私钥"):
        load_signer(tmp_path / "junk")


def test_without_a_roster_nothing_is_signed_but_drafts_still_check(tmp_path):
    from review_helpers import gongkai, make_project, sign, write_item

    root = make_project(tmp_path)
    path = write_item(root, "2026-00660", "名单删除前签署")
    sign(root, path)
    shutil.rmtree(root / "reviewers")
    result = gongkai(root, "check", "--json")
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["published"] == 0
    assert [r["code"] for r in report["withheld"][0]["reasons"]] == ["no_roster"]
    assert any("没有审查人员名单" in p["message"] and p["severity"] == "warning" for p in report["problems"])
