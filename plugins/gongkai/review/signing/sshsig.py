"""SSH signatures (the SSHSIG format of `ssh-keygen -Y sign` and git), verified in-process.

Key types: ssh-ed25519, ecdsa-sha2-nistp256/384/521, and the FIDO security-key types
sk-ssh-ed25519@openssh.com and sk-ecdsa-sha2-nistp256@openssh.com. For a security key the
token signs sha256(application) || flags || counter || sha256(data) (OpenSSH PROTOCOL.u2f),
and a signature only counts when the token saw the user (flag 0x01).
Format: https://github.com/openssh/openssh-portable/blob/master/PROTOCOL.sshsig
"""
from __future__ import annotations

import base64
import binascii
import functools
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from gongkai.review.signing.wire import Reader, WireError, mpint, string, uint32

MAGIC = b"SSHSIG"
HASH = "sha512"
ARMOR_BEGIN, ARMOR_END = "-----BEGIN SSH SIGNATURE-----", "-----END SSH SIGNATURE-----"
ED25519, SK_ED25519 = "ssh-ed25519", "sk-ssh-ed25519@openssh.com"
SK_ECDSA = "sk-ecdsa-sha2-nistp256@openssh.com"
CURVES = {"nistp256": (ec.SECP256R1(), hashes.SHA256()), "nistp384": (ec.SECP384R1(), hashes.SHA384()), "nistp521": (ec.SECP521R1(), hashes.SHA512())}
KINDS = (ED25519, SK_ED25519, SK_ECDSA, *(f"ecdsa-sha2-{c}" for c in CURVES))
USER_PRESENT = 0x01


class SshKeyError(ValueError):
    pass


def parse_public(text: str) -> tuple[str, bytes]:
    """'ssh-ed25519 AAAA… comment' -> (key type, wire blob); SshKeyError if not a supported key."""
    parts = text.split()
    if len(parts) < 2 or parts[0] not in KINDS:
        raise SshKeyError(f"不支持的公钥类型「{parts[0] if parts else ''}」，可用：{'、'.join(KINDS)}")
    try:
        blob = base64.b64decode(parts[1], validate=True)
        kind = Reader(blob).text()
        _verifier(blob)  # the key material itself must load
    except (binascii.Error, WireError, ValueError) as exc:
        raise SshKeyError(f"公钥数据无法解析（{exc}）") from None
    if kind != parts[0]:
        raise SshKeyError(f"公钥类型「{parts[0]}」与公钥数据中的「{kind}」不一致")
    return kind, blob


def fingerprint(blob: bytes) -> str:
    """As `ssh-keygen -l` prints it."""
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


def signed_data(message: bytes, namespace: str) -> bytes:
    digest = hashlib.sha512(message).digest()
    return MAGIC + string(namespace) + string(b"") + string(HASH) + string(digest)


@functools.lru_cache(maxsize=64)  # a roster has a few keys; each signs thousands of items
def _verifier(blob: bytes):
    """(key type, public key object, sk application or None) from a public key blob."""
    r = Reader(blob)
    kind = r.text()
    if kind in (ED25519, SK_ED25519):
        key = ed25519.Ed25519PublicKey.from_public_bytes(r.string())
    elif kind.startswith("ecdsa-sha2-") or kind == SK_ECDSA:
        curve = r.text()
        if curve not in CURVES or (kind != SK_ECDSA and kind != f"ecdsa-sha2-{curve}"):
            raise WireError(f"曲线「{curve}」与类型不符")
        key = ec.EllipticCurvePublicKey.from_encoded_point(CURVES[curve][0], r.string())
    else:
        raise WireError(f"不支持的类型「{kind}」")
    application = r.string() if kind.startswith("sk-") else None
    if not r.done():
        raise WireError("公钥数据后有多余字节")
    return kind, key, application


def _check(kind: str, key, application: bytes | None, raw_signature: bytes, data: bytes) -> bool:
    r = Reader(raw_signature)
    if r.text() != kind:
        return False
    sig = r.string()
    if application is not None:  # a security key signed what the token saw, not data itself
        flags, counter = r.byte(), r.uint32()
        if not flags & USER_PRESENT:
            return False
        data = hashlib.sha256(application).digest() + bytes([flags]) + uint32(counter) + hashlib.sha256(data).digest()
    if not r.done():
        return False
    if isinstance(key, ed25519.Ed25519PublicKey):
        key.verify(sig, data)
        return True
    rs = Reader(sig)
    der = encode_dss_signature(rs.mpint(), rs.mpint())
    curve_hash = hashes.SHA256() if application is not None else CURVES[key.curve.name.replace("secp", "nistp").replace("r1", "")][1]
    key.verify(der, data, ec.ECDSA(curve_hash))
    return True


def verify(key_blob: bytes, message: bytes, signature: str, namespace: str) -> bool:
    """Whether signature (armored, or the base64 of the SSHSIG blob) is key_blob's over message."""
    try:
        r = Reader(decode(signature))
        if r.take(6) != MAGIC or r.uint32() != 1:
            return False
        signer, ns = r.string(), r.text()
        r.string()  # reserved
        hash_alg, raw = r.text(), r.string()
        if signer != key_blob or ns != namespace or hash_alg != HASH or not r.done():
            return False
        kind, key, application = _verifier(key_blob)
        return _check(kind, key, application, raw, signed_data(message, namespace))
    except (InvalidSignature, WireError, ValueError, binascii.Error):
        return False


def decode(signature: str) -> bytes:
    body = signature.strip()
    if body.startswith(ARMOR_BEGIN):
        body = body[len(ARMOR_BEGIN):].split(ARMOR_END)[0]
    return base64.b64decode("".join(body.split()), validate=True)


def encode(key_blob: bytes, namespace: str, raw_signature: bytes) -> str:
    """The SSHSIG blob as one base64 line (what `ssh-keygen -Y sign` armors)."""
    blob = MAGIC + uint32(1) + string(key_blob) + string(namespace) + string(b"") + string(HASH) + string(raw_signature)
    return base64.b64encode(blob).decode("ascii")


def armor(signature: str) -> str:
    body = signature.strip()
    return "\n".join([ARMOR_BEGIN, *(body[i:i + 70] for i in range(0, len(body), 70)), ARMOR_END]) + "\n"


def raw_signature(private_key, kind: str, data: bytes) -> bytes:
    """string(type) string(signature) for a software key (cryptography object)."""
    if isinstance(private_key, ed25519.Ed25519PrivateKey):
        return string(kind) + string(private_key.sign(data))
    curve = kind.rsplit("-", 1)[1]
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    # RFC 6979: the same statement gives the same signature, so re-signing unchanged content changes no byte
    r_, s_ = decode_dss_signature(private_key.sign(data, ec.ECDSA(CURVES[curve][1], deterministic_signing=True)))
    return string(kind) + string(mpint(r_) + mpint(s_))
