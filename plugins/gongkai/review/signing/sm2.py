"""SM2 signatures with SM3 (GM/T 0003, GM/T 0004) for bureaus whose security office issues 国密 keys.

gmssl-pyx wraps GmSSL 3.2 (the reference implementation, C). Signatures use the standard's
default signer ID 1234567812345678 and are stored as the base64 of the DER (r, s) pair.
Public key in the roster: `sm2 <base64 of 04||x||y>`; fingerprint `SM3:<base64 of SM3(point)>`.
"""
from __future__ import annotations

import base64
import binascii

import gmssl_pyx

KIND = "sm2"
SIGNER_ID = b"1234567812345678"


class Sm2KeyError(ValueError):
    pass


def parse_public(text: str) -> bytes:
    parts = text.split()
    try:
        point = base64.b64decode(parts[1], validate=True)
        return b"\x04" + gmssl_pyx.normalize_sm2_public_key(point)
    except (IndexError, binascii.Error, gmssl_pyx.InvalidValueError):
        raise Sm2KeyError("SM2 公钥应写作「sm2 <base64 编码的 65 字节未压缩点>」，且须是曲线上的点") from None


def public_text(point: bytes) -> str:
    return f"{KIND} {base64.b64encode(point).decode()}"


def fingerprint(point: bytes) -> str:
    return "SM3:" + base64.b64encode(gmssl_pyx.sm3_hash(point)).decode().rstrip("=")


def _message(message: bytes, namespace: str) -> bytes:
    return namespace.encode("ascii") + b"\0" + message  # one key, several kinds of statement


def verify(point: bytes, message: bytes, signature: str, namespace: str) -> bool:
    try:
        der = base64.b64decode(signature, validate=True)
        return bool(gmssl_pyx.sm2_verify(point[1:], _message(message, namespace), der, signer_id=SIGNER_ID))
    except (binascii.Error, ValueError, gmssl_pyx.InvalidValueError, gmssl_pyx.GmsslInnerError):
        return False


def sign(private_key: bytes, point: bytes, message: bytes, namespace: str) -> str:
    der = gmssl_pyx.sm2_sign(private_key, point[1:], _message(message, namespace), signer_id=SIGNER_ID)
    return base64.b64encode(der).decode()


def generate() -> tuple[bytes, bytes]:
    """(private key, public point 04||x||y)."""
    public, private = gmssl_pyx.sm2_key_generate()
    return private, b"\x04" + public


def private_text(private_key: bytes, point: bytes) -> str:
    return f"# SM2 私钥（GM/T 0003），十六进制；不得提交到仓库（示例密钥除外）\nsm2-private {private_key.hex()}\n{public_text(point)}\n"


def parse_private(text: str) -> tuple[bytes, bytes]:
    fields = dict(line.split(None, 1) for line in text.splitlines() if line.strip() and not line.startswith("#"))
    try:
        return bytes.fromhex(fields["sm2-private"].strip()), parse_public(f"{KIND} {fields[KIND]}")
    except (KeyError, ValueError):
        raise Sm2KeyError("不是 gongkai 的 SM2 私钥文件（应有 sm2-private 和 sm2 两行）") from None
