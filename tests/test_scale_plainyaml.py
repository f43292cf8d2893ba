"""The plain front-matter reader gives exactly what the strict YAML loader gives, or leaves the text to it."""
from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest
import yaml

from gongkai.core.items import _construct, parse_item
from gongkai.core.textfile import FRONT_MATTER
from gongkai.core.plainyaml import plain_front_matter
from gongkai.core.yamlstrict import StrictLoader, compose_checked

from scale_helpers import REPO


def strict(text: str):
    """What parse_item makes of front matter without the plain reader: (data, lines), or None on an error."""
    try:
        loader = StrictLoader(text)
        try:
            node = compose_checked(loader, check_depth=False)
            data = _construct(loader, node) if node is not None else {}
        finally:
            loader.dispose()
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return None
    return data, {str(k.value): k.start_mark.line + 1 for k, _ in node.value}


def same(text: str) -> bool:
    plain = plain_front_matter(text)
    return plain is None or repr(plain) == repr(strict(text))  # repr: 1 and True, 1.0 and 1 differ


KEYS = ["id", "title", "a_1", "on", "null", "true", "Yes", "y", "a b", "标题", "<<", "?", "-", "~"]
VALUES = [
    "", "x", "  x  ", "x # c", "x#c", "#c", "a: b", "a:b", "a:", "http://x.cn/a", "12:30", "1_000", "0o17", "017",
    "0x1F", "1.5", ".5", "1e3", ".inf", "-.inf", ".NaN", "~", "null", "NULL", "yes", "No", "on", "OFF", "true",
    "2024-01-01", "2024-1-1", "2024-02-30", "2024-01-01 10:00:00", "=", "<<", "-", "- a", "-a", "-1", "+1", "? a",
    "!x", "!!str a", "&a x", "*a", "|", ">", "%x", "@x", "`x", "'q'", "'it''s'", "'open", '"dq"', '"d\\"q"', '"a #b"',
    '"a" x', "[a, b]", "[]", "[a,]", "[a, , b]", "[a, [b]]", "['x', \"y\"]", "[a: b]", "[a:b]", "[-1, +2]", "[a #c]",
    "{a: b}", "{}", "{a: b, a: c}", "{a: b, c}", "{a:b}", "{a: [b]}", "{on: x}", "{a: 'x', b: \"y\"}", "{a: }",
    "中文", "附件1：说明", "a\u3000b", "\u00a0x", "a\\b", "a  b", "a\u2028b", "a\x85b", "\ufeffx", "a\tb", "a'b",
    "a,b", "[a]b", "[1, 2024-01-01, yes, ~]", "{file: a.pdf, title: 附件1：x}", "...", "--- x", "a ---",
]


PLAIN = ["x", "中文 标题", "2024-01-01", "1", "yes", "~", "[a, b]", "{file: a.pdf, title: t}", "'q'", '"dq"', "x # c", ""]


def random_front_matter(rng: random.Random) -> str:
    value = lambda: rng.choice(VALUES if rng.random() < 0.1 else PLAIN)  # noqa: E731  mostly plain: the reader's own ground
    lines = [""]
    for _ in range(rng.randint(1, 6)):
        key = rng.choice(KEYS) if rng.random() < 0.1 else f"field_{rng.randint(1, 30)}"
        block = rng.random() < 0.3
        written = rng.choice(["", "  # note"]) if block and rng.random() < 0.9 else value()
        lines.append(f"{key}:{' ' if rng.random() < 0.95 else ''}{written}")
        if block:  # a block under it: a map, a list or a list of maps, now and then crooked
            indent, kind = " " * rng.choice([1, 2, 2, 4]), rng.randrange(3)
            for n in range(rng.randint(1, 3)):
                lines.append([f"{indent}sub_{n}: {value()}", f"{indent}- {value()}",
                              f"{indent}- file: {value()}\n{indent}  title: {value()}"][kind])
            if rng.random() < 0.1:
                lines.append(rng.choice([f"{indent} {value()}", f"{indent}- {value()}", f"{indent}sub_0: x", f"{indent}# note", ""]))
        if rng.random() < 0.05:
            lines.append(rng.choice(["# note", "   ", "- x", "  # note"]))
    return "\n".join(lines) + rng.choice(["\n", ""])


def test_plain_reader_agrees_with_the_strict_loader_on_random_front_matter():
    rng = random.Random(14)
    taken = 0
    for _ in range(4000):
        text = random_front_matter(rng)
        assert same(text), text
        taken += plain_front_matter(text) is not None
    assert taken > 1000  # the comparison covers the reader itself, not only its refusals


def sample_front_matters() -> list[str]:
    texts = []
    for path in sorted((REPO / "content").rglob("*.md")):
        try:
            texts.append(FRONT_MATTER.split(path.read_text(encoding="utf-8"))[0])
        except ValueError:
            continue
    return texts


def test_plain_reader_takes_the_sample_content_and_agrees():
    texts = sample_front_matters()
    assert texts
    for text in texts:
        assert plain_front_matter(text) is not None, text
        assert same(text), text


@pytest.mark.parametrize("text", [
    "\ntitle: a\ntitle: b\n",  # duplicate field: PyYAML names the line
    "\ncreated: 2026-02-30\n",  # no such day
    "\ntitle:\ta\n",  # tab
    "\ntitle: &x a\nsummary: *x\n",  # anchor and alias
    "\non: a\n",  # a field name that is a boolean
    "\ntitle: a\n  continued\n",  # a value continued on the next line
    "\ntitle: !!str a\n",  # a tag
    "\ntopics: [a,\n  b]\n",  # a list over two lines
    "\nreview:\n  reviewer: a\n   date: 2026-03-01\n",  # crooked indentation
    "\ntitle: a: b\n",  # a second ": "
])
def test_plain_reader_leaves_what_it_is_not_sure_of_to_pyyaml(text):
    assert plain_front_matter(text) is None


def test_parse_item_with_the_plain_reader_reads_types_and_lines(tmp_path: Path):
    path = tmp_path / "a.md"
    path.write_text("---\nid: X/2026-00001\ntitle: 关于 A 的通知  # 标题\npostcode: 518999\nflag: yes\n"
                    "created: 2026-03-01\ntopics: [公路, 'b c']\nattachments:\n  - {file: a.pdf, title: 附件1：说明}\n"
                    "review:  # 签署\n  reviewer: 周立衡\n  date: 2026-03-02\n---\n\n正文\n", encoding="utf-8")
    item = parse_item(path, tmp_path)
    assert item.parse_problems == []
    assert item.meta == {
        "id": "X/2026-00001", "title": "关于 A 的通知", "postcode": 518999, "flag": True, "created": date(2026, 3, 1),
        "topics": ["公路", "b c"], "attachments": [{"file": "a.pdf", "title": "附件1：说明"}],
        "review": {"reviewer": "周立衡", "date": date(2026, 3, 2)},
    }
    assert item.lines == {"id": 2, "title": 3, "postcode": 4, "flag": 5, "created": 6, "topics": 7, "attachments": 8, "review": 10}
    assert item.body == "正文\n" and item.end_line == 13


def test_plain_reader_gives_each_item_its_own_list_of_a_line_read_before():
    first, _ = plain_front_matter("\ntopics: [公路, 水运]\nkeywords: [a]\n")
    first["topics"].append("改动")
    second, _ = plain_front_matter("\ntopics: [公路, 水运]\nkeywords: [a]\n")
    assert second == {"topics": ["公路", "水运"], "keywords": ["a"]}
    assert second["topics"] is not first["topics"] and type(second["topics"]) is list


def test_read_bytes_reads_small_large_and_empty_files_and_raises_as_path_does(tmp_path: Path):
    from gongkai.core.textfile import read_bytes

    for size in (0, 1, 255, 256, 257, 8191, 8192, 8193, 65535, 65536, 65537, 300_000, 3_000_000):
        path = tmp_path / f"f{size}"
        path.write_bytes(bytes(i % 251 for i in range(size)))
        assert read_bytes(path) == path.read_bytes()
    with pytest.raises(FileNotFoundError):
        read_bytes(tmp_path / "missing")
    with pytest.raises(IsADirectoryError):
        read_bytes(tmp_path)


def test_split_front_matter_is_the_front_matter_librarys_split():
    from gongkai.core.textfile import FRONT_MATTER, split_front_matter

    def split(function, text):
        try:
            return function(text)
        except ValueError:
            return "ValueError"

    rng = random.Random(7)
    lines = ["---", "----", "--- ", "---\u3000", "---x", "-- -", "", "  ", "\u3000", "title: a", "a: ---", " ---", "正文"]
    texts = ["", "---", "---\n", "---\n---", "---\n---\n", "x\n---\na\n---\nb", "---\n\n  \nbody"]
    texts += ["\n".join(rng.choice(lines) for _ in range(rng.randint(1, 9))) + rng.choice(["", "\n"]) for _ in range(5000)]
    for text in texts:
        assert split(split_front_matter, text) == split(FRONT_MATTER.split, text), repr(text)
