"""Any YAML data against JSON Schema data, every error worded in plain Chinese.

Used for items (core/schema.py), the request register and the annual-report input
(compliance/). The schema data carries, beside standard JSON Schema:

    x-label: 中文名                   what the field is called in messages
    x-fix: 怎么改，可用 {names}        how to fix it; {names} come from the caller's values
    x-messages: {enum: …, "*": …}    a message per JSON Schema keyword ("*": any keyword)
    x-fixes: {dependentRequired: …}  a fix per keyword, where the field's x-fix does not fit
    x-enum-from: NAME                enum: the list the caller supplies as NAME
    x-from: {maximum: NAME, x-label: NAME}        any keyword from a supplied value
    x-properties-from: NAME, x-each: {schema}     one property per supplied key (label = value)

    default: {}                      an absent object counts as empty, so its own required fields are named

Messages and fixes may use {value}, {key}, {label}, {parent_label} and {limit}.
Lists that belong to another file are filled in at load time, never copied here.
A field written with no value (`channel:`) is reported once, as missing.
"""
from __future__ import annotations

import copy
import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Callable

import yaml

from gongkai.core.fastschema import compile_fast
from gongkai.core.problems import Problem
from gongkai.core.yamlstrict import StrictLoader, compose_checked

if TYPE_CHECKING:
    import jsonschema

FieldPath = tuple  # a path into the data: keys (str) and 0-based list positions (int)
LineOf = Callable[[FieldPath], "int | None"]

MISSING = ("required", "dependentRequired", "empty")  # kinds of error where a field has no value
TYPE_NAMES = {"string": "文字", "array": "列表", "object": "键值映射", "integer": "整数", "number": "数字", "boolean": "是或否", "null": "空"}
GENERIC = {
    "required": "缺少此必填字段",
    "empty": "没有填写",
    "dependentRequired": "缺少此字段",
    "enum": "「{value}」不在允许的取值中",
    "minLength": "不能为空",
    "minItems": "不能为空",
    "maxLength": "太长了（{length} 字，最多 {limit} 字）",
    "uniqueItems": "有重复的值",
    "format": "「{value}」不是有效的日期",
    "pattern": "「{value}」格式不对",
    "minimum": "「{value}」不能小于 {limit}",
    "maximum": "「{value}」不能大于 {limit}",
}


# -- schema data ----------------------------------------------------------------
def fill_sources(schema: dict, sources: dict) -> dict:
    """A copy of schema with every x-…-from filled in from sources (lists, {key: label} maps or numbers)."""

    def fill(node):
        if isinstance(node, dict):
            if "x-enum-from" in node:
                node["enum"] = list(sources[node["x-enum-from"]])
            for keyword, name in (node.get("x-from") or {}).items():
                value = sources[name]
                node[keyword] = list(value) if isinstance(value, (list, dict)) else value
            if "x-properties-from" in node:
                labels = sources[node["x-properties-from"]]
                labels = labels if isinstance(labels, dict) else {k: k for k in labels}
                template = node.pop("x-each", {})
                node["properties"] = {key: {**copy.deepcopy(template), "x-label": label} for key, label in labels.items()}
            for value in node.values():
                fill(value)
        elif isinstance(node, list):
            for value in node:
                fill(value)

    filled = copy.deepcopy(schema)
    fill(filled)
    return filled


def joined(sources: dict) -> dict:
    """Values for x-fix texts: lists joined with 、."""
    return {k: "、".join(map(str, v)) if isinstance(v, (list, tuple, dict)) else v for k, v in sources.items()}


def jsonable(value):
    """Dates as ISO strings, so `format: date` applies to both quoted and bare dates."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:  # most values, without the checks below
        return value
    if kind is dict:
        return {k if type(k) is str else str(k): v if type(v) is str else jsonable(v) for k, v in value.items()}
    if kind is list:
        return [v if type(v) is str else jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()  # has a time part: fails `format: date`, as it should
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value


def with_defaults(schema: dict, data):
    """data with each absent property that has a `default` filled in (so its own required fields are reported)."""
    if not isinstance(data, dict):
        return data
    out = dict(data)
    for key, sub in (schema.get("properties") or {}).items():
        if key not in out and "default" in sub:
            out[key] = copy.deepcopy(sub["default"])
        if key in out:
            out[key] = with_defaults(sub, out[key])
    return out


def _has_defaults(node) -> bool:
    if isinstance(node, dict):
        return "default" in node or any(_has_defaults(v) for v in node.values())
    return isinstance(node, list) and any(_has_defaults(v) for v in node)


# -- YAML with line marks ---------------------------------------------------------
def read_yaml_with_lines(text: str):
    """(data, node) of one YAML document, duplicate keys refused; raises yaml.YAMLError."""
    loader = StrictLoader(text)
    try:
        node = compose_checked(loader)
        return (loader.construct_document(node) if node is not None else None), node
    finally:
        loader.dispose()


def line_marks(node) -> dict[FieldPath, int]:
    """1-based line of every key and list entry under node, by path; () is node's own line."""
    marks = {(): node.start_mark.line + 1}

    def walk(node, path):
        if isinstance(node, yaml.MappingNode):
            children = [(str(k.value), k, v) for k, v in node.value]
        elif isinstance(node, yaml.SequenceNode):
            children = [(i, v, v) for i, v in enumerate(node.value)]
        else:
            return
        for name, mark_node, value in children:
            marks[path + (name,)] = mark_node.start_mark.line + 1
            walk(value, path + (name,))

    walk(node, ())
    return marks


def nearest_line(marks: dict[FieldPath, int], path: FieldPath) -> int | None:
    """The line of path, or of the nearest enclosing field that has one (an absent field: its parent)."""
    path = tuple(path)
    while path not in marks and path:
        path = path[:-1]
    return marks.get(path)


def field_line(marks: dict[FieldPath, int], text: str) -> int:
    """The line of a field named as field_text names it ("sensitive.allow[2].reviewer"); a missing one: its parent's."""
    return nearest_line(marks, field_path(text)) or 1


def field_text(path: FieldPath, prefix: str = "") -> str:
    """("attachments", 0, "file") -> attachments[1].file; with prefix "[2]": [2].attachments[1].file."""
    text = prefix
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


_PART = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def field_path(text: str) -> tuple:
    """The inverse of field_text: "attachments[1].file" -> ("attachments", 0, "file")."""
    return tuple(int(n) - 1 if n else name for n, name in _PART.findall(text))


# -- checking -----------------------------------------------------------------------
class SchemaCheck:
    """One schema, built once; problems() for each document or entry."""

    def __init__(self, schema: dict, fix_values: dict | None = None, fast: bool = False):
        self.schema = schema
        self.fix_values = fix_values or {}
        self._full = None  # jsonschema's validator, made when first needed (valid data never needs it)
        self._is_valid = compile_fast(schema) if fast else None  # fast path for valid data; jsonschema explains the rest
        self._defaults = _has_defaults(schema)

    @property
    def _validator(self) -> "jsonschema.Draft202012Validator":
        if self._full is None:
            import jsonschema

            self._full = jsonschema.Draft202012Validator(self.schema, format_checker=jsonschema.FormatChecker())
        return self._full

    def problems(self, data, rel: str, line_of: LineOf, prefix: str = "") -> list[Problem]:
        """Every structural problem of data, sorted by field; line_of(path) gives each one's line."""
        data = jsonable(data)
        if self._is_valid is not None and self._is_valid(data):
            return []
        if self._defaults:
            data = with_defaults(self.schema, data)
        out: list[Problem] = []
        for error in sorted(self._validator.iter_errors(data), key=lambda e: [str(p) for p in e.path]):
            path = tuple(error.path)
            if error.validator == "additionalProperties" and isinstance(error.instance, dict):
                known = error.schema.get("properties", {})
                for key in sorted(set(error.instance) - set(known)):
                    out.append(Problem(rel, field_text(path + (key,), prefix), "不认识这个字段", f"检查拼写或删除它；可用字段：{'、'.join(known)}", line=line_of(path + (key,))))
                continue
            if error.validator in ("required", "dependentRequired"):
                key = error.message.split("'")[1]  # "'name' is a required property" / "is a dependency of"
                if path and "x-label" not in self.nodes_along(path + (key,))[-1]:
                    # A subfield without a name of its own is named through its parent: changelog[2] lacks note.
                    out.append(Problem(rel, field_text(path, prefix), f"缺少必填项「{key}」", self._fix(self.nodes_along(path), {}), line=line_of(path)))
                    continue
                path += (key,)
            elif error.instance is None and any(p.field == field_text(path, prefix) for p in out):
                continue  # an empty value: said once, as missing
            message, fix = self._words(error, path)
            out.append(Problem(rel, field_text(path, prefix), message, fix, line=line_of(path)))
        return out

    def nodes_along(self, path: FieldPath) -> list[dict]:
        """The schema node of each step of path (the root first)."""
        node, nodes = self.schema, [self.schema]
        for part in path:
            if isinstance(part, int):
                node = node.get("items") or {}
            else:
                extra = node.get("additionalProperties")
                node = (node.get("properties") or {}).get(part) or (extra if isinstance(extra, dict) else {})
            nodes.append(node)
        return nodes

    def _words(self, error: jsonschema.ValidationError, path: FieldPath) -> tuple[str, str]:
        """(message, fix) for one error at path."""
        nodes = self.nodes_along(path)
        kind = error.validator
        value = None if kind in ("required", "dependentRequired") else error.instance
        if value is None and kind not in ("required", "dependentRequired"):
            kind = "empty"  # `field:` with nothing after it reads as a missing field
        texts = {
            **self.fix_values,
            "value": "未填写" if value is None else value,
            "key": path[-1] if path else "",
            "label": nodes[-1].get("x-label", path[-1] if path else ""),
            "parent_label": nodes[-2].get("x-label", path[-2] if len(path) > 1 else "") if len(nodes) > 1 else "",
            "limit": error.validator_value,
            "length": len(value) if isinstance(value, str) else "",
        }
        return self._message(error, kind, nodes).format(**texts), self._fix(nodes, texts, kind)

    def _message(self, error: jsonschema.ValidationError, kind: str, nodes: list[dict]) -> str:
        own = nodes[-1].get("x-messages") or {}
        candidates = [own.get(kind)]
        if kind in MISSING and len(nodes) > 1:  # the object that lacks a field may say how to word it
            above = nodes[-2].get("x-messages") or {}
            candidates += [above.get(kind), above.get("required")]
        candidates += [own.get("*"), GENERIC.get(kind)]
        return next((c for c in candidates if c), None) or self._type_message(error)

    def _fix(self, nodes: list[dict], texts: dict, kind: str = "") -> str:
        """The fix for this kind of error, or else the most specific x-fix along the path."""
        fixes = [(nodes[-1].get("x-fixes") or {}).get(kind)]
        if kind in MISSING and len(nodes) > 1:
            fixes.append((nodes[-2].get("x-fixes") or {}).get(kind))
        fix = next((f for f in fixes if f), None) or next((n["x-fix"] for n in reversed(nodes) if "x-fix" in n), "")
        return fix.format(**{**self.fix_values, **texts})

    @staticmethod
    def _type_message(error: jsonschema.ValidationError) -> str:
        if error.validator != "type":
            return error.message.replace("{", "{{").replace("}", "}}")
        want = error.validator_value
        want = "或".join(TYPE_NAMES.get(w, w) for w in want) if isinstance(want, list) else TYPE_NAMES.get(want, want)
        return f"应当是{want}，现在是「{{value}}」"
