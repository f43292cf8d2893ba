"""Hostile or careless front matter through `gongkai check`: anchors, sizes, YAML mistakes in Chinese."""
from __future__ import annotations

import time

import pytest

from input_helpers import item_text, problems_of, run, sample_project, write


@pytest.fixture
def root(tmp_path):
    return sample_project(tmp_path / "proj", [])


def test_nested_aliases_are_refused_before_they_expand(root):
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    write(root, "gzdt/bomb.md", "---\n" + "\n".join(levels) + "\n---\n正文\n")
    write(root, "gzdt/alias.md", item_text("2026-00002", "keywords: &k [a]\nformer_slugs: *k\n"))
    start = time.monotonic()
    code, out = run(root, "check")
    assert time.monotonic() - start < 10  # unexpanded it took over 120 s and 5.9 GB
    assert code == 1
    assert "content/gzdt/bomb.md:2: 使用了 YAML 锚点或别名（& 或 *）" in out
    assert "content/gzdt/alias.md:11: 使用了 YAML 锚点或别名" in out  # the anchor's line
    assert "Traceback" not in out


def test_ampersand_and_asterisk_in_values_are_fine(root):
    write(root, "gzdt/2026-00003.md", item_text("2026-00003", "keywords: ['R&D', '*重点*', \"a & b\"]\n"))
    assert problems_of(root, "gzdt/2026-00003.md") == []


def test_catalog_with_an_alias_is_refused(root):
    text = (root / "catalog.yml").read_text(encoding="utf-8").replace("disclosure: [主动公开", "x: &d [1]\ny: *d\ndisclosure: [主动公开", 1)
    (root / "catalog.yml").write_text(text, encoding="utf-8")
    code, out = run(root, "check")
    assert code == 2 and "catalog.yml" in out and "锚点或别名" in out


def _set_limits(root, **limits):
    path = root / "catalog.yml"
    text = path.read_text(encoding="utf-8")
    for key, value in limits.items():
        text = text.replace(f"  {key}: ", f"  {key}: {value}  # ", 1)
    path.write_text(text, encoding="utf-8")


def test_size_limits_name_the_limit_and_the_size(root):
    _set_limits(root, front_matter_kb=1, body_kb=2, attachment_mb=1)
    write(root, "gzdt/2026-00001.md", item_text("2026-00001", "keywords: [" + ", ".join(["关键词"] * 200) + "]\n"))
    write(root, "gzdt/2026-00002.md", item_text("2026-00002", body="长正文。" * 1000))
    write(root, "gzdt/2026-00003-big.png", b"\x89PNG" + b"\x00" * (1536 * 1024))
    write(root, "gzdt/2026-00003.md", item_text("2026-00003", "attachments:\n  - {file: 2026-00003-big.png, title: 大附件}\n"))
    code, out = run(root, "check")
    assert code == 1
    assert "content/gzdt/2026-00001.md:1: 元数据太大（2,4" in out and "上限 1,024 字节" in out
    assert "content/gzdt/2026-00002.md:12: 正文太大（12 KB，上限 2 KB" in out
    assert "content/gzdt/2026-00003.md:12: attachments[1].file: 附件「2026-00003-big.png」太大（1.5 MB，上限 1.0 MB" in out
    assert "可发布 0 个" in out
    code, out = run(root, "build", "--site-dir", str(root / "site"))
    assert code == 1 and not (root / "site").exists()


def test_limits_must_be_in_the_catalog(root):
    path = root / "catalog.yml"
    text = path.read_text(encoding="utf-8").replace("  body_kb: 2048", "  body_kb: 很大")
    path.write_text(text, encoding="utf-8")
    line = next(n for n, ln in enumerate(text.split("\n"), start=1) if ln.startswith("  body_kb: 很大"))
    code, out = run(root, "check")
    assert code == 2 and f"catalog.yml:{line}: limits.body_kb: 未填写或不是正整数" in out


def test_catalog_problems_name_their_line_and_count_from_one(root):
    """Columns and topics are counted from 1 as items' attachments are; a missing field has its parent's line."""
    import yaml

    path = root / "catalog.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    first, second = data["columns"][0], data["columns"][1]
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    second_code = next(i for i, ln in enumerate(lines) if ln.strip() == f"- code: {second['code']}") + 1
    text = "\n".join(ln.replace(f"code: {second['code']}", "code: Bad_Code") if i + 1 == second_code else ln for i, ln in enumerate(lines))
    text = text.replace("  credit_code:", "  unused_credit_code:", 1)
    path.write_text(text, encoding="utf-8")
    code, out = run(root, "check")
    assert code == 2, out
    assert f"catalog.yml:{second_code}: columns[2].code: 栏目代码「Bad_Code」含有非法字符" in out, out
    agency_line = lines.index("agency:") + 1
    assert f"catalog.yml:{agency_line}: agency.credit_code: 未填写" in out, out
    assert first["code"] != "Bad_Code"


@pytest.mark.parametrize("extra, line, words", [
    ("keywords: [a, b\n", 11, "方括号 [ ] 列表没有闭合"),
    ("keywords:\n\t- a\n", 12, "制表符（Tab）"),
    ("doc_no: 澜交发〔2026〕1号\n\tdoc_type: 通知\n", 12, "制表符（Tab）"),
    ("note: 时间: 上午\n", 11, "多了一个“冒号+空格”"),
    ("keywords:\n  - a\n - b\n", 13, "缩进不一致"),
    ("doc_no: \"澜交发〔2026〕1号\nauthor: 某人\n", 11, "引号没有闭合"),
    ("doc_no: '澜交发〔2026〕1号\n", 11, "引号没有闭合"),
    ("doc_no: !!python/object 1\n", 11, "不支持的 YAML 标签"),
    ("title: 重复\n", 11, "重复的字段「title」"),
    ("? [a, b]\n: 1\n", 11, "字段名必须是文字"),
    ("keywords: " + "[" * 30 + "]" * 30 + "\n", 11, "嵌套超过 20 层"),
    ("keywords:\n" + "- " * 3000 + "x\n", 12, "嵌套超过 20 层"),
    ("keywords: " + "[" * 5000 + "]" * 5000 + "\n", 11, "嵌套超过 20 层"),
    ("keywords: [\"\\udcff\"]\n", 11, "无效的 Unicode 字符"),
])
def test_yaml_mistakes_are_worded_in_chinese(root, extra, line, words):
    write(root, "gzdt/2026-00001.md", item_text("2026-00001", extra))
    (problem,) = problems_of(root, "gzdt/2026-00001.md")
    assert problem["line"] == line and words in problem["message"], problem
    assert not any(english in problem["message"] for english in ("expected", "allowed", "token", "scanning")), problem


def test_after_a_yaml_error_the_summary_claims_nothing_about_the_fields(root):
    write(root, "gzdt/2026-00001.md", item_text("2026-00001", "keywords: [a\n"))
    code, out = run(root, "check")
    assert "content/gzdt/2026-00001.md：元数据有 1 处错误，需先修正" in out
    assert "未填写" not in out and "尚未经过保密审查" not in out


def test_every_problem_has_a_line_in_file_order(root):
    text = item_text("2026-00001", "attachments:\n  - {file: 没有这个文件.pdf, title: 缺失}\n").replace("topics: [政务公开]", "topics: [政务公开, 不存在的主题]")
    write(root, "gzdt/2026-00001.md", text.replace("summary: 测试条目的概述。\n", "").replace("disclosure: 主动公开", "disclosure: 公开"))
    found = [(p["line"], p["field"]) for p in problems_of(root, "gzdt/2026-00001.md")]
    assert found == [(5, "topics[2]"), (8, "disclosure"), (11, "attachments[1].file"), (12, "summary")], found
    code, out = run(root, "check")
    lines = [l.split(":")[1] for l in out.splitlines() if l.startswith("content/gzdt/2026-00001.md:")]
    assert lines == ["5", "8", "11", "12"]


def test_a_missing_field_required_by_the_column_points_at_the_end(root):
    write(root, "tzgg/2026-00001.md", item_text("2026-00001", column="fgwj"))
    found = {p["field"]: p["line"] for p in problems_of(root, "tzgg/2026-00001.md")}
    assert found.get("doc_no") == 11, found


@pytest.mark.parametrize("field", ["changelog", "attachments", "keywords", "former_slugs", "topics"])
@pytest.mark.parametrize("value", ["2026-03-05 10:00:00", "12", "2026-03-05"])
def test_a_list_field_holding_one_value_is_an_error_not_a_crash(root, field, value):
    """Found by the property test: `changelog: 2026-03-05 10:00:00` (a timestamp, not a list) made the
    cross-item rules iterate a datetime."""
    text = item_text("2026-00004", f"{field}: {value}\n")
    if field == "topics":
        text = text.replace("topics: [政务公开]\n", "")
    write(root, "gzdt/2026-00004.md", text)
    found = problems_of(root, "gzdt/2026-00004.md")
    assert any(p["field"].startswith(field) for p in found), found
