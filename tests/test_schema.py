"""Schema rules one by one: each bad field gives its own message naming file, line, field and fix."""
from __future__ import annotations

from datetime import date

import pytest

from conftest import PREFIX, base_meta


def problems_for(project, meta, body="正文。\n", files=None, rel="gzdt/a.md"):
    project.write(rel, meta, body, files)
    state = project.state()
    return state.problems.get(f"content/{rel}", [])


def only(problems, field):
    found = [p for p in problems if p.field == field]
    assert found, f"no problem on {field}: {[str(p) for p in problems]}"
    return found[0]


def test_valid_item_has_no_problems(project):
    assert problems_for(project, base_meta(1)) == []


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("title", "", "不能为空"),
        ("catalog", "nosuch", "「nosuch」不在允许的取值中"),
        ("topics", [], "不能为空"),
        ("disclosure", "公开", "「公开」不在允许的取值中"),
        ("validity", "失效", "「失效」不在允许的取值中"),
        ("summary", "长" * 201, "太长了（201 字，最多 200 字）"),
        ("created", "2026-02-30", "「2026-02-30」不是有效的日期"),
        ("doc_no", "澜交发[2026]12号", "「澜交发[2026]12号」格式不对"),
        ("doc_type", "便条", "「便条」不在允许的取值中"),
        ("slug", "Bad Slug", "「Bad Slug」格式不对"),
    ],
)
def test_bad_field_message(project, field, value, message):
    problem = only(problems_for(project, base_meta(1, **{field: value})), field)
    assert problem.message == message
    assert problem.fix, "every problem tells how to fix it"
    assert problem.line is not None and problem.line > 1


def test_bad_topic_names_the_entry(project):
    problem = only(problems_for(project, base_meta(1, topics=["不存在的主题"])), "topics[1]")
    assert "不存在的主题" in problem.message
    assert "公路建设与养护" in problem.fix  # lists the choices


def test_missing_required_field(project):
    meta = base_meta(1)
    del meta["summary"]
    problem = only(problems_for(project, meta), "summary")
    assert problem.message == "缺少此必填字段"


def test_unknown_field_is_reported(project):
    problem = only(problems_for(project, base_meta(1, titel="错拼")), "titel")
    assert problem.message == "不认识这个字段"
    assert "title" in problem.fix


def test_index_number_format_and_year(project):
    problem = only(problems_for(project, base_meta(1, id="ABC/2026-1")), "id")
    assert "不符合本机关的索引号格式" in problem.message
    problem = only(problems_for(project, base_meta(1, id=f"{PREFIX}/2025-00001")), "id")
    assert "与生成日期 2026-03-02 不一致" in problem.message


def test_duplicate_index_numbers_name_both_files(project):
    project.write("gzdt/a.md", base_meta(1))
    project.write("gzdt/b.md", base_meta(1))
    state = project.state()
    assert "content/gzdt/b.md" in only(state.problems["content/gzdt/a.md"], "id").message
    assert "content/gzdt/a.md" in only(state.problems["content/gzdt/b.md"], "id").message


def test_column_requires_doc_no(project):
    problem = only(problems_for(project, base_meta(1, catalog="gljy")), "doc_no")
    assert problem.message == "栏目「公路建设养护政策」要求填写文号"


def test_item_not_allowed_in_parent_column(project):
    problem = only(problems_for(project, base_meta(1, catalog="czzj")), "catalog")
    assert "有下级栏目" in problem.message and "yjs" in problem.fix


def test_interpretation_must_name_an_existing_policy(project):
    problem = only(problems_for(project, base_meta(1, catalog="zcjd")), "interprets")
    assert "要求填写解读的文件" in problem.message
    problem = only(problems_for(project, base_meta(1, catalog="zcjd", interprets=f"{PREFIX}/2026-00999")), "interprets")
    assert "找不到索引号为" in problem.message


def test_published_before_created(project):
    problem = only(problems_for(project, base_meta(1, published=date(2026, 3, 1))), "published")
    assert "早于生成日期" in problem.message


def test_missing_attachment_and_escape(project):
    meta = base_meta(1, attachments=[{"file": "nofile.pdf", "title": "缺失"}, {"file": "../../catalog.yml", "title": "越界"}])
    problems = problems_for(project, meta)
    assert "找不到附件文件「nofile.pdf」" in only(problems, "attachments[1].file").message
    assert "不在本条目所在的文件夹内" in only(problems, "attachments[2].file").message


def test_yaml_error_names_the_line(project):
    path = project.root / "content" / "gzdt" / "bad.md"
    path.parent.mkdir(parents=True)
    path.write_text("---\nid: x\ntitle: [未闭合\nsummary: y\n---\n正文\n", encoding="utf-8")
    state = project.state()
    (problem,) = state.problems["content/gzdt/bad.md"]
    assert problem.message.startswith("YAML 格式错误")
    assert problem.line in (3, 4, 5)
    assert "content/gzdt/bad.md:" in str(problem)


def test_duplicate_key_is_an_error(project):
    path = project.root / "content" / "gzdt" / "dup.md"
    path.parent.mkdir(parents=True)
    path.write_text("---\ntitle: 一\ntitle: 二\n---\n正文\n", encoding="utf-8")
    (problem,) = project.state().problems["content/gzdt/dup.md"]
    assert "重复的字段「title」" in problem.message and problem.line == 3


def test_missing_front_matter(project):
    path = project.root / "content" / "gzdt" / "plain.md"
    path.parent.mkdir(parents=True)
    path.write_text("只有正文\n", encoding="utf-8")
    (problem,) = project.state().problems["content/gzdt/plain.md"]
    assert "缺少开头的元数据" in problem.message and "gongkai new" in problem.fix


def test_problem_format_is_file_line_field_message_fix(project):
    problem = only(problems_for(project, base_meta(1, validity="失效")), "validity")
    text = (project.root / "content/gzdt/a.md").read_text(encoding="utf-8").split("\n")
    assert text[problem.line - 1].startswith("validity:")
    assert str(problem) == f"content/gzdt/a.md:{problem.line}: validity: 「失效」不在允许的取值中 — 可选：有效、已修订、已废止"


def test_broken_catalog_is_a_clear_error(project):
    from gongkai.core.problems import ProjectError

    (project.root / "catalog.yml").write_text("agency: {name: x}\ncolumns: []\n", encoding="utf-8")
    with pytest.raises(ProjectError) as exc:
        project.state()
    assert "agency.credit_code" in str(exc.value)


def test_duplicate_doc_numbers_are_reported(project):
    project.write("gzdt/a.md", base_meta(1, doc_no="澜交发〔2026〕3号"))
    project.write("gzdt/b.md", base_meta(2, doc_no="澜交发〔2026〕3号"))
    problem = only(project.state().problems["content/gzdt/a.md"], "doc_no")
    assert problem.message == "文号「澜交发〔2026〕3号」与 content/gzdt/b.md 重复"
