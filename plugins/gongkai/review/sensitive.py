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

from datetime import date
from pathlib import Path

from gongkai.core.catalog import Catalog
from gongkai.core.items import Item
from gongkai.core.problems import Problem, relative, resolve_folder, resolve_in
from gongkai.review.sensitive_config import Config, load_config
from gongkai.review.scanner import Hit, Scanner
from gongkai.review.attachment_text import CACHE_DIR, IMAGE_SUFFIXES, READABLE_SUFFIXES, Unreadable, attachment_segments, prefetch

__all__ = ["CACHE_DIR", "Config", "Scanner", "is_sensitive", "load_config", "scan_item", "scan_items"]  # CACHE_DIR: where scanned text is kept

FIELD_PREFIX = "敏感信息"  # Problem.field of every hit starts with this


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


def _meta_texts(meta: dict) -> list[tuple[str, str]]:
    """(field, text) of every front-matter string the public may see (the review block excluded)."""
    out = []
    for key, value in meta.items():
        if key == "review":
            continue
        if isinstance(value, str):
            out.append((str(key), value))
        elif isinstance(value, list):
            for v in value:
                if isinstance(v, str):
                    out.append((str(key), v))
                elif isinstance(v, dict):
                    out += [(str(key), sub) for sub in v.values() if isinstance(sub, str)]
    return out


def _body_offset(item: Item) -> int:
    """Lines before the body in the file, so hits in the body get real line numbers."""
    try:
        raw = item.path.read_text(encoding="utf-8").replace("\r\n", "\n").lstrip("\ufeff")
    except (OSError, ValueError):  # unreadable or not UTF-8: reported by core.items
        return 0
    at = raw.rfind(item.body) if item.body else -1
    return raw[:at].count("\n") if at >= 0 else 0


def _attachment_problems(rel: str, field: str, suffix: str, target: Path, root: Path, scan) -> list[Problem]:
    """The problems of one attachment; `scan(where, text)` gives the problems of the hits in a text."""
    def note(message: str, fix: str, severity: str = "error") -> Problem:
        return Problem(rel, f"{FIELD_PREFIX}（{field}）", message, fix, severity=severity)
    if suffix in IMAGE_SUFFIXES:
        return [note("图片无法自动检查个人信息和密级标志", "保密审查人员须逐张人工查看后再签署", "warning")]
    if suffix not in READABLE_SUFFIXES:
        return [note(f"{suffix.upper() or '此类'} 文件无法自动检查", "保密审查人员须人工通读后再签署；能转成 PDF 或 DOCX 的请转换", "warning")]
    try:
        segments = attachment_segments(target, root)
    except Unreadable as exc:
        return [note(f"附件无法读取（{exc}），不能确认其中没有敏感信息", "检查文件是否损坏，重新导出后再放入")]
    out = []
    if suffix == "pdf" and not any(text.strip() for _, text in segments):
        out.append(note("PDF 中没有可提取的文字（可能是扫描件），无法自动检查", "保密审查人员须逐页人工查看后再签署", "warning"))
    for where, text in segments:
        out += scan(where, text)
    return out


def _attachment_targets(item: Item, folders: dict[Path, Path] | None = None):
    """(attachment, resolved path) of each attachment that is a file inside the item's folder;
    folders: resolved folders, kept over one pass (core.problems.resolve_in)."""
    attachments = item.attachments
    if not attachments:
        return  # most items: no path resolving at all
    folders = {} if folders is None else folders
    item_dir = resolve_folder(item.path.parent, folders)
    for a in attachments:
        target = resolve_in(a.path, folders)
        if item_dir in target.parents and target.is_file():
            yield a, target  # others: schema.py reports them


def scan_item(item: Item, scanner: Scanner, config: Config, root: Path, today: date | None = None, used: set[int] | None = None,
              folders: dict[Path, Path] | None = None) -> list[Problem]:
    out: list[Problem] = []
    used = used if used is not None else set()

    def unallowed(text: str) -> list[Hit]:
        hits = []
        for hit in scanner.scan(text, today):
            covering = [i for i, a in enumerate(config.allow) if a.covers(item.id, hit)]
            used.update(covering)
            if not covering:
                hits.append(hit)
        return hits
    texts = _meta_texts(item.meta)
    if scanner.might_hit("\n".join([text for _, text in texts])):  # most items: one look at all their fields
        for field, text in texts:
            out += [_hit_problem(item.rel, field, hit, item.line_of(field)) for hit in unallowed(text)]
    body_hits = unallowed(item.body)
    offset = _body_offset(item) if body_hits else 0
    out += [_hit_problem(item.rel, "正文", hit, offset + hit.line) for hit in body_hits]
    for a, target in _attachment_targets(item, folders):
        rel, field = relative(target, root, resolved=True), f"附件「{a.file}」"

        def scan(where: str, text: str) -> list[Problem]:
            # PDF page / DOCX part / sheet: the line is within that part
            return [_hit_problem(rel, field, hit, None, f"{where}第 {hit.line} 行") if where else _hit_problem(rel, field, hit, hit.line)
                    for hit in unallowed(text)]
        out += _attachment_problems(rel, field, a.suffix, target, root, scan)
    return out


def prefetch_attachments(items: list[Item], root: Path) -> None:
    """Extract these items' attachments' text ahead of their scan (attachment_text.prefetch)."""
    folders: dict[Path, Path] = {}
    prefetch([target for item in items for _, target in _attachment_targets(item, folders)], root)


def is_scanned(item: Item, config: Config) -> bool:
    """Whether the scan looks at this item: valid front matter, a disclosure the scan covers."""
    return not item.parse_problems and item.meta.get("disclosure") in config.scan_disclosure


def scan_items(items: list[Item], catalog: Catalog, root: Path, today: date | None = None) -> tuple[dict[str, list[Problem]], list[Problem]]:
    """Hits per item path (items that the gate could publish), and configuration problems.
    Attachments' text comes from the cache that load_state() filled (start_prefetch_under) beforehand."""
    config = load_config(catalog, root)
    scanner = Scanner(config.marks)
    found: dict[str, list[Problem]] = {}
    used: set[int] = set()
    folders: dict[Path, Path] = {}
    for item in (i for i in items if is_scanned(i, config)):
        problems = scan_item(item, scanner, config, root, today, used, folders)
        if problems:
            found[item.rel] = problems
    rel = relative(catalog.path, root)
    unused = [
        Problem(rel, a.where, f"允许清单中条目「{a.item}」的这一项（{a.reason}）没有匹配任何内容", "内容已删除或已改动时删除这一项，以免日后放过同一号码",
                severity="warning", line=catalog.line_of(a.where))
        for i, a in enumerate(config.allow)
        if i not in used
    ]
    return found, config.problems + unused


def is_sensitive(problem: Problem) -> bool:
    return problem.field.startswith(FIELD_PREFIX)
