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


def test_content_digest_is_the_documented_canonical_json(tmp_path):
    """The digest is sha256 of json.dumps(payload, sort_keys, ensure_ascii=False, compact); the reused
    C encoder must give the same bytes for every kind of value front matter can hold."""
    import hashlib
    import json
    from datetime import datetime

    from gongkai.core.digest import PREFIX, _json_default, content_digest
    from gongkai.core.items import Item

    metas = [
        {"title": "标题 \"引号\" \\ \n\t\u2028 <b>&", "created": date(2026, 3, 1), "n": 12, "f": 1.5, "big": 10 ** 30,
         "nan": float("nan"), "inf": float("-inf"), "yes": True, "none": None, "when": datetime(2026, 3, 1, 10, 0),
         "topics": ["a", date(2026, 1, 2), [1, {"z": 1, "a": [None]}]], "review": {"digest": "x"}},
        {"b": b"raw", "s": {3, 1}, "empty": {}, "list": []},
        {0: "zero", "id": "x"},  # keys of mixed types: the sorted dump fails, the keys are made text first
    ]
    for meta in metas:
        item = Item(path=tmp_path / "a.md", rel="content/a.md", meta=meta, body="正文\r\n\n")
        payload = {"meta": {k: v for k, v in meta.items() if k != "review"}, "body": "正文\n", "attachments": []}
        try:
            text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=_json_default, separators=(",", ":"))
        except TypeError:
            payload["meta"] = {str(k): v for k, v in payload["meta"].items()}
            text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=_json_default, separators=(",", ":"))
        assert content_digest(item) == PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()
        assert content_digest(item) == content_digest(item)  # nothing left behind by the first call
