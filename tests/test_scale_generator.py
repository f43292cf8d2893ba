"""The benchmark's synthetic bureau is valid, signed with the core's digest, and covers the catalog."""
from datetime import date

from gongkai.project import load_state

from scale_helpers import generate


def test_generated_bureau_is_valid_and_covers_the_catalog(tmp_path):
    root = tmp_path / "b"
    counts = generate(root, 150, seed=3)
    state = load_state(root, today=date(2026, 11, 25))
    assert counts["items"] == len(state.items) == 150
    assert state.errors == []
    leaves = {c.code for c in state.catalog.all_columns() if not c.children}
    assert {i.column_code for i in state.items} == leaves
    assert {t for i in state.items for t in i.topics} == {t.name for t in state.catalog.topics}
    reasons = {c for d in state.withheld for c in d.codes}
    assert reasons == {"unsigned"} and len(state.withheld) == counts["unsigned"] > 0
    assert any(i.attachments for i in state.published)
    assert all(len(i.body) >= 300 for i in state.items)
    # Deterministic: the same seed gives the same files.
    again = tmp_path / "again"
    generate(again, 150, seed=3)
    first = sorted(p.relative_to(root).as_posix() + p.read_text(encoding="utf-8") for p in root.rglob("*.md"))
    second = sorted(p.relative_to(again).as_posix() + p.read_text(encoding="utf-8") for p in again.rglob("*.md"))
    assert first == second
