"""Reading editors' text files: UTF-8 only, a BOM and Windows line endings accepted.

A file saved as GBK (or a binary file named .md) is a problem that names the file
and says how to fix it, never a UnicodeDecodeError.
"""
from __future__ import annotations

import os
from pathlib import Path

from frontmatter.default_handlers import YAMLHandler

from gongkai.core.problems import Problem

BOM = "\ufeff"
SAVE_AS_UTF8 = "用编辑器另存为 UTF-8（记事本、WPS：“另存为”时编码选 UTF-8；VS Code：右下角编码 → 通过编码保存 → UTF-8）"


class NotUtf8(ValueError):
    """A file that is not UTF-8; .problem says so in Chinese."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def not_utf8_problem(rel: str, data: bytes, exc: UnicodeDecodeError) -> Problem:
    line = data.count(b"\n", 0, exc.start) + 1
    return Problem(rel, "", f"不是 UTF-8 编码（第 {line} 行有无法识别的字节，可能是 GBK 编码或二进制文件）", SAVE_AS_UTF8, line=line)


def decode_text(data: bytes, rel: str) -> str:
    """data as text: UTF-8 (a leading BOM dropped), CRLF and CR line endings as LF; raises NotUtf8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotUtf8(not_utf8_problem(rel, data, exc)) from None
    if text.startswith(BOM):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


FRONT_MATTER = YAMLHandler()  # python-frontmatter's boundary: a line of 3 or more -, then only whitespace


def split_front_matter(text: str) -> tuple[str, str]:
    """FRONT_MATTER.split(text): (front matter, the rest), ValueError without a closing line. The
    closing line is looked for with str.find, not by trying the pattern at every character of the
    front matter (a tenth of reading 10,000 items); a text not opening with one is left to it."""
    boundary = FRONT_MATTER.FM_BOUNDARY
    first = boundary.match(text)
    if first is None:
        return FRONT_MATTER.split(text)
    at = first.end() - 1
    while (at := text.find("\n---", at)) >= 0:
        at += 1  # a line starting with ---: the same pattern decides whether it closes the front matter
        if (second := boundary.match(text, at)) is not None:
            return text[first.end():second.start()], text[second.end():]
    raise ValueError("no closing ---")


def read_text(path: Path, rel: str | None = None) -> str:
    """The file's text as decode_text gives it; raises NotUtf8 or OSError."""
    return decode_text(read_bytes(path), rel or path.name)


def read_bytes(path) -> bytes:
    """path.read_bytes(), with os.open and os.read: no buffered file object per file, which was
    half the cost of reading 10,000 item files. Raises the same OSError subclasses."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        chunks, want = [], _FIRST
        while chunk := os.read(fd, want):
            chunks.append(chunk)
            # os.read allocates all `want` bytes before reading, so ask for little at first. A short
            # read is the end but for a file growing meanwhile, so a small read confirms it.
            want = 4 * want if len(chunk) == want else _CONFIRM
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


_FIRST, _CONFIRM = 1 << 14, 256  # most item files fit in one read of _FIRST bytes


def usable_file_name(name) -> bool:
    """A name the file system can look up (no NUL, no part over 255 bytes); others are reported by
    core.schema and left out of Item.attachments, so nothing downstream has to stat them."""
    if not isinstance(name, str) or "\0" in name:
        return False
    try:
        return all(len(part.encode("utf-8")) <= 255 for part in name.split("/")) and len(name) <= 1024
    except UnicodeEncodeError:  # a lone surrogate
        return False
