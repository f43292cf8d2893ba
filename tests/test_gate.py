"""The sign-off gate: only cleanly approved, current, proactive items are published."""
from __future__ import annotations

from datetime import date

from conftest import base_meta


def decision_for(project, path):
    rel = path.relative_to(project.root).as_posix()
    return next(d for d in project.state().decisions if d.item.rel == rel)


def test_signed_item_is_published(project):
    path = project.write("gzdt/a.md", base_meta(1))
    project.sign(path)
    d = decision_for(project, path)
    assert d.published and d.reasons == []


def test_unsigned_item_is_withheld(project):
    path = project.write("gzdt/a.md", base_meta(1))
    assert decision_for(project, path).codes == ["unsigned"]


def test_edit_after_sign_off_invalidates_it(project):
    path = project.write("gzdt/a.md", base_meta(1))
    project.sign(path)
    path.write_text(path.read_text(encoding="utf-8").replace("正文内容。", "正文内容，签署后改动。"), encoding="utf-8")
    assert decision_for(project, path).codes == ["stale"]


def test_front_matter_edit_after_sign_off_invalidates_it(project):
    path = project.write("gzdt/a.md", base_meta(1))
    project.sign(path)
    path.write_text(path.read_text(encoding="utf-8").replace("测试条目1", "测试条目1（改）"), encoding="utf-8")
    assert decision_for(project, path).codes == ["stale"]


def test_attachment_bytes_are_part_of_the_signed_content(project):
    meta = base_meta(1, attachments=[{"file": "a.txt", "title": "附件"}])
    path = project.write("gzdt/a.md", meta, files={"a.txt": b"version 1"})
    project.sign(path)
    assert decision_for(project, path).published
    (path.parent / "a.txt").write_bytes(b"version 2")
    assert decision_for(project, path).codes == ["stale"]


def test_review_block_itself_is_not_part_of_the_digest(project):
    path = project.write("gzdt/a.md", base_meta(1))
    project.sign(path, reviewer="周立衡")
    project.sign(path, reviewer="林书雅")  # re-signing replaces the block, content unchanged
    text = path.read_text(encoding="utf-8")
    assert text.count("review:") == 1 and "林书雅" in text
    assert decision_for(project, path).published


def test_unauthorised_reviewer_and_refusal(project):
    path = project.write("gzdt/a.md", base_meta(1))
    project.sign(path)
    path.write_text(path.read_text(encoding="utf-8").replace("reviewer: 周立衡", "reviewer: 张三"), encoding="utf-8")
    d = decision_for(project, path)
    assert d.codes == ["unauthorised"] and "张三" in d.reason_text


def test_withholding_decision(project):
    path = project.write("gzdt/a.md", base_meta(1))
    project.sign(path, decision="不予公开")
    assert decision_for(project, path).codes == ["not_approved"]


def test_not_proactive_is_withheld_even_when_signed(project):
    path = project.write("gzdt/a.md", base_meta(1, disclosure="依申请公开"))
    project.sign(path, decision="同意公开")
    assert decision_for(project, path).codes == ["not_proactive"]


def test_future_publication_date_is_scheduled(project):
    path = project.write("gzdt/a.md", base_meta(1, created=date(2026, 11, 20), published=date(2026, 12, 1)))
    project.sign(path)
    d = decision_for(project, path)
    assert d.codes == ["scheduled"] and "2026-12-01" in d.reason_text


def test_invalid_item_is_withheld(project):
    path = project.write("gzdt/a.md", base_meta(1, validity="失效"))
    assert "invalid" in decision_for(project, path).codes


def test_sign_refuses_unknown_reviewer_and_own_items(project):
    import pytest

    from gongkai.core.scaffold import ScaffoldError

    path = project.write("gzdt/a.md", base_meta(1, author="周立衡"))
    with pytest.raises(ScaffoldError, match="不是经授权的保密审查人员"):
        project.sign(path, reviewer="张三")
    with pytest.raises(ScaffoldError, match="不能审查本人撰写的条目"):
        project.sign(path, reviewer="周立衡")
    assert "review:" not in path.read_text(encoding="utf-8")
