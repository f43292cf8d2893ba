"""Front matter in the plain shape gongkai new and gongkai sign write, read without PyYAML.

    plain_front_matter(text)  # (data, {field: line}) or None: PyYAML (yamlstrict) decides

Composing front matter with PyYAML (a node and two marks per scalar, the resolver called
from C) was most of what loading 10,000 items cost. This reader takes only lines it is sure
of and gives exactly what the strict loader would: `field: value` at the left margin; under
a field with no value, an indented block of `field: value` or of `- value`; values that are
one-line plain or quoted scalars, [a, b] lists and {k: v} maps. Plain scalars are typed by
PyYAML's own resolver and constructors (dates, numbers, yes/no, null). Anything else (tabs,
anchors, tags, block scalars, continued lines, duplicate fields, dates that do not exist,
odd characters) returns None, so every error is still reported by PyYAML with its wording.
"""
from __future__ import annotations

import re
from datetime import date

from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode

from gongkai.core.yamlstrict import StrictLoader

_SCALAR = r"""(?:"(?P<double>[^"\\]*)"|'(?P<single>(?:[^']|'')*)'|(?P<plain>[^,\[\]{}'"#:]*[^,\[\]{}'"#: ]))"""
_LIST_ENTRY = re.compile(rf" *{_SCALAR} *(?P<sep>,|$)")
_MAP_ENTRY = re.compile(rf" *(?P<key>[A-Za-z_][A-Za-z0-9_]*): +{_SCALAR} *(?P<sep>,|$)")
_DOUBLE = re.compile(r'"([^"\\]*)"')  # no escapes
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
_YMD = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_STR, _DATE = "tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"
_TYPED = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null")
_RESOLVERS = StrictLoader.yaml_implicit_resolvers  # the table the strict loader types plain scalars with
_INDICATORS = "-?:,[]{}#&*!|>'\"%@`"
# A plain scalar starting with none of these is text (when it holds no ": "): no resolver to try.
_SPECIAL = frozenset(_INDICATORS) | {c for c in _RESOLVERS if c}
_USABLE = not _RESOLVERS.get(None)  # a resolver for every first character would make every scalar special
_FIELD = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +(.*))?")
_CONSTRUCTOR = SafeConstructor()
_KEYS: set[str] = set()  # field names found to be text
_LINES: dict[str, tuple] = {}  # short `field: value` lines read before, with a value no one can change
_IMMUTABLE = (str, date, int, float, bool, type(None))
_SHORT: dict[str, object] = {}  # short plain scalars typed before (dates, yes/no, names of fields)
_LIMIT = 1 << 15  # entries in each of these (short lines): more than a project's distinct dates
_UNSURE = object()


class _Unsure(Exception):
    """Something this reader leaves to PyYAML."""


def _typed(text: str):
    tag = next((tag for tag, regexp in _RESOLVERS.get(text[0], []) if regexp.match(text)), _STR)
    if tag == _STR:
        return text
    if tag == _DATE and (ymd := _YMD.fullmatch(text)):
        try:
            return date(int(ymd[1]), int(ymd[2]), int(ymd[3]))
        except ValueError:
            return _UNSURE  # no such day: the strict loader says so, with the line
    if tag not in _TYPED:
        return _UNSURE
    try:
        return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, ScalarNode(tag, text))
    except Exception:
        return _UNSURE


def _plain(text: str):
    """A one-line plain scalar (no comment, no spaces around) as PyYAML types it."""
    if ": " in text or text.endswith(":"):
        raise _Unsure
    if text[0] not in _SPECIAL:
        return text
    if text[0] in _INDICATORS:
        raise _Unsure
    value = _SHORT.get(text, _UNSURE) if len(text) <= 12 else _UNSURE
    if value is _UNSURE:
        value = _typed(text)
        if len(text) <= 12:
            if len(_SHORT) > _LIMIT:
                _SHORT.clear()
            _SHORT[text] = value
        if value is _UNSURE:
            raise _Unsure
    return value


def _key(text: str) -> str:
    if text[0] in _SPECIAL and _plain(text) != text:  # `null:`, `on:`: no field names as text
        raise _Unsure
    return text


def _scalar(match: re.Match):
    """The value of a _SCALAR match: quoted as written, plain as PyYAML types it."""
    if match["double"] is not None:
        return match["double"]
    if match["single"] is not None:
        return match["single"].replace("''", "'")
    return _plain(match["plain"])


def _flow(inner: str, entry: re.Pattern) -> list[re.Match]:
    """The entries of a one-line [a, b] or {k: v, …} (inner: between the brackets)."""
    if not inner.strip(" "):
        return []
    found, at = [], 0
    while at < len(inner):
        match = entry.match(inner, at)
        if match is None or (match["sep"] == "," and match.end() == len(inner)):
            raise _Unsure  # not one of ours, or a trailing comma
        found.append(match)
        at = match.end()
    return found


def _flow_map(inner: str) -> dict:
    result = {}
    for match in _flow(inner, _MAP_ENTRY):
        key = _key(match["key"])
        if key in result:
            raise _Unsure
        result[key] = _scalar(match)
    return result


def _bare(text: str | None) -> str:
    """The value after `field:` or `- ` without its comment and the spaces around it."""
    if not text or text[0] == "#":
        return ""
    if " #" in text:
        text = text[:text.index(" #")]
    return text.rstrip(" ")


def _value(text: str):
    """The value of a bare one-line value."""
    if not text:
        return None
    first = text[0]
    if first == "[" and text[-1] == "]":
        return [_scalar(match) for match in _flow(text[1:-1], _LIST_ENTRY)]
    if first == "{" and text[-1] == "}":
        return _flow_map(text[1:-1])
    if first == '"' and (quoted := _DOUBLE.fullmatch(text)):
        return quoted[1]
    if first == "'" and (quoted := _SINGLE.fullmatch(text)):
        return quoted[1].replace("''", "'")
    return _plain(text)


def _field(line: str) -> tuple[str, str, object]:
    """(name, value as written without its comment, value) of a `field: value` line."""
    short = len(line) <= 64  # only short lines are kept: no hashing of long ones to look for them
    known = _LINES.get(line) if short else None
    if known is not None:
        return known if type(known[2]) is not tuple else (known[0], known[1], list(known[2]))
    found = _read_field(line)
    value = found[2]
    if short and (type(value) in _IMMUTABLE or (type(value) is list and all(type(v) in _IMMUTABLE for v in value))):
        # `catalog: gzdt`, `created: 2026-03-01`, `topics: [党的建设]`: seen again; a list is
        # kept as a tuple (no YAML value here is one) and each caller gets its own copy
        if len(_LINES) >= _LIMIT:
            _LINES.clear()
        _LINES[line] = found if type(value) is not list else (found[0], found[1], tuple(value))
    return found


def _read_field(line: str) -> tuple[str, str, object]:
    match = _FIELD.fullmatch(line)
    if match is None:
        raise _Unsure
    key, rest = match.groups()
    if key not in _KEYS:
        if len(_KEYS) > 1024:
            _KEYS.clear()
        _KEYS.add(_key(key))
    if rest and rest[0] not in _SPECIAL and rest[-1] not in ": " and ": " not in rest and " #" not in rest:
        return key, rest, rest  # plain text (the most of front matter): no resolver claims its first character
    bare = _bare(rest)
    return key, bare, _value(bare)


def _fields(texts: list[str]) -> dict:
    """`field: value` lines of one block map."""
    result = {}
    for text in texts:
        key, _, value = _field(text)
        if key in result:
            raise _Unsure
        result[key] = value
    return result


def _block(lines: list[tuple[int, str]]):
    """The value of a field written as an indented block ((indentation, text) of its lines): a map,
    or a list of values or of maps (`- file: a.pdf` with `title: …` under `file`)."""
    indent = lines[0][0]
    if not lines[0][1].startswith("-"):
        if any(i != indent for i, _ in lines):
            raise _Unsure
        return _fields([text for _, text in lines])
    items, at = [], 0
    while at < len(lines):
        i, text = lines[at]
        entry = text[2:].lstrip(" ")
        end = at + 1
        while end < len(lines) and lines[end][0] > indent:
            end += 1
        if i != indent or not text.startswith("- ") or entry.startswith("#"):
            raise _Unsure  # an empty entry (PyYAML's null) or a nested one
        if _FIELD.fullmatch(entry):
            column = indent + len(text) - len(entry)
            if any(i != column for i, _ in lines[at + 1:end]):
                raise _Unsure
            items.append(_fields([entry, *(t for _, t in lines[at + 1:end])]))
        elif end > at + 1:
            raise _Unsure  # a value continued on the next lines
        else:
            items.append(_value(_bare(entry)))
        at = end
    return items


def _read(text: str) -> tuple[dict, dict[str, int]]:
    data: dict = {}
    marks: dict[str, int] = {}
    key, bare, block = None, "", []
    for number, line in enumerate(text.split("\n")):
        if not line or line[0] == "#":
            continue
        if line[0] == " ":
            inner = line.lstrip(" ")
            if inner and inner[0] != "#":
                block.append((len(line) - len(inner), inner.rstrip(" ")))
            continue
        if block:
            if key is None or bare:
                raise _Unsure  # a value continued on the next lines, or a block after a value
            data[key], block = _block(block), []
        key, bare, value = _field(line)
        if key in data:
            raise _Unsure
        data[key], marks[key] = value, number + 1
    if block:
        if key is None or bare:
            raise _Unsure
        data[key] = _block(block)
    return data, marks


def plain_front_matter(text: str) -> tuple[dict, dict[str, int]] | None:
    """(data, 1-based line of each field) when text is plain front matter, else None."""
    # Printable only (no tab, no YAML line break \x85 or \u2028, no BOM; isprintable is
    # stricter than YAML, which is fine), and no & or *: the anchor check decides those.
    if not _USABLE or "&" in text or "*" in text or not text.replace("\n", "").isprintable():
        return None
    try:
        data, marks = _read(text)
    except Exception:  # _Unsure, or anything PyYAML's constructors refuse: PyYAML reports it
        return None
    return (data, marks) if data else None
