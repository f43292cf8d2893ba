"""core.schema_check: any JSON Schema data and any YAML text give Chinese problems with file, line, field and fix."""
from __future__ import annotations

from gongkai.core.schema_check import SchemaCheck, field_text, fill_sources, joined, line_marks, nearest_line, read_yaml_with_lines

SCHEMA = {
    "type": "object",
    "x-messages": {"required": "缺少{label}"},
    "required": ["name", "colour"],
    "additionalProperties": False,
    "properties": {
        "name": {"x-label": "名称", "x-fix": "填写名称", "type": "string", "minLength": 1},
        "colour": {"x-label": "颜色", "x-fix": "可选：{colours}", "type": "string", "x-enum-from": "colours",
                   "x-messages": {"enum": "「{value}」不是可用的颜色"}},
        "counts": {"type": "object", "default": {}, "additionalProperties": False,
                   "x-properties-from": "rooms", "x-from": {"required": "rooms"},
                   "x-each": {"type": "integer", "x-messages": {"*": "“{label}”的数量未填写或无效"}, "x-fix": "填写整数"}},
    },
}
SOURCES = {"colours": ["红", "蓝"], "rooms": {"a": "甲室", "b": "乙室"}}


def check(text: str, prefix: str = ""):
    data, node = read_yaml_with_lines(text)
    marks = line_marks(node)
    schema = SchemaCheck(fill_sources(SCHEMA, SOURCES), joined(SOURCES))
    return [(p.line, p.field, p.message, p.fix) for p in schema.problems(data, "x.yml", lambda path: nearest_line(marks, path), prefix)]


def test_values_are_filled_in_from_elsewhere_not_copied():
    filled = fill_sources(SCHEMA, SOURCES)
    assert filled["properties"]["colour"]["enum"] == ["红", "蓝"]
    assert filled["properties"]["counts"]["required"] == ["a", "b"]
    assert filled["properties"]["counts"]["properties"]["b"]["x-label"] == "乙室"
    assert "enum" not in SCHEMA["properties"]["colour"]  # the schema data itself is untouched


def test_every_kind_of_error_in_chinese_with_line_and_fix():
    got = check("name: 5\ncolour: 绿\nshape: 圆\ncounts:\n  a: 1.5\n")
    assert got == [  # by field, as jsonschema reports them
        (3, "shape", "不认识这个字段", "检查拼写或删除它；可用字段：name、colour、counts"),
        (2, "colour", "「绿」不是可用的颜色", "可选：红、蓝"),
        (4, "counts.b", "“乙室”的数量未填写或无效", "填写整数"),  # absent: its parent's line
        (5, "counts.a", "“甲室”的数量未填写或无效", "填写整数"),
        (1, "name", "应当是文字，现在是「5」", "填写名称"),
    ]


def test_missing_and_empty_fields_are_said_once_as_missing():
    got = check("# 说明\nname:\ncounts: {a: 1, b: 2}\n", prefix="[3]")
    assert got == [(2, "[3].colour", "缺少颜色", "可选：红、蓝"), (2, "[3].name", "缺少名称", "填写名称")]


def test_field_text_names_list_entries_from_one():
    assert field_text(("attachments", 0, "file")) == "attachments[1].file"
    assert field_text(("extension", "workdays"), "[2]") == "[2].extension.workdays" and field_text((), "[2]") == "[2]"
