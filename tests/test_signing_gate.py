"""Every way around a sign-off, tried through the `gongkai` command on scratch projects.

Each attempt carries a canary (title, body, attachment); none may appear anywhere in the built
site, and check / review-status / the audit name the reason."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from gongkai.core.items import parse_item
from gongkai.review.signing.keys import load_signer
from gongkai.review.signing.sign import sign_item
from gongkai.review.signing.statement import ROSTER_NAMESPACE, roster_statement
from review_helpers import commit, git, gongkai, init_repo, make_project, sample_key, sign, tree_texts, write_item


def canary(kind: str) -> str:
    return f"zqxsig{kind}"


def write_canary(root: Path, n: int, kind: str, **meta) -> Path:
    folder = root / "content" / "gzdt"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{canary(kind)}.csv").write_text(f"列,值\n{canary(kind)}attach,1\n", encoding="utf-8")
    return write_item(root, f"2026-0060{n}", f"{canary(kind)}title 不应公开", body=f"正文 {canary(kind)}body。", attachments=[{"file": f"{canary(kind)}.csv", "title": "明细"}], **meta)


def editor_key(tmp: Path) -> Path:
    key = tmp / "editor_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key), "-C", "editor"], check=True)
    return key


def block_of(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text[text.index("review:"):text.index("\n---", text.index("review:"))]


def with_block(path: Path, block: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("---\n\n", block + "\n---\n\n", 1) if "review:" not in text else text.replace(block_of(path), block), encoding="utf-8")


def in_process_sign(root: Path, path: Path, key: Path, reviewer: str, when: str) -> None:
    """Sign without `gongkai sign`'s checks, as someone with write access to the repository could."""
    from gongkai.core.catalog import load_catalog

    sign_item(parse_item(path, root), load_catalog(root / "catalog.yml", root), load_signer(key), reviewer, "同意公开", date.fromisoformat(when))


@pytest.fixture(scope="module")
def attempts(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sig")
    root = make_project(tmp)
    editor = editor_key(tmp)
    honest = write_item(root, "2026-00600", "公开的条目 zqxsigvisible", body="正文 zqxsigvisiblebody。")
    sign(root, honest)
    sm2_item = write_item(root, "2026-00610", "国密签署 zqxsigsm2visible")
    sign(root, sm2_item, reviewer="顾海川")  # the sample's SM2 key
    before_revocation = write_item(root, "2026-00611", "吊销前签署 zqxsigprerevokevisible")
    in_process_sign(root, before_revocation, sample_key("林书雅"), "林书雅", "2026-11-10")
    out = {"root": root, "editor": editor, "refusals": {}}

    forged = write_canary(root, 1, "forged")  # the editor signs as 周立衡 with their own key
    out["refusals"]["forged"] = gongkai(root, "sign", str(forged), "--reviewer", "周立衡", "--key", str(editor))
    out["refusals"]["nokey"] = gongkai(root, "sign", str(forged), "--reviewer", "周立衡", env={"SSH_AUTH_SOCK": ""})
    handwritten = write_canary(root, 2, "nameonly")  # a name-only block with the right digest
    from gongkai.core.digest import content_digest

    with_block(handwritten, f"review:\n  reviewer: 周立衡\n  date: 2026-11-20\n  decision: 同意公开\n  digest: {content_digest(parse_item(handwritten, root))}")
    badsig = write_canary(root, 3, "badsig")  # the right digest and 周立衡's fingerprint, the editor's signature
    in_process_sign(root, badsig, editor, "周立衡", "2026-11-20")
    fp = load_signer(sample_key("周立衡")).public.fingerprint
    text = badsig.read_text(encoding="utf-8")
    badsig.write_text(text.replace(block_of(badsig).split("key: ")[1].split("\n")[0], fp), encoding="utf-8")
    replay = write_canary(root, 4, "replay")  # 周立衡's real signature, copied from another item
    with_block(replay, block_of(honest))
    outside = write_canary(root, 5, "outside")  # signed by a key the roster does not list
    in_process_sign(root, outside, editor, "周立衡", "2026-11-20")
    early = write_canary(root, 6, "early", created="2026-11-01")
    sign_early = gongkai(root, "sign", str(early), "--reviewer", "周立衡", "--key", str(sample_key("周立衡")), env={"GONGKAI_BUILD_DATE": "2026-10-20"})
    assert sign_early.returncode == 0, sign_early.stderr
    sm2_bad = write_canary(root, 7, "sm2bad")
    sign(root, sm2_bad, reviewer="顾海川")
    text = sm2_bad.read_text(encoding="utf-8")
    sig = block_of(sm2_bad).split("signature: ")[1].split("\n")[0]
    sm2_bad.write_text(text.replace(sig, sig[:10] + ("A" if sig[10] != "A" else "B") + sig[11:]), encoding="utf-8")
    revoked = write_canary(root, 8, "revoked")
    # roster-0002: 林书雅's key revoked from 2026-11-15, signed by two reviewers of roster-0001
    old = (root / "reviewers" / "roster-0001.yml").read_text(encoding="utf-8").split("signatures:")[0]
    lin = old.index("  - name: 林书雅")
    end = old.index("\n", old.index("valid_from", lin))
    new = old[:end] + "\n        revoked: {date: 2026-11-15, reason: 调离}" + old[end:]
    (root / "reviewers" / "roster-0002.yml").write_text(new.replace("version: 1", "version: 2"), encoding="utf-8")
    for name in ("周立衡", "顾海川"):
        result = gongkai(root, "sign-roster", str(root / "reviewers" / "roster-0002.yml"), "--reviewer", name, "--key", str(sample_key(name)))
        assert result.returncode == 0, result.stderr
    in_process_sign(root, revoked, sample_key("林书雅"), "林书雅", "2026-11-20")
    out["refusals"]["revoked"] = gongkai(root, "sign", str(revoked), "--reviewer", "林书雅", "--key", str(sample_key("林书雅")))
    out["check"] = json.loads(gongkai(root, "check", "--json").stdout)
    out["build"] = gongkai(root, "build")
    return out


KINDS = {"forged": "unsigned", "nameonly": "name_only", "badsig": "bad_signature", "replay": "replayed", "outside": "key_not_in_roster", "early": "review_before_created", "sm2bad": "bad_signature", "revoked": "key_revoked"}


def test_each_attempt_is_withheld_with_its_reason(attempts):
    withheld = {w["path"]: w for w in attempts["check"]["withheld"]}
    for kind, code in KINDS.items():
        entry = next(w for path, w in withheld.items() if canary(kind) in (attempts["root"] / path).read_text(encoding="utf-8"))
        assert code in [r["code"] for r in entry["reasons"]], (kind, entry["reasons"])
    texts = {w["id"][-5:]: " ".join(r["text"] for r in w["reasons"]) for w in withheld.values()}
    assert "重新签署：gongkai sign" in texts["00602"] and "--key" in texts["00602"]  # how to re-sign a name-only block
    assert "content/gzdt/2026-00600.md" in texts["00604"]  # the replay names the item it came from
    assert "2026-11-15 吊销" in texts["00608"]
    assert attempts["check"]["published"] == 3  # honest (ed25519), SM2, and 林书雅's signature before the revocation


def test_sign_refuses_and_writes_nothing(attempts):
    forged, nokey, revoked = (attempts["refusals"][k] for k in ("forged", "nokey", "revoked"))
    assert forged.returncode == 1 and "不是名单" in forged.stderr and "周立衡" in forged.stderr
    assert nokey.returncode == 1 and "没有找到「周立衡」的私钥" in nokey.stderr
    assert revoked.returncode == 1 and "吊销" in revoked.stderr
    assert "review:" not in (attempts["root"] / "content/gzdt/2026-00601.md").read_text(encoding="utf-8")


def test_no_canary_anywhere_in_the_site_and_the_audit_names_keys(attempts):
    assert attempts["build"].returncode == 0, attempts["build"].stderr
    root = attempts["root"]
    texts = "\n".join(text for _, text in tree_texts(root / "site"))
    assert "zqxsigvisiblebody" in texts and "zqxsigsm2visible" in texts and "zqxsigprerevokevisible" in texts
    for kind in KINDS:
        assert canary(kind) not in texts, kind
    manifest = json.loads((root / "reports" / "audit" / "manifest.json").read_text(encoding="utf-8"))
    keys = {r["id"][-5:]: r["key"] for r in manifest["published"]}
    assert keys["00610"].startswith("SM3:") and keys["00600"] == load_signer(sample_key("周立衡")).public.fingerprint
    assert all(r["signature"] for r in manifest["published"])
    assert manifest["trust"]["root_source"] is None and manifest["trust"]["roster_versions"] == [1, 2]
    assert "未配置信任根" in (root / "reports" / "audit" / "audit.md").read_text(encoding="utf-8")
    assert "未配置信任根" in attempts["build"].stderr + attempts["build"].stdout


def test_an_editors_own_roster_version_gains_nothing(tmp_path):
    root = make_project(tmp_path)
    editor = editor_key(tmp_path)
    editor_public = " ".join(editor.with_suffix(".pub").read_text().split()[:2])
    old = (root / "reviewers" / "roster-0001.yml").read_text(encoding="utf-8").split("signatures:")[0]
    new = root / "reviewers" / "roster-0002.yml"
    add_key = lambda text: re.sub(r"(valid_from: [0-9-]+\n)", rf"\1      - key: {editor_public}\n", text, count=1)  # noqa: E731
    new.write_text(add_key(old.replace("version: 1", "version: 2")), encoding="utf-8")
    assert editor_public in new.read_text(encoding="utf-8")
    refused = gongkai(root, "sign-roster", str(new), "--reviewer", "周立衡", "--key", str(editor))
    assert refused.returncode == 1 and "不能签署第 2 版" in refused.stderr
    # written by hand instead: a valid signature, by a key roster-0001 does not know
    from gongkai.review.signing.roster import parse_version

    version = parse_version(new, "reviewers/roster-0002.yml", 2, [])
    signer = load_signer(editor)
    signature = signer.sign(roster_statement(2, version.digest), ROSTER_NAMESPACE)
    new.write_text(new.read_text(encoding="utf-8") + f"signatures:\n  - key: {signer.public.fingerprint}\n    signature: {signature}\n", encoding="utf-8")
    item = write_canary(root, 9, "rosteredit")
    assert gongkai(root, "sign", str(item), "--reviewer", "周立衡", "--key", str(editor)).returncode == 1
    in_process_sign(root, item, editor, "周立衡", "2026-11-20")
    check = gongkai(root, "check", "--json")
    report = json.loads(check.stdout)
    assert check.returncode == 1 and any("第 2 版未生效" in p["message"] for p in report["problems"])
    assert [r["code"] for r in report["withheld"][0]["reasons"]] == ["key_not_in_roster"]
    build = gongkai(root, "build")
    assert build.returncode == 1 and not (root / "site").exists()
    # an edit of roster-0001 itself breaks its signatures: then no sign-off counts at all
    first = root / "reviewers" / "roster-0001.yml"
    new.unlink()
    first.write_text(add_key(first.read_text(encoding="utf-8")), encoding="utf-8")
    report = json.loads(gongkai(root, "check", "--json").stdout)
    assert report["published"] == 0 and any("所有签署均无效" in p["message"] for p in report["problems"])


def test_trust_root_from_the_build_host(tmp_path):
    root = make_project(tmp_path)
    sign(root, write_item(root, "2026-00620", "有信任根的构建"))
    fps = ",".join(load_signer(sample_key(n)).public.fingerprint for n in ("周立衡", "林书雅"))
    required = gongkai(root, "build", "--require-trust-root")
    assert required.returncode == 1 and "没有配置信任根" in required.stdout + required.stderr and not (root / "site").exists()
    assert gongkai(root, "check", "--require-trust-root").returncode == 1
    ok = gongkai(root, "build", "--require-trust-root", env={"GONGKAI_TRUST_ROOT": fps})
    assert ok.returncode == 0, ok.stderr
    assert fps.split(",")[0] in ok.stdout + ok.stderr
    manifest = json.loads((root / "reports" / "audit" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["trust"]["root_source"] == "环境变量 GONGKAI_TRUST_ROOT" and manifest["count"] == 1
    wrong = gongkai(root, "check", "--json", env={"GONGKAI_TRUST_ROOT": "SHA256:" + "B" * 43})
    assert json.loads(wrong.stdout)["published"] == 0


def test_sign_keeps_bom_and_crlf_and_uses_ssh_agent(tmp_path):
    root = make_project(tmp_path)
    path = write_item(root, "2026-00630", "带 BOM 和 CRLF 的条目")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    key = tmp_path / "agent_key"
    shutil.copy(sample_key("周立衡"), key)
    key.chmod(0o600)
    sock = tmp_path / "agent.sock"
    agent = subprocess.Popen(["ssh-agent", "-D", "-a", str(sock)], stdout=subprocess.DEVNULL)
    try:
        for _ in range(50):
            if sock.exists():
                break
            subprocess.run(["sleep", "0.1"])
        env = {**os.environ, "SSH_AUTH_SOCK": str(sock)}
        subprocess.run(["ssh-add", "-q", str(key)], check=True, env=env, capture_output=True)
        result = gongkai(root, "sign", str(path), "--reviewer", "周立衡", env={"SSH_AUTH_SOCK": str(sock)})
    finally:
        agent.terminate()
        agent.wait()
    assert result.returncode == 0, result.stderr
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"signature: " in data and data.count(b"\n") == data.count(b"\r\n")
    assert json.loads(gongkai(root, "check", "--json").stdout)["published"] == 1


def test_review_status_names_the_signature_problem(tmp_path):
    root = make_project(tmp_path)
    honest = write_item(root, "2026-00640", "已签署")
    sign(root, honest)
    init_repo(root)
    git(root, "switch", "-q", "-c", "change")
    replay = write_canary(root, 1, "statusreplay")
    with_block(replay, block_of(honest))
    commit(root, "copy a sign-off", date="2026-11-20")
    result = gongkai(root, "review-status", "--base", "main", "--json")
    report = json.loads(result.stdout)
    entry = next(i for i in report["items"] if i["path"].endswith("2026-00601.md"))
    assert result.returncode == 1 and "replayed" in entry["statuses"] and entry["blocking"]
    assert "复制" in entry["reasons"][0]
    text = gongkai(root, "review-status", "--base", "main").stdout
    assert "签署是从其他条目复制的" in text and "原因：签署是从条目 content/gzdt/2026-00640.md" in text


def test_review_status_shows_items_a_roster_change_unpublishes(tmp_path):
    root = make_project(tmp_path)
    item = write_item(root, "2026-00650", "林书雅签署的条目")
    sign(root, item, reviewer="林书雅")
    init_repo(root)
    git(root, "switch", "-q", "-c", "revoke")
    old = (root / "reviewers" / "roster-0001.yml").read_text(encoding="utf-8").split("signatures:")[0]
    lin = old.index("  - name: 林书雅")
    end = old.index("\n", old.index("valid_from", lin))
    new = root / "reviewers" / "roster-0002.yml"
    new.write_text(old[:end].replace("version: 1", "version: 2") + "\n        revoked: {date: 2026-01-01, reason: 私钥泄露, compromised: true}" + old[end:], encoding="utf-8")
    for name in ("周立衡", "顾海川"):
        assert gongkai(root, "sign-roster", str(new), "--reviewer", name, "--key", str(sample_key(name))).returncode == 0
    commit(root, "revoke 林书雅's key", date="2026-11-20")
    report = json.loads(gongkai(root, "review-status", "--base", "main", "--json").stdout)
    entry = next(i for i in report["items"] if i["path"] == "content/gzdt/2026-00650.md")
    assert entry["change"] == "affected" and "key_revoked" in entry["statuses"] and not report["ok"]
    assert "泄露" in entry["reasons"][0]
