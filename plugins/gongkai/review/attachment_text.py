"""The text of attachments, for the sensitive-data scan: PDF, DOCX, XLSX and plain text.

Extraction is most of what a cold `gongkai check` costs at scale, so:
- DOCX and XLSX are read straight from their zip (ooxml_text), with python-docx or
  openpyxl only for the few files those readers leave to them;
- the text is kept on disk keyed by the file's SHA-256 (text_cache, in .gongkai-cache, gitignored):
  an unchanged attachment is never parsed twice, whatever its name or date;
- many uncached attachments are parsed in worker processes (prefetch).
"""
from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

from gongkai.core.digest import file_digest, remember_digest
from gongkai.core.parallel import start_map
from gongkai.review.ooxml_text import docx_segments, xlsx_segments
from gongkai.review.text_cache import CACHE_DIR, Segments, TextCache

TEXT_SUFFIXES = {"txt", "csv", "tsv", "json", "xml", "html", "htm"}
READABLE_SUFFIXES = TEXT_SUFFIXES | {"pdf", "docx", "xlsx", "xlsm"}
IMAGE_SUFFIXES = {"png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "webp", "svg"}
POOL_MINIMUM = 48  # uncached attachments below which a worker pool costs more than it saves
BATCHES = 16  # batches of attachments per pool: the workers' load stays even, and each batch is one pack
MEMO_LIMIT = 8192
_memo: dict[str, Segments] = {}  # by content digest: the preview asks again after every save


class Unreadable(Exception):
    pass


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _named_encodings() -> None:
    """pypdf builds the same 256-entry table of a named encoding (cp1252) by 256 decodes for every
    page and font it reads, a fifth of extracting a one-page PDF: built once here, each caller still
    gets its own copy (it may change it). Only for the pypdf version pinned; any other is left as it is."""
    import pypdf
    from pypdf._text_extraction import _text_extractor
    from pypdf.generic import _font

    original = getattr(_text_extractor, "encoding_dict_from_named_encoding", None)
    if pypdf.__version__ != "7.1.1" or original is None or getattr(original, "gongkai_cached", False):
        return
    tables: dict[str, dict[int, str]] = {}

    def cached(encoding: str) -> dict[int, str]:
        if encoding not in tables:
            tables[encoding] = original(encoding)
        return dict(tables[encoding])
    cached.gongkai_cached = True
    _text_extractor.encoding_dict_from_named_encoding = _font.encoding_dict_from_named_encoding = cached


def _pdf_segments(source) -> list[tuple[str, str]]:
    from pypdf import PdfReader

    _named_encodings()
    reader = PdfReader(source)
    return [(f"第 {i} 页", page.extract_text() or "") for i, page in enumerate(reader.pages, start=1)]


def library_docx_segments(source) -> list[tuple[str, str]]:
    """The reference reading (python-docx) of a path or stream; ooxml_text.docx_segments returns the same."""
    import docx

    doc = docx.Document(source)
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


def library_xlsx_segments(source) -> list[tuple[str, str]]:
    """The reference reading (openpyxl) of a path or stream; ooxml_text.xlsx_segments returns the same."""
    from openpyxl import load_workbook

    book = load_workbook(source, read_only=True, data_only=True)
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


def _office_segments(path: Path, data: bytes, fast, library) -> list[tuple[str, str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return fast(archive)
    except Exception:  # NeedsLibrary, or a damaged file: the library decides (and names the error)
        return library(str(path))


def extract(path: Path, data: bytes) -> Segments:
    """(where, text) pairs of the text of a file whose bytes are `data`; raises Unreadable."""
    suffix = path.suffix.lower().lstrip(".")
    try:
        if suffix == "pdf":
            return tuple(_pdf_segments(io.BytesIO(data)))
        if suffix == "docx":
            return tuple(_office_segments(path, data, docx_segments, library_docx_segments))
        if suffix in ("xlsx", "xlsm"):
            return tuple(_office_segments(path, data, xlsx_segments, library_xlsx_segments))
        return (("", _decode(data)),)
    except Exception as exc:  # any parser failure: the file cannot be cleared automatically
        raise Unreadable(type(exc).__name__) from None


def _remember(digest: str, segments: Segments) -> Segments:
    if len(_memo) >= MEMO_LIMIT:
        _memo.clear()
    _memo[digest] = segments
    return segments


_caches: dict[Path, TextCache] = {}  # one per project root: its packs are read once


def _cache(root: Path) -> TextCache:
    if root not in _caches:
        _caches[root] = TextCache(root)
    return _caches[root]


def attachment_segments(path: Path, root: Path | None = None) -> Segments:
    """(where, text) pairs of an attachment's text, from memory, the disk cache (with a
    project root) or the file itself; raises Unreadable (also when the file cannot be opened)."""
    try:
        digest = file_digest(path)
    except OSError as exc:  # no read permission, or gone meanwhile: a finding, not a traceback
        raise Unreadable(type(exc).__name__) from None
    if digest in _memo:
        return _memo[digest]
    if root is not None and (cached := _cache(root).get(digest)) is not None:
        return _remember(digest, cached)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Unreadable(type(exc).__name__) from None
    digest = hashlib.sha256(data).hexdigest()  # of the bytes extracted: the file may have changed meanwhile
    segments = extract(path, data)
    if root is not None:
        _cache(root).put({digest: segments})
    return _remember(digest, segments)


def _extract_batch(job: tuple[list[str], str | None]) -> list[tuple[tuple | None, str | None, Segments | None]]:
    """For each path, (the file's stamp, the SHA-256 of its bytes, their text) as file_digest and
    extract give them; the batch's texts go to the disk cache as one pack."""
    paths, root = job
    results, extracted = [], {}
    for name in paths:
        path = Path(name)
        try:
            st = path.stat()
            data = path.read_bytes()
        except OSError:
            results.append((None, None, None))  # the scan finds it missing or unreadable and says so
            continue
        digest = hashlib.sha256(data).hexdigest()
        try:
            extracted[digest] = segments = extract(path, data)
        except Unreadable:
            results.append((None, digest, None))  # the scan extracts it again and reports it
            continue
        results.append(((name, st.st_mtime_ns, st.st_size), digest, segments))
    if root is not None:
        TextCache(Path(root)).put(extracted)
    return results


def _pending(paths: list[Path], root: Path | None) -> list[Path]:
    """The files among `paths` whose text is neither in memory nor in the disk cache. With neither
    (a cold check), all of them, unread: the workers hash them (file_digest learns their digests)."""
    pending = []
    cold = not _memo and (root is None or not (root / CACHE_DIR).is_dir())
    for path in dict.fromkeys(paths):
        if cold:
            if os.path.isfile(path):
                pending.append(path)
            continue
        try:
            digest = file_digest(path)
        except OSError:
            continue
        if digest not in _memo and (root is None or _cache(root).get(digest) is None):
            pending.append(path)
    return pending


def start_prefetch(paths: list[Path], root: Path | None):
    """prefetch(), begun now in worker processes; returns the function that waits for it. Only when
    there are enough to pay for the workers: otherwise the scan extracts these few itself."""
    pending = _pending(paths, root)
    if len(pending) < POOL_MINIMUM:
        return lambda: None
    if any(p.suffix.lower() == ".pdf" for p in pending):
        _named_encodings()  # pypdf imported once here, before the workers fork, not once in each
    size = max(1, len(pending) // BATCHES)
    batches = [([str(p) for p in pending[i:i + size]], str(root) if root is not None else None)
               for i in range(0, len(pending), size)]
    results = start_map(_extract_batch, batches, 1)

    def finish() -> None:
        for stamp, digest, segments in (result for batch in results() for result in batch):
            if stamp is not None:
                remember_digest(stamp, digest)
            if segments is not None:
                _remember(digest, segments)
    return finish


def prefetch(paths: list[Path], root: Path | None) -> None:
    """Extract, in worker processes, the attachments neither in memory nor in the disk cache,
    when there are enough of them to pay for the workers; attachment_segments then finds them."""
    start_prefetch(paths, root)()


def start_prefetch_under(folder: Path, root: Path):
    """start_prefetch() of every readable file under `folder` but the items (*.md): a cold check
    starts the workers on the attachments first and parses the items meanwhile."""
    paths = [Path(top, name) for top, _, names in os.walk(folder) for name in names
             if name.rpartition(".")[2].lower() in READABLE_SUFFIXES and not name.endswith(".md")]
    return start_prefetch(sorted(paths), root)
