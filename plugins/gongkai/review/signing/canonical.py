"""A digest of YAML data that does not depend on its layout, comments or key order."""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime


def _default(value):
    return value.isoformat() if isinstance(value, (date, datetime)) else str(value)


def data_digest(data) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=_default, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
