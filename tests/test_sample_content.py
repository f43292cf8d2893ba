"""The shipped sample content: complete, valid, and with its deliberately withheld items withheld.

Runs the core pipeline only (no MkDocs build), so it is fast. It fails if an
editor changes a sample item without re-signing it, empties a column or topic,
or breaks one of the special items other tests rely on.
"""
from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from gongkai.project import load_state

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 25)
PREFIX = "11999900MB1234567Q/"

# 索引号 (after the prefix) of the items that must stay unpublished, with the gate's reason codes.
WITHHELD = {
    "2026-00025": {"unsigned"},                       # never signed; canary in title, body, attachments
    "2026-00021": {"stale"},                          # signed, then a sentence was changed
    "2025-00006": {"not_proactive", "not_approved"},  # 依申请公开, signed 同意列入依申请公开目录
    "2026-00001": {"not_proactive", "not_approved"},  # 不予公开, signed 不予公开
    "2026-00602": {"not_proactive", "not_approved"},  # 依申请公开 (compliance sample): listed in 依申请公开目录
    "2026-00603": {"not_proactive", "not_approved"},  # 依申请公开 (compliance sample): listed in 依申请公开目录
}
CANARIES = {
    "2026-00025": "CANARY-UNSIGNED-7f3a",
    "2026-00021": "CANARY-STALE-91c2",
    "2025-00006": "CANARY-ONREQUEST-3b6d",
    "2026-00001": "CANARY-WITHHOLD-e4a0",
}
ATTACHMENT_CANARY = b"CANARY-ATTACH-5d8e"


@pytest.fixture(scope="module")
def state():
    return load_state(ROOT, today=TODAY)


def test_sample_has_no_errors_and_enough_items(state):
    assert [str(p) for p in state.errors] == []
    assert len(state.items) >= 48
    # Each contributor's sample items use their own 索引号 range: 00001–00199 (sample), 00600–00699 (compliance),
    # 00700–00799 (public site: withdrawal, redirects, 更新记录).
    assert all(i.id.startswith(PREFIX) and (1 <= int(i.id_key[5:]) <= 199 or 600 <= int(i.id_key[5:]) <= 799) for i in state.items)


def test_exactly_the_intended_items_are_withheld(state):
    assert {d.item.id_key: set(d.codes) for d in state.withheld} == WITHHELD


def test_canaries_are_only_in_withheld_items(state):
    for item in state.published:
        assert "CANARY" not in item.path.read_text(encoding="utf-8"), item.rel
        for a in item.attachments:
            assert b"CANARY" not in a.path.read_bytes(), a.path
    items = {i.id_key: i for i in state.items}
    for key, canary in CANARIES.items():
        assert canary in items[key].body, key
    assert CANARIES["2026-00025"] in items["2026-00025"].title
    assert CANARIES["2026-00021"] in items["2026-00021"].title
    assert any(ATTACHMENT_CANARY in a.path.read_bytes() for a in items["2026-00025"].attachments)


def test_every_leaf_column_and_topic_has_two_published_items(state):
    columns = Counter(i.column_code for i in state.published)
    topics = Counter(t for i in state.published for t in i.topics)
    leaves = [c.code for c in state.catalog.all_columns() if not c.children]
    assert {c: columns[c] for c in leaves if columns[c] < 2} == {}
    assert {t.name: topics[t.name] for t in state.catalog.topics if topics[t.name] < 2} == {}


def test_relations_point_at_published_items(state):
    published = {i.id: i for i in state.published}
    interpretations = [i for i in state.published if i.meta.get("interprets")]
    assert len(interpretations) >= 2
    assert all(i.meta["interprets"] in published for i in interpretations)
    for validity in ("已废止", "已修订"):
        olds = [i for i in state.published if i.meta.get("validity") == validity]
        assert olds, validity
        assert all(o.meta.get("replaced_by") in published for o in olds)


def test_search_fixtures_exist(state):
    titles = [i.title for i in state.published]
    assert any("养护工程" in t for t in titles)
    assert any("三公经费" in t for t in titles)
    assert any(i.meta.get("doc_no") == "澜交发〔2026〕12号" for i in state.published)


def test_attachments_are_small_and_varied(state):
    kinds = Counter()
    for item in state.published:
        for a in item.attachments:
            assert a.path.stat().st_size < 50 * 1024, a.path
            assert a.path.name.startswith(item.id_key + "-"), a.path
            kinds[a.suffix] += 1
    assert {"pdf", "docx", "xlsx", "csv"} <= set(kinds)
    assert sum(1 for i in state.published if i.attachments) >= 6


def test_reviews_are_by_others_and_not_before_creation(state):
    for item in state.items:
        review = item.review
        if review:
            assert review["reviewer"] != item.meta.get("author"), item.rel
            assert str(review["date"]) >= str(item.meta["created"]), item.rel
