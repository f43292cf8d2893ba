"""urls._relpath is posixpath.relpath, minus the getcwd calls."""
import posixpath

from gongkai.core.urls import _relpath, link

DIRS = [".", "", "index", "item/2026-00001", "item/budget-2026", "column/gzdt", "column/fdzdgk", "topic/gonglu",
        "search", "item", "column", "a/b/c", "a/b", "a/./b", "./item/x", "../up", "/abs/path", "a//b", "item/2026-00001/"]


def test_relpath_matches_posixpath():
    for target in DIRS:
        for start in DIRS:
            t, s = target or ".", start or "."
            assert _relpath(t, s) == posixpath.relpath(t, s), (t, s)


def test_link_shapes():
    assert link("item/2026-00001", "column/gzdt") == "../../item/2026-00001/"
    assert link("", "") == "./"
    assert link("column/gzdt", "") == "column/gzdt/"
    assert link("", "topic/gonglu") == "../../"
