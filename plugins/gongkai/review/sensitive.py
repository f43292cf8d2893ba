"""Sensitive-data scan: personal data and 密级 marks must never reach the site.

Scans every field shown to the public (title, summary, other front-matter
text), the body and the text of attachments (PDF, DOCX, XLSX, plain text)
for:

- resident ID numbers: 18 characters, a real birth date, ISO 7064 MOD 11-2 check;
- mobile numbers: 1[3-9]x and 11 digits (optionally +86 / grouped 3-4-4);
- bank card numbers: 16-19 digits (optionally grouped by 4), Luhn check;
- 密级 and internal marks configured in catalog.yml (`sensitive.marks`).

Numbers only count when they are not part of a longer run of digits or
letters, so dates (20260305), 文号, 索引号 and credit codes do not trigger.

Mark rule (keeps false positives low): a mark counts when it is followed by
★ (机密★1年) anywhere, or when it stands on a line of its own, where only other
marks, ★, a term (1年 / 6个月 / 长期), 份号 and punctuation may share the line.
So 保守国家秘密 or 不得泄露工作秘密 in running text do not trigger, while a
header line "内部资料 注意保存" or "机密" does.

A hit is an error Problem showing only the masked match (138****1234;
ID numbers keep the first 2 and last 3 characters). A reviewer may approve a
specific match in `sensitive.allow` (item + literal or sha256 of the match);
there is no switch that turns the scan off.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from gongkai.core.catalog import Catalog
from gongkai.core.items import Item
from gongkai.core.problems import Problem, relative

FIELD_PREFIX = "敏感信息"  # Problem.field of every hit starts with this
DEFAULT_SCAN_DISCLOSURE = ["主动公开"]
TEXT_SUFFIXES = {"txt", "csv", "tsv", "json", "xml", "html", "htm"}
IMAGE_SUFFIXES = {"png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "webp", "svg"}
KIND_LABELS = {"id_card": "居民身份证号码", "mobile": "手机号码", "bank_card": "银行卡号", "mark": "密级或内部标志"}

_B = r"(?<![0-9A-Za-z])"  # not preceded by a digit or letter
_E = r"(?![0-9A-Za-z])"  # not followed by a digit or letter
GROUP_BEFORE = re.compile(r"[0-9][ -]$")
GROUP_AFTER = re.compile(r"^[ -][0-9]")
ID_RE = re.compile(_B + r"[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}\d{3}[0-9Xx]" + _E)
MOBILE_RE = re.compile(_B + r"(?<!\+)(?:\+?86[ -]?)?(1[3-9]\d)([ -]?)(\d{4})\2(\d{4})" + _E)
CARD_RE = re.compile(_B + r"(?:[3-69]\d{15,18}|[3-69]\d{3}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?)" + _E)
ELEVEN_DIGITS = re.compile(r"\d(?:[ -]?\d){10}")  # every number pattern above needs at least this
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


def fingerprint(normalized: str) -> str:
    """What an allow-list entry may name instead of the match itself."""
    return "sha256:" + hashlib.sha256(normalized.encode("utf-8")).hexdigest()


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


# -- attachments -------------------------------------------------------------------
class Unreadable(Exception):
    pass


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _pdf_segments(path: Path) -> list[tuple[str, str]]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return [(f"第 {i} 页", page.extract_text() or "") for i, page in enumerate(reader.pages, start=1)]


def _docx_segments(path: Path) -> list[tuple[str, str]]:
    import docx

    doc = docx.Document(str(path))
    segments = [("正文", "\n".join(p.text for p in doc.paragraphs))]
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    if cells:
        segments.append(("表格", "\n".join(cells)))
    marginal = []
    for section in doc.sections:  # 密级 marks often sit in the header
        for part in (section.header, section.footer):
            marginal += [p.text for p in part.paragraphs]
    if any(marginal):
        segments.append(("页眉页脚", "\n".join(marginal)))
    return segments


def _xlsx_segments(path: Path) -> list[tuple[str, str]]:
    from openpyxl import load_workbook

    book = load_workbook(str(path), read_only=True, data_only=True)
    try:
        segments = []
        for sheet in book.worksheets:
            rows = []
            for row in sheet.iter_rows(values_only=True):
                # integers as digits (a mobile number stored as a number is still a mobile number)
                cells = [str(int(v)) if isinstance(v, float) and v.is_integer() else str(v) for v in row if v is not None]
                rows.append("  ".join(cells))
            segments.append((f"工作表「{sheet.title}」", "\n".join(rows)))
        return segments
    finally:
        book.close()


@lru_cache(maxsize=512)
def _extract(path_str: str, mtime_ns: int, size: int) -> tuple[tuple[str, str], ...]:
    path = Path(path_str)
    suffix = path.suffix.lower().lstrip(".")
    try:
        if suffix == "pdf":
            return tuple(_pdf_segments(path))
        if suffix == "docx":
            return tuple(_docx_segments(path))
        if suffix in ("xlsx", "xlsm"):
            return tuple(_xlsx_segments(path))
        return (("", _decode(path.read_bytes())),)
    except Exception as exc:  # any parser failure: the file cannot be cleared automatically
        raise Unreadable(type(exc).__name__) from None


CACHE_DIR = ".gongkai-cache/attachment-text"  # under the project root; gitignored
EXTRACTOR_VERSION = "1"  # bump when extraction changes, so cached text is not reused


def attachment_segments(path: Path, root: Path | None = None) -> tuple[tuple[str, str], ...]:
    """(location, text) pairs of an attachment's text; raises Unreadable.

    Extraction (PDF, DOCX, XLSX parsing) is most of what `gongkai check` costs at
    scale, so with a project root the text is kept on disk keyed by the file's
    SHA-256: an unchanged attachment is never parsed twice, whatever its name or date.
    """
    st = path.stat()
    if root is None:
        return _extract(str(path.resolve()), st.st_mtime_ns, st.st_size)
    data = path.read_bytes()
    cached = root / CACHE_DIR / f"{hashlib.sha256(data).hexdigest()}-v{EXTRACTOR_VERSION}.json"
    try:
        return tuple(tuple(pair) for pair in json.loads(cached.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        pass
    segments = _extract(str(path.resolve()), st.st_mtime_ns, st.st_size)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(segments, ensure_ascii=False), encoding="utf-8")
        tmp.replace(cached)  # atomic: a concurrent reader never sees half a file
    except OSError:
        pass  # a read-only checkout still works, just without the cache
    return segments


# -- configuration and allow-list -------------------------------------------------------
@dataclass(frozen=True)
class Allow:
    item: str
    match: str
    reason: str
    reviewer: str

    def covers(self, item_id: str, hit: Hit) -> bool:
        if self.item != item_id:
            return False
        return self.match in (hit.text, hit.normalized, fingerprint(hit.normalized))


@dataclass
class Config:
    marks: list[str]
    scan_disclosure: list[str]
    allow: list[Allow]
    problems: list[Problem]  # problems with the configuration itself (catalog.yml)


def load_config(catalog: Catalog, root: Path) -> Config:
    raw = catalog.raw.get("sensitive") or {}
    rel = relative(catalog.path, root)
    problems: list[Problem] = []
    if not isinstance(raw, dict):
        problems.append(Problem(rel, "sensitive", "应当是键值映射", "按 docs/review-workflow.md 的示例填写 sensitive"))
        raw = {}
    marks = [str(m) for m in raw.get("marks") or []]
    if not marks:
        problems.append(Problem(rel, "sensitive.marks", "没有配置密级和内部标志，这些标志不会被检查", "按 docs/review-workflow.md 填写 sensitive.marks", severity="warning"))
    scan_disclosure = [str(d) for d in raw.get("scan_disclosure") or DEFAULT_SCAN_DISCLOSURE]
    allow: list[Allow] = []
    for i, entry in enumerate(raw.get("allow") or []):
        where = f"sensitive.allow[{i + 1}]"
        if not isinstance(entry, dict):
            problems.append(Problem(rel, where, "应当是键值映射", "写成 {item: 索引号, match: 原文或 sha256:…, reason: 理由, reviewer: 审查人}"))
            continue
        missing = [k for k in ("item", "match", "reason", "reviewer") if not str(entry.get(k) or "").strip()]
        if missing:
            problems.append(Problem(rel, where, f"缺少{'、'.join(missing)}", "每一项都要写明条目索引号、具体匹配内容、理由和审查人；不允许整体关闭检查"))
            continue
        reviewer = str(entry["reviewer"])
        if reviewer not in catalog.reviewers:
            problems.append(Problem(rel, where + ".reviewer", f"「{reviewer}」不是经授权的保密审查人员", "由 reviewers 名单中的审查人员登记"))
            continue
        allow.append(Allow(str(entry["item"]), str(entry["match"]), str(entry["reason"]), reviewer))
    return Config(marks, scan_disclosure, allow, problems)


# -- items ---------------------------------------------------------------------------
def _hit_problem(path: str, field: str, hit: Hit, line: int | None, where: str = "") -> Problem:
    if hit.kind == "mark":
        fix = "带密级或内部标志的信息不得公开：确认已解密并准予公开后删除该标志；如只是引用该词，请改写该行"
    else:
        fix = (
            "删除或按规定打码（手机号写成 138****1234，身份证号只保留前 2 位和后 3 位）；"
            "确属可以公开的（如单位公开电话），由审查人员在 catalog.yml 的 sensitive.allow 中逐项登记"
        )
    at = f"{where}：" if where else ""
    return Problem(path, f"{FIELD_PREFIX}（{field}）", f"{at}疑似{hit.label}「{hit.masked}」", fix, line=line)


def _meta_texts(meta: dict):
    """(field, text) of every front-matter string the public may see (the review block excluded)."""
    for key, value in meta.items():
        if key == "review":
            continue
        if isinstance(value, str):
            yield str(key), value
        elif isinstance(value, list):
            for v in value:
                if isinstance(v, str):
                    yield str(key), v
                elif isinstance(v, dict):
                    for sub in v.values():
                        if isinstance(sub, str):
                            yield str(key), sub


def _body_offset(item: Item) -> int:
    """Lines before the body in the file, so hits in the body get real line numbers."""
    try:
        raw = item.path.read_text(encoding="utf-8").replace("\r\n", "\n").lstrip("\ufeff")
    except OSError:
        return 0
    at = raw.rfind(item.body) if item.body else -1
    return raw[:at].count("\n") if at >= 0 else 0


def scan_item(item: Item, scanner: Scanner, config: Config, root: Path, today: date | None = None, used: set[int] | None = None) -> list[Problem]:
    out: list[Problem] = []
    used = used if used is not None else set()

    def allowed(hit: Hit) -> bool:
        covering = [i for i, a in enumerate(config.allow) if a.covers(item.id, hit)]
        used.update(covering)
        return bool(covering)
    for field, text in _meta_texts(item.meta):
        for hit in scanner.scan(text, today):
            if not allowed(hit):
                out.append(_hit_problem(item.rel, field, hit, item.line_of(field)))
    offset = _body_offset(item)
    for hit in scanner.scan(item.body, today):
        if not allowed(hit):
            out.append(_hit_problem(item.rel, "正文", hit, offset + hit.line))
    item_dir = item.path.parent.resolve()
    for a in item.attachments:
        target = a.path.resolve()
        if item_dir not in target.parents or not target.is_file():
            continue  # schema.py reports these
        rel = relative(target, root)
        field = f"附件「{a.file}」"
        if a.suffix in IMAGE_SUFFIXES:
            out.append(Problem(rel, f"{FIELD_PREFIX}（{field}）", "图片无法自动检查个人信息和密级标志", "保密审查人员须逐张人工查看后再签署", severity="warning"))
            continue
        if a.suffix not in TEXT_SUFFIXES | {"pdf", "docx", "xlsx", "xlsm"}:
            out.append(Problem(rel, f"{FIELD_PREFIX}（{field}）", f"{a.suffix.upper() or '此类'} 文件无法自动检查", "保密审查人员须人工通读后再签署；能转成 PDF 或 DOCX 的请转换", severity="warning"))
            continue
        try:
            segments = attachment_segments(target, root)
        except Unreadable as exc:
            out.append(Problem(rel, f"{FIELD_PREFIX}（{field}）", f"附件无法读取（{exc}），不能确认其中没有敏感信息", "检查文件是否损坏，重新导出后再放入"))
            continue
        if a.suffix == "pdf" and not any(text.strip() for _, text in segments):
            out.append(Problem(rel, f"{FIELD_PREFIX}（{field}）", "PDF 中没有可提取的文字（可能是扫描件），无法自动检查", "保密审查人员须逐页人工查看后再签署", severity="warning"))
        for where, text in segments:
            for hit in scanner.scan(text, today):
                if allowed(hit):
                    continue
                if where:  # PDF page / DOCX part / sheet: the line is within that part
                    out.append(_hit_problem(rel, field, hit, None, f"{where}第 {hit.line} 行"))
                else:
                    out.append(_hit_problem(rel, field, hit, hit.line))
    return out


def scan_items(items: list[Item], catalog: Catalog, root: Path, today: date | None = None) -> tuple[dict[str, list[Problem]], list[Problem]]:
    """Hits per item path (items that the gate could publish), and configuration problems."""
    config = load_config(catalog, root)
    scanner = Scanner(config.marks)
    found: dict[str, list[Problem]] = {}
    used: set[int] = set()
    for item in items:
        if item.parse_problems or item.meta.get("disclosure") not in config.scan_disclosure:
            continue
        problems = scan_item(item, scanner, config, root, today, used)
        if problems:
            found[item.rel] = problems
    rel = relative(catalog.path, root)
    unused = [
        Problem(rel, "sensitive.allow", f"允许清单中条目「{a.item}」的这一项（{a.reason}）没有匹配任何内容", "内容已删除或已改动时删除这一项，以免日后放过同一号码", severity="warning")
        for i, a in enumerate(config.allow)
        if i not in used
    ]
    return found, config.problems + unused


def is_sensitive(problem: Problem) -> bool:
    return problem.field.startswith(FIELD_PREFIX)
