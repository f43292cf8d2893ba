"""The content digest that binds a confidentiality sign-off to exact content.

It covers the front matter without `review`, the body and every attachment's
bytes, so any change to what the public would see invalidates the sign-off.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from pathlib import Path

from gongkai.core.items import Item

PREFIX = "sha256:"


def _json_default(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _text_keys(value):
    if isinstance(value, dict):
        return {str(k): _text_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_text_keys(v) for v in value]
    return value


_digests: dict[tuple[str, int, int], str] = {}  # (path, mtime_ns, size) -> SHA-256 of the bytes


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, read and hashed once while its stamp is unchanged: a check
    asks for each attachment's (the sign-off digest, the sensitive-data scan's text cache)."""
    st = path.stat()
    key = (str(path), st.st_mtime_ns, st.st_size)
    digest = _digests.get(key)
    if digest is None:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        digest = _digests[key] = h.hexdigest()
    return digest


def remember_digest(stamp: tuple[str, int, int], digest: str) -> None:
    """What file_digest would find for a file with this (path, mtime_ns, size): a worker hashed it."""
    _digests[stamp] = digest


def file_sha256(path) -> str | None:
    try:
        return file_digest(Path(path))
    except (OSError, ValueError):  # missing, or a name no file can have (reported by core.schema)
        return None


# json.dumps(payload, sort_keys=True, ensure_ascii=False, default=_json_default, separators=(",", ":")).
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=_json_default, separators=(",", ":"))


def _reused_encoder():
    """_CANONICAL.encode as one C encoder made once: encode() makes a new one, and a dict of the
    containers it is inside, for every call (a third of the digests' time at 10,000 items). Without
    that dict a circular structure is not caught, and front matter has none (anchors are refused)."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # no C accelerator in this Python
        return _CANONICAL.encode
    encode = make(None, _json_default, json.encoder.encode_basestring, None, ":", ",", True, False, True)
    return lambda payload: "".join(encode(payload, 0))


_canonical = _reused_encoder()


def content_digest(item: Item) -> str:
    meta = {k: v for k, v in item.meta.items() if k != "review"}
    payload = {
        "meta": meta,
        "body": item.body.replace("\r\n", "\n").strip() + "\n",
        "attachments": [[a.file, file_sha256(a.path)] for a in item.attachments],
    }
    try:
        canonical = _canonical(payload)
    except TypeError:  # keys of mixed types (`0:` beside `id:`) cannot be sorted; such an item is invalid anyway
        canonical = _CANONICAL.encode(_text_keys(payload))
    return PREFIX + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
