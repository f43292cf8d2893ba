"""A compiled structural check: the fast path for the common case, a valid item.

jsonschema walks the schema through generic validator objects for every item
(about 0.1 ms per field; ~1 s for 10,000 items). fastjsonschema compiles the same
schema into straight Python once. It is used only to answer "is this item valid?":
when it says yes, no structural problem exists; when it says no (or anything
goes wrong), schema.Validator asks jsonschema for the full list of problems, so the
messages editors see are always jsonschema's. It is never less strict than
jsonschema here: `date` is jsonschema's own rule (is_date, below) and patterns are
anchored with \\Z (stricter than $). jsonschema itself is imported only when an item
is not valid (its import was a tenth of a cold check's start-up).
"""
from __future__ import annotations

import re
from datetime import date
from typing import Callable

import fastjsonschema

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)  # jsonschema._format._RE_DATE
_DATES: dict[str, bool] = {}  # by the text: a project has a few thousand distinct dates
_DATES_LIMIT = 1 << 15


def is_date(value) -> bool:
    """jsonschema's `format: date` (FormatChecker().conforms(value, "date")): YYYY-MM-DD, a real day."""
    if not isinstance(value, str):
        return True
    known = _DATES.get(value)
    if known is None:
        try:
            known = bool(_DATE.fullmatch(value) and date.fromisoformat(value))
        except ValueError:
            known = False
        if len(_DATES) >= _DATES_LIMIT:
            _DATES.clear()
        _DATES[value] = known
    return known


def compile_fast(schema: dict) -> Callable[[dict], bool]:
    formats: dict[str, Callable] = {"date": is_date}
    check = fastjsonschema.compile(_enums_as_sets(schema, formats), formats=formats, use_default=False)

    def is_valid(data: dict) -> bool:
        try:
            check(data)
        except Exception:  # JsonSchemaException, or anything unexpected: let jsonschema decide
            return False
        return True

    return is_valid


def _enums_as_sets(node, formats: dict):
    """node with each `type: string` enum of strings turned into a custom format testing membership
    in a set: fastjsonschema writes an enum as an isinstance and a comparison per value (catalog
    codes, topics: most of its time per item). The same answer: the type check comes first and a
    format is only tested on strings."""
    if isinstance(node, list):
        return [_enums_as_sets(n, formats) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _enums_as_sets(v, formats) for k, v in node.items()}
    enum = node.get("enum")
    if node.get("type") == "string" and "format" not in node and isinstance(enum, list) and all(type(v) is str for v in enum):
        name = f"gongkai-enum-{len(formats)}"
        formats[name] = frozenset(enum).__contains__
        del out["enum"]
        out["format"] = name
    return out
