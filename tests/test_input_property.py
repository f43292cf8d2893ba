"""Property-based: sample items mutated thousands of ways never crash a command, every problem names
a file, and nothing that is not cleanly signed reaches the output.

Profiles (GONGKAI_HYPOTHESIS), examples per test:
  ci (default)  600 checks, 60 report + review-status + text check, 30 BOM/line-ending, 8 builds
                (most build a site), 3 runs of three commands in their own process: ~40 s CPU in all
  long          10,000 / 1,000 / 300 / 60 / 20, for local runs (roughly ten times as long)
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import all_output_text
from input_helpers import SAMPLES, run, sample_project
from review_helpers import init_repo

PROFILES = {"ci": {"check": 600, "report": 60, "line_endings": 30, "build": 8, "subprocess": 3},
            "long": {"check": 10_000, "report": 1_000, "line_endings": 300, "build": 60, "subprocess": 20}}
COUNTS = PROFILES[os.environ.get("GONGKAI_HYPOTHESIS", "ci")]
CANARY = "CANARYZQXJ"  # one per mutated item: CANARYZQXJ0, CANARYZQXJ1 …


def profile(kind: str):
    return settings(max_examples=COUNTS[kind], deadline=None, database=None, derandomize=False, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])


FIELDS = ["id", "title", "catalog", "topics", "created", "published", "disclosure", "validity", "summary", "slug", "former_slugs",
          "attachments", "withdrawn", "review", "changelog", "replaced_by", "interprets", "doc_no", "keywords", "author", "publisher"]
NASTY = ['""', "~", "[]", "{}", "&a x", "*a", "[*a, &b c]", "<<: *a", "2026-13-01", "2026-02-30", "2026-03-05 10:00:00", '"2026-00010"', "2026-00010",
         "2026-00012", "../../catalog.yml", "!!binary aGk=", "!!python/name:os.system", "{file: ../../catalog.yml, title: x}", "[{file: nofile.pdf}]",
         "[{file: 2026-00012-附件1-报名表.docx, title: 再次}]", "12345678901234567890", "true", "1e999", ".nan", "'<script>alert(1)</script>'",
         '"\\0"', "'a: b'", "a: b", "- x", "[a, b", "{a: 1", "'unclosed", '"unclosed', "\t", "|\n  block\n", ">-\n  folded", "? complex\n: key",
         "{reason: 已撤回, date: 2026-01-01, note: x}", "{reason: 发布错误, date: 2030-01-01, note: x}", "[{date: 2026-01-01, note: x}]",
         "11999900MB1234567Q/2026-00010", "11999900MB1234567Q/2026-00708", "{reviewer: 周立衡, date: 2026-06-03, decision: 同意公开, digest: sha256:00}",
         "[{file: \"a\\0b.pdf\", title: x}]", "[{file: " + "a" * 300 + ".pdf, title: x}]", "[{file: " + "a/" * 2100 + "b, title: x}]",
         "{[a]: 1}", "[{? [a]: 1}]", "[" * 50 + "]" * 50, "[" * 3000 + "]" * 3000, "\n" + "- " * 2000 + "x", '"\\udcff"', "同意公开", "主动公开", "依申请公开", "已废止", "gzdt", "zhinan", "[政务公开]", "[不存在]", "x" * 300]
SNIPPETS = ["\t", ":", ": ", " #", "- ", "&x ", "*x", "[", "]", "{", "}", "'", '"', "!", "|", ">", "%", "@", "`", "---", "...", "\\", "\x00", "\x85", "\u2028", "\ufeff", "\r"]

value_text = st.one_of(st.sampled_from(NASTY), st.text(max_size=40), st.text(max_size=20).map(json.dumps))
line_edit = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 40)),
    st.tuples(st.just("duplicate"), st.integers(0, 40)),
    st.tuples(st.just("swap"), st.integers(0, 40)),
    st.tuples(st.just("indent"), st.integers(0, 40), st.sampled_from([" ", "  ", "\t", "   "])),
    st.tuples(st.just("snippet"), st.integers(0, 40), st.integers(0, 60), st.sampled_from(SNIPPETS)),
    st.tuples(st.just("field"), st.sampled_from(FIELDS), value_text),
    st.tuples(st.just("field"), st.text(min_size=1, max_size=8).filter(lambda k: "\n" not in k and "\r" not in k), value_text),
    st.tuples(st.just("drop_field"), st.sampled_from(FIELDS)),
    st.tuples(st.just("close"), st.sampled_from(["", "--", "----", "--- x", "...", "---\n---"])),
)
byte_edit = st.one_of(
    st.tuples(st.just("insert"), st.integers(0, 4000), st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("flip"), st.integers(0, 4000), st.integers(1, 255)),
    st.tuples(st.just("truncate"), st.integers(0, 4000)),
)
encoding = st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-bom", "crlf", "bom-crlf", "gbk", "utf-16", "mojibake", "cr"])
canary_place = st.sampled_from(["body", "body", "title", "summary", "keywords", "attachment_title"])


@st.composite
def mutation(draw, valid_only: bool = False):
    """(sample index, canary place, line edits, encoding, byte edits) for one item."""
    lines = [] if valid_only else draw(st.lists(line_edit, max_size=4))
    enc = draw(st.sampled_from(["utf-8", "utf-8-bom", "crlf", "bom-crlf"])) if valid_only else draw(encoding)
    raw = [] if valid_only else draw(st.lists(byte_edit, max_size=2))
    return draw(st.integers(0, len(SAMPLES) - 1)), draw(canary_place), lines, enc, raw


def _front_matter_span(lines: list[str]) -> tuple[int, int]:
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), len(lines))
    return 1, end


def _place_canary(text: str, place: str, canary: str) -> str:
    if place == "body":
        return text + f"\n\n{canary}\n"
    key = {"title": "title: ", "summary": "summary: ", "keywords": "keywords: ", "attachment_title": "    title: "}[place]
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith(key):
            lines[i] = line.replace(key, f"{key}{canary} ", 1) if place != "keywords" else f"keywords: [{canary}]"
            return "\n".join(lines)
    return text + f"\n\n{canary}\n"


def _edit_lines(text: str, edits) -> str:
    lines = text.split("\n")
    start, end = _front_matter_span(lines)
    for edit in edits:
        kind, span = edit[0], max(1, end - start)
        at = start + (edit[1] % span) if isinstance(edit[1], int) else None
        if kind == "delete" and at < len(lines):
            del lines[at]
        elif kind == "duplicate" and at < len(lines):
            lines.insert(at, lines[at])
        elif kind == "swap" and at + 1 < len(lines):
            lines[at], lines[at + 1] = lines[at + 1], lines[at]
        elif kind == "indent" and at < len(lines):
            lines[at] = edit[2] + lines[at]
        elif kind == "snippet" and at < len(lines):
            col = min(edit[2], len(lines[at]))
            lines[at] = lines[at][:col] + edit[3] + lines[at][col:]
        elif kind == "field":
            new = f"{edit[1]}: {edit[2]}"
            found = next((i for i in range(start, end) if lines[i].startswith(edit[1] + ":")), None)
            lines[found if found is not None else start:found + 1 if found is not None else start] = new.split("\n")
        elif kind == "drop_field":
            lines = [l for i, l in enumerate(lines) if not (start <= i < end and l.startswith(edit[1] + ":"))]
        elif kind == "close" and end < len(lines):
            lines[end] = edit[1]
        start, end = _front_matter_span(lines)
    return "\n".join(lines)


def _encode(text: str, enc: str) -> bytes:
    crlf = text.replace("\n", "\r\n")
    return {
        "utf-8": lambda: text.encode("utf-8"), "utf-8-bom": lambda: b"\xef\xbb\xbf" + text.encode("utf-8"),
        "crlf": lambda: crlf.encode("utf-8"), "bom-crlf": lambda: b"\xef\xbb\xbf" + crlf.encode("utf-8"),
        "gbk": lambda: text.encode("gbk", errors="replace"), "utf-16": lambda: text.encode("utf-16"),
        "mojibake": lambda: text.encode("utf-8").decode("latin-1").encode("utf-8"), "cr": lambda: text.replace("\n", "\r").encode("utf-8"),
    }[enc]()


def _edit_bytes(data: bytes, edits) -> bytes:
    for kind, at, *rest in edits:
        at = at % (len(data) + 1)
        if kind == "insert":
            data = data[:at] + rest[0] + data[at:]
        elif kind == "flip" and at < len(data):
            data = data[:at] + bytes([data[at] ^ rest[0]]) + data[at + 1:]
        elif kind == "truncate":
            data = data[:at]
    return data


class Mutated:
    """The base project with some items (each at most once) mutated; restored on exit."""

    def __init__(self, root: Path, mutations):
        self.root, self.mutations, self.saved = root, mutations, {}

    def __enter__(self):
        for n, (index, place, lines, enc, raw) in enumerate(self.mutations):
            path = self.root / "content" / SAMPLES[index]
            self.saved[path] = path.read_bytes()
            text = self.saved[path].decode("utf-8")
            text = _edit_lines(_place_canary(text, place, f"{CANARY}{n}"), lines)
            path.write_bytes(_edit_bytes(_encode(text, enc), raw))
        return self

    def __exit__(self, *exc):
        for path, data in self.saved.items():
            path.write_bytes(data)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """The sample items in a git repository (for review-status), committed as they are."""
    root = sample_project(tmp_path_factory.mktemp("prop") / "proj")
    (root / ".gitignore").write_text("/reports/\n/.gongkai-cache/\n", encoding="utf-8")
    init_repo(root)
    return root


def _assert_sound_check(root: Path, mutations) -> dict:
    code, out = run(root, "check", "--json")
    assert code in (0, 1), out
    report = json.loads(out)
    for problem in report["problems"]:
        assert problem["path"] and (root / problem["path"]).exists(), problem
        assert problem["message"] and problem["fix"] and "Traceback" not in problem["message"], problem
    withheld = {w["path"] for w in report["withheld"]}
    for index, *_ in mutations:
        rel = f"content/{SAMPLES[index]}"
        data = (root / rel).read_bytes()
        if CANARY.encode() in data or CANARY.encode("utf-16-le") in data:
            assert rel in withheld, (rel, report)
    return report


@profile("check")
@given(st.lists(mutation(), min_size=1, max_size=2, unique_by=lambda m: m[0]))
def test_check_never_crashes_and_withholds_every_mutated_item(base, mutations):
    with Mutated(base, mutations):
        _assert_sound_check(base, mutations)


@profile("report")
@given(st.lists(mutation(), min_size=1, max_size=2, unique_by=lambda m: m[0]))
def test_report_review_status_and_check_text_never_crash(base, mutations):
    with Mutated(base, mutations):
        code, out = run(base, "report", "--json")
        assert code in (0, 1) and "Traceback" not in out, out
        json.loads(out)
        code, out = run(base, "review-status", "--base", "main", "--json")
        assert code in (0, 1), out
        for status in json.loads(out)["items"]:  # a mutated item that may be published never passes
            assert status["blocking"] or not status["publishable"] or status["change"] != "modified", status
        code, out = run(base, "check")
        lines = out.splitlines()
        problems = lines[:lines.index("")] if "" in lines else lines  # the problems come before the first empty line
        for line in problems:  # each problem line starts with the file it is about
            assert line.startswith(("提示：", "签名核对：")) or (base / line.split(":")[0]).is_file(), (line, out)


@profile("build")
@given(st.one_of(*(st.lists(m, min_size=1, max_size=3, unique_by=lambda m: m[0]) for m in (mutation(valid_only=True), mutation()))))
def test_build_publishes_no_canary(base, mutations):
    site = base.parent / "site"
    shutil.rmtree(site, ignore_errors=True)
    with Mutated(base, mutations):
        report = _assert_sound_check(base, mutations)
        code, out = run(base, "build", "--site-dir", str(site))
        event("site built" if code == 0 else "build refused")
        assert "Traceback" not in out
        assert code == (0 if report["ok"] else 1), out
        if code == 0:
            assert CANARY not in all_output_text(site)
            assert len(list(site.glob("item/*/index.html"))) >= report["published"]
        else:
            assert not site.exists()


@profile("subprocess")
@given(st.lists(mutation(), min_size=1, max_size=2, unique_by=lambda m: m[0]))
def test_commands_in_their_own_process_print_no_traceback(base, mutations):
    exe = Path(sys.executable).with_name("gongkai")
    env = {**os.environ, "GONGKAI_BUILD_DATE": "2026-11-25"}
    with Mutated(base, mutations):
        for args in (["check"], ["report"], ["build", "--site-dir", str(base.parent / "site-sub")]):
            result = subprocess.run([str(exe), "-C", str(base), *args], capture_output=True, text=True, env=env)
            assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr
        shutil.rmtree(base.parent / "site-sub", ignore_errors=True)


@profile("line_endings")
@given(st.lists(st.tuples(st.integers(0, len(SAMPLES) - 1), st.sampled_from(["utf-8-bom", "crlf", "bom-crlf", "cr"])), min_size=1, max_size=3, unique_by=lambda m: m[0]))
def test_bom_and_line_endings_alone_keep_every_sign_off(base, changes):
    before = json.loads(run(base, "check", "--json")[1])
    saved = {}
    try:
        for index, enc in changes:
            path = base / "content" / SAMPLES[index]
            saved[path] = path.read_bytes()
            path.write_bytes(_encode(saved[path].decode("utf-8"), enc))
        after = json.loads(run(base, "check", "--json")[1])
        assert after["published"] == before["published"] and after["withheld"] == before["withheld"], after
    finally:
        for path, data in saved.items():
            path.write_bytes(data)
