"""One small interface over both schemes: public keys from the roster, signers for `gongkai sign`.

    key = parse_key("ssh-ed25519 AAAA…")       # or "sm2 BC1…"
    key.verify(message, signature, namespace)  # in-process: cryptography / gmssl-pyx
    signer = load_signer(path) or agent_signer(fingerprints)
    signature = signer.sign(message, namespace)
"""
from __future__ import annotations

import base64
import getpass
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from gongkai.review.signing import sm2, sshsig
from gongkai.review.signing.wire import Reader


class KeyProblem(ValueError):
    """A key that cannot be used, with a Chinese explanation."""


@dataclass(frozen=True)
class PublicKey:
    kind: str  # ssh key type, or "sm2"
    blob: bytes  # SSH wire blob, or the SM2 point
    fingerprint: str

    @property
    def scheme(self) -> str:
        return "sm2" if self.kind == sm2.KIND else "ssh"

    @property
    def text(self) -> str:
        if self.scheme == "sm2":
            return sm2.public_text(self.blob)
        return f"{self.kind} {base64.b64encode(self.blob).decode()}"

    def verify(self, message: bytes, signature: str, namespace: str) -> bool:
        if self.scheme == "sm2":
            return sm2.verify(self.blob, message, signature, namespace)
        return sshsig.verify(self.blob, message, signature, namespace)


def parse_key(text: str) -> PublicKey:
    text = str(text).strip()
    try:
        if text.startswith(sm2.KIND + " "):
            point = sm2.parse_public(text)
            return PublicKey(sm2.KIND, point, sm2.fingerprint(point))
        kind, blob = sshsig.parse_public(text)
    except (sm2.Sm2KeyError, sshsig.SshKeyError) as exc:
        raise KeyProblem(str(exc)) from None
    return PublicKey(kind, blob, sshsig.fingerprint(blob))


class Signer:
    public: PublicKey

    def sign(self, message: bytes, namespace: str) -> str:
        raise NotImplementedError


class SoftwareSigner(Signer):
    """An ed25519 or ECDSA private key held in a file (cryptography object)."""

    def __init__(self, private_key, public: PublicKey):
        self.private_key, self.public = private_key, public

    def sign(self, message: bytes, namespace: str) -> str:
        raw = sshsig.raw_signature(self.private_key, self.public.kind, sshsig.signed_data(message, namespace))
        return sshsig.encode(self.public.blob, namespace, raw)


class TokenSigner(Signer):
    """A FIDO security key (sk-…): only the token can sign, through ssh-keygen (signing only;
    verifying never needs ssh-keygen)."""

    def __init__(self, path: Path, public: PublicKey):
        self.path, self.public = path, public

    def sign(self, message: bytes, namespace: str) -> str:
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "statement"
            data.write_bytes(message)
            run = subprocess.run(["ssh-keygen", "-Y", "sign", "-f", str(self.path), "-n", namespace, str(data)], capture_output=True, text=True)
            sig = data.with_name("statement.sig")
            if run.returncode != 0 or not sig.is_file():
                raise KeyProblem(f"安全密钥签名失败（请插入安全密钥并触摸确认）：{run.stderr.strip()}")
            return base64.b64encode(sshsig.decode(sig.read_text())).decode()


class AgentSigner(Signer):
    """A key held by ssh-agent (SSH_AUTH_SOCK), through paramiko's agent client."""

    def __init__(self, agent_key, public: PublicKey):
        self.agent_key, self.public = agent_key, public

    def sign(self, message: bytes, namespace: str) -> str:
        raw = self.agent_key.sign_ssh_data(sshsig.signed_data(message, namespace))
        return sshsig.encode(self.public.blob, namespace, bytes(raw))


class Sm2Signer(Signer):
    def __init__(self, private_key: bytes, point: bytes):
        self.private_key = private_key
        self.public = PublicKey(sm2.KIND, point, sm2.fingerprint(point))

    def sign(self, message: bytes, namespace: str) -> str:
        return sm2.sign(self.private_key, self.public.blob, message, namespace)


def load_signer(path: Path) -> Signer:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyProblem(f"无法读取私钥文件 {path}：{exc}") from None
    if "sm2-private" in text:
        try:
            return Sm2Signer(*sm2.parse_private(text))
        except sm2.Sm2KeyError as exc:
            raise KeyProblem(f"{path}：{exc}") from None
    return _ssh_signer(path, text)


def _ssh_signer(path: Path, text: str) -> Signer:
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.serialization import load_ssh_private_key

    pub_path = path.with_name(path.name + ".pub")
    public = parse_key(pub_path.read_text(encoding="utf-8")) if pub_path.is_file() else None
    if public is not None and public.kind.startswith("sk-"):
        return TokenSigner(path, public)
    password = None
    for _ in range(2):
        try:
            private_key = load_ssh_private_key(text.encode(), password)
            break
        except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
            encrypted = "password" in str(exc).lower()
            if encrypted and password is None and not os.isatty(0):
                raise KeyProblem(f"私钥 {path} 有口令：请在终端中运行（会提示输入口令），或先 ssh-add 把它加入 ssh-agent 后不带 --key 签署") from None
            if not encrypted or password is not None:
                raise KeyProblem(f"{path} 不是可用的 OpenSSH 私钥（支持 ed25519、ECDSA；安全密钥须有同名 .pub 文件）：{exc}") from None
            password = getpass.getpass(f"私钥 {path} 的口令：").encode()
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    public = parse_key(private_key.public_key().public_bytes(Encoding.OpenSSH, PublicFormat.OpenSSH).decode())
    return SoftwareSigner(private_key, public)


def agent_signer(fingerprints: set[str]) -> Signer | None:
    """The first key in ssh-agent whose fingerprint is one of fingerprints."""
    if not os.environ.get("SSH_AUTH_SOCK"):
        return None
    from paramiko.agent import Agent
    from paramiko.ssh_exception import SSHException

    try:
        agent = Agent()
        keys = agent.get_keys()
    except (SSHException, OSError):
        return None
    for agent_key in keys:
        blob = agent_key.asbytes()
        if sshsig.fingerprint(blob) in fingerprints:
            return AgentSigner(agent_key, PublicKey(Reader(blob).text(), blob, sshsig.fingerprint(blob)))
    return None
