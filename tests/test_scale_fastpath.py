"""The compiled fast path never calls an item valid that jsonschema would reject,
and `gongkai check` reports exactly what it reported before the fast path."""
from __future__ import annotations

import copy
from datetime import date

import jsonschema
import pytest

from gongkai.core.catalog import load_catalog
from gongkai.core.fastschema import compile_fast
from gongkai.core.items import Item
from gongkai.core.schema import Validator, schema_for
from gongkai.core.schema_check import jsonable as _jsonable

from scale_helpers import REPO

GOOD = {
    "id": "11999900MB1234567Q/2026-00001",
    "title": "关于加强农村公路养护的通知",
    "catalog": "gljy",
    "topics": ["公路建设与养护"],
    "doc_no": "澜交发〔2026〕3号",
    "doc_type": "通知",
    "created": date(2026, 3, 1),
    "published": date(2026, 3, 2),
    "disclosure": "主动公开",
    "validity": "有效",
    "summary": "部署农村公路养护工作。",
    "keywords": ["养护"],
    "attachments": [{"file": "a.pdf", "title": "附件"}],
    "review": {"reviewer": "周立衡", "date": date(2026, 3, 2), "decision": "同意公开", "digest": "sha256:" + "0" * 64},
}

# Each mutation makes one field structurally wrong in a different way.
MUTATIONS = [
    ("title", ""), ("title", "长" * 201), ("title", 12), ("catalog", "nope"), ("topics", []),
    ("topics", ["公路建设与养护", "公路建设与养护"]), ("topics", ["不存在"]), ("topics", "公路建设与养护"),
    ("doc_no", "澜交发[2026]3号"), ("doc_no", "澜交发〔2026〕3号\n"), ("doc_type", "函件"), ("created", "2026-02-30"),
    ("created", "2026-3-1"), ("published", "2026-03-02T10:00:00"), ("disclosure", "公开"), ("validity", None),
    ("summary", ""), ("keywords", [""]), ("keywords", [1]), ("slug", "Bad Slug"), ("replaced_by", 5), ("extra", "x"),
    ("attachments", [{"file": "a.pdf"}]), ("attachments", [{"file": "a.pdf", "title": "t", "size": 1}]),
    ("review", {"reviewer": "周立衡"}), ("review", {**GOOD["review"], "digest": "sha256:abc"}),
    ("review", {**GOOD["review"], "decision": "可以"}), ("review", {**GOOD["review"], "date": "昨天"}), ("id", None),
]


@pytest.fixture(scope="module")
def schema():
    catalog = load_catalog(REPO / "catalog.yml", REPO)
    return catalog, schema_for(catalog)


def test_fast_path_agrees_with_jsonschema(schema):
    _, s = schema
    fast = compile_fast(s)
    full = jsonschema.Draft202012Validator(s, format_checker=jsonschema.FormatChecker())
    assert fast(_jsonable(GOOD)) and full.is_valid(_jsonable(GOOD))
    for field, value in MUTATIONS:
        meta = copy.deepcopy(GOOD)
        meta[field] = value
        data = _jsonable(meta)
        if not full.is_valid(data):
            assert not fast(data), f"fast path accepted an invalid {field}={value!r}"
    # Stricter is allowed (jsonschema then decides): `$` accepts a trailing newline, \Z does not.
    meta = {**copy.deepcopy(GOOD), "doc_no": "澜交发〔2026〕3号\n"}
    assert full.is_valid(_jsonable(meta)) and not fast(_jsonable(meta))
    for field in ("id", "title", "summary", "topics"):
        meta = copy.deepcopy(GOOD)
        del meta[field]
        assert not fast(_jsonable(meta))


def test_invalid_items_still_get_jsonschema_messages(schema, tmp_path):
    catalog, _ = schema
    validator = Validator(catalog)
    meta = copy.deepcopy(GOOD)
    meta["created"] = "2026-02-30"
    meta["topics"] = ["不存在"]
    item = Item(path=tmp_path / "x.md", rel="content/x.md", meta=meta, body="", lines={"created": 8, "topics": 5})
    problems = validator.structure(item)
    assert {(p.field, p.message) for p in problems} == {
        ("created", "「2026-02-30」不是有效的日期"),
        ("topics[1]", "「不存在」不在允许的取值中"),
    }
    item.meta = copy.deepcopy(GOOD)
    assert validator.structure(item) == []
    item.meta["doc_no"] = "澜交发〔2026〕3号\n"  # fast path says no, jsonschema says fine: still no problem
    assert validator.structure(item) == []


@pytest.mark.parametrize("value", ["!!str {a: 1}", "!!str [1, 2]"])
def test_quick_front_matter_leaves_odd_tags_to_pyyaml(tmp_path, value):
    """A collection tagged !!str is a YAML error for PyYAML, so it must be for the quick path too."""
    from gongkai.core.items import parse_item

    path = tmp_path / "a.md"
    path.write_text(f"---\ntitle: {value}\n---\n正文\n", encoding="utf-8")
    item = parse_item(path, tmp_path)
    assert [(p.line, "YAML" in p.message) for p in item.parse_problems] == [(2, True)]


def test_fast_date_rule_is_jsonschemas_for_any_text():
    from gongkai.core.fastschema import is_date

    checker = jsonschema.FormatChecker()
    values = ["2026-03-01", "2026-02-30", "2024-02-29", "2023-02-29", "2026-3-01", "2026-03-01\n", " 2026-03-01",
              "２０２６-03-01", "٢٠٢٦-03-01", "0000-01-01", "0001-01-01", "9999-12-31", "2026-13-01", "2026-00-10",
              "2026-01-00", "2026/03/01", "2026-03-01T10:00", "", "abcd-ef-gh", None, 5, date(2026, 3, 1)]
    for value in values * 2:  # the second time from the memo
        assert is_date(value) == checker.conforms(value, "date"), value


def test_a_check_of_valid_items_imports_neither_jsonschema_nor_markdown(tmp_path):
    """jsonschema explains invalid items only, Markdown renders only bodies with HTML or odd links;
    importing them was a third of a cold check's start-up."""
    import subprocess
    import sys

    code = ("import sys; from pathlib import Path; from gongkai.project import load_state; "
            f"state = load_state(Path({str(REPO)!r})); assert not state.errors, state.errors[:1]; "
            "print('jsonschema' in sys.modules, 'markdown' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"
