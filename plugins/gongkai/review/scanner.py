"""The patterns the sensitive-data scan looks for, and the masking of what it finds.

Resident ID numbers (birth date and MOD 11-2 check), mobile numbers, bank card numbers
(Luhn) and the 密级 marks configured in catalog.yml; see review/sensitive.py for the rules
of where they count. Only masked matches ever leave this module.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

KIND_LABELS = {"id_card": "居民身份证号码", "mobile": "手机号码", "bank_card": "银行卡号", "mark": "密级或内部标志"}

_B = r"(?<![0-9A-Za-z])"  # not preceded by a digit or letter
_E = r"(?![0-9A-Za-z])"  # not followed by a digit or letter
GROUP_BEFORE = re.compile(r"[0-9][ -]$")
GROUP_AFTER = re.compile(r"^[ -][0-9]")
ID_RE = re.compile(_B + r"[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}\d{3}[0-9Xx]" + _E)
MOBILE_RE = re.compile(_B + r"(?<!\+)(?:\+?86[ -]?)?(1[3-9]\d)([ -]?)(\d{4})\2(\d{4})" + _E)
CARD_RE = re.compile(_B + r"(?:[3-69]\d{15,18}|[3-69]\d{3}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?)" + _E)
# Every number pattern above needs at least this (11 digits, at most one space or - between two).
# Tried only where such a run of digits begins: found or not exactly as without the lookbehinds, since a
# run that holds 11 from a later digit holds them from its beginning; a third of the scan of front matter
# (索引号, dates and figures: a long attempt from every digit of a run).
ELEVEN_DIGITS = re.compile(r"\d(?<!\d\d)(?<!\d[ -]\d)(?:[ -]?\d){10}")
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"
TERM_RE = r"\d+\s*(?:年|个月)|长期|份号\s*[:：]?\s*\d*|此件|密级"


@dataclass(frozen=True)
class Hit:
    kind: str  # id_card, mobile, bank_card, mark
    text: str  # the match as written: never print it, print `masked`
    normalized: str  # digits only (X upper-cased) or the mark itself
    masked: str
    line: int  # 1-based line within the scanned text

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


# -- pattern checks -----------------------------------------------------------
def id_check_ok(number: str) -> bool:
    number = number.upper()
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS))
    return ID_CHECK[total % 11] == number[17]


def id_birth_ok(number: str, today: date | None = None) -> bool:
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return date(1800, 1, 1) <= born <= (today or date.today())


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def mask(kind: str, normalized: str) -> str:
    if kind == "mobile":
        return normalized[:3] + "****" + normalized[-4:]
    if kind == "id_card":
        return normalized[:2] + "*" * (len(normalized) - 5) + normalized[-3:]
    if kind == "bank_card":
        return normalized[:4] + "*" * (len(normalized) - 8) + normalized[-4:]
    return normalized


def _inside_group(line: str, m: re.Match) -> bool:
    """A match written in groups (138 1234 5678) that is only part of a longer grouped number."""
    return bool(GROUP_BEFORE.search(line[max(0, m.start() - 2) : m.start()]) or GROUP_AFTER.match(line[m.end() : m.end() + 2]))


# -- scanning text ---------------------------------------------------------------
class Scanner:
    def __init__(self, marks: list[str]):
        self.marks = sorted({m for m in marks if m}, key=len, reverse=True)
        alt = "|".join(re.escape(m) for m in self.marks)
        self._star = re.compile(rf"(?:{alt})\s*★") if alt else None
        self._mark = re.compile(alt) if alt else None
        self._filler = re.compile(rf"(?:{alt}|{TERM_RE}|★|[\W_]|[a-zA-Z])+") if alt else None

    def _marks_in(self, line: str) -> list[str]:
        if not self._mark:
            return []
        starred = [re.sub(r"\s", "", m.group(0)) for m in self._star.finditer(line)]
        if starred:
            return starred
        found = [m.group(0) for m in self._mark.finditer(line)]
        if found and not self._filler.sub("", line):
            return found[:1]  # a marking line: report it once
        return []

    def might_hit(self, text: str) -> bool:
        """False when scan() surely finds nothing (no long number, no marking); no pattern spans a line break."""
        return ELEVEN_DIGITS.search(text) is not None or (self._mark is not None and self._mark.search(text) is not None)

    def scan(self, text: str, today: date | None = None) -> list[Hit]:
        hits: list[Hit] = []
        # One pass over the whole text first: no pattern spans a line break, so what a line
        # could match the whole text matches too, and most texts hold nothing to look at.
        numbers = ELEVEN_DIGITS.search(text) is not None and any(p.search(text) for p in (ID_RE, MOBILE_RE, CARD_RE))
        marks = self._mark is not None and self._mark.search(text) is not None
        if not (numbers or marks):
            return hits
        for n, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
            if not numbers:
                hits += [Hit("mark", mark, mark, mark, n) for mark in self._marks_in(line)]
                continue
            ids = set()
            for m in ID_RE.finditer(line):
                number = m.group(0).upper()
                if id_check_ok(number) and id_birth_ok(number, today):
                    ids.add(number)
                    hits.append(Hit("id_card", m.group(0), number, mask("id_card", number), n))
            for m in MOBILE_RE.finditer(line):
                if m.group(2) and _inside_group(line, m):
                    continue
                number = m.group(1) + m.group(3) + m.group(4)
                hits.append(Hit("mobile", m.group(0), number, mask("mobile", number), n))
            for m in CARD_RE.finditer(line):
                if m.group(1) and _inside_group(line, m):
                    continue
                digits = re.sub(r"\D", "", m.group(0))
                if luhn_ok(digits) and digits not in ids:
                    hits.append(Hit("bank_card", m.group(0), digits, mask("bank_card", digits), n))
            if marks:
                hits += [Hit("mark", mark, mark, mark, n) for mark in self._marks_in(line)]
        return hits


def redact(text: str) -> str:
    """text with every personal number masked: for titles shown in logs and reports."""
    for hit in Scanner([]).scan(text):
        text = text.replace(hit.text, hit.masked)
    return text
