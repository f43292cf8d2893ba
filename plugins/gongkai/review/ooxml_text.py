"""Text of Word (DOCX) and Excel (XLSX) files read straight from their zip archives.

python-docx and openpyxl build a whole object model to answer "what text is in here";
at 1,300 attachments that was most of a cold `gongkai check`. These readers parse only
the XML parts that hold text, with ElementTree, and return exactly what the old code
returned from the libraries (the same segments, lines and "where" labels, so the scan
reports the same hits at the same places; tests compare the two). Where a file uses a
feature whose library rendering is intricate (merged table cells, date-formatted
numbers), they raise NeedsLibrary and the caller falls back to the library.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from functools import lru_cache
from xml.etree import ElementTree as ET

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
WORKSHEET_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
# Built-in number formats that are not dates or times: openpyxl leaves such numbers numbers.
PLAIN_NUMBER_FORMATS = {0, 1, 2, 3, 4, 9, 10, 11, 12, 13, 37, 38, 39, 40, 48, 49}
CELL_REF = re.compile(r"\$?([A-Z]+)\$?(\d+)$")
_C, _V, _IS = S + "c", S + "v", S + "is"


class NeedsLibrary(Exception):
    """The file uses something only the full library renders faithfully."""


def _relations(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """rId -> (type, part path) for the relationships of one part."""
    folder, name = posixpath.split(part)
    try:
        root = ET.fromstring(archive.read(posixpath.join(folder, "_rels", name + ".rels")))
    except KeyError:
        return {}
    out = {}
    for rel in root.iter(REL):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id")] = (rel.get("Type", ""), path)
    return out


# -- Word ------------------------------------------------------------------------------
def _run_text(run) -> str:
    """python-docx's Run.text: text, tabs, line breaks (not page breaks), non-breaking hyphens."""
    out = []
    for child in run:
        tag = child.tag
        if tag == W + "t":
            out.append(child.text or "")
        elif tag in (W + "tab", W + "ptab"):
            out.append("\t")
        elif tag == W + "br":
            out.append("\n" if child.get(W + "type", "textWrapping") == "textWrapping" else "")
        elif tag == W + "cr":
            out.append("\n")
        elif tag == W + "noBreakHyphen":
            out.append("-")
    return "".join(out)


def _paragraph_text(p) -> str:
    """python-docx's Paragraph.text: runs and hyperlinked runs directly in the paragraph."""
    out = []
    for child in p:
        if child.tag == W + "r":
            out.append(_run_text(child))
        elif child.tag == W + "hyperlink":
            out += [_run_text(r) for r in child.findall(W + "r")]
    return "".join(out)


def _cell_texts(table) -> list[str]:
    """python-docx's cell.text for every cell of every row (no merged cells)."""
    cells = []
    for row in table.findall(W + "tr"):
        for cell in row.findall(W + "tc"):
            props = cell.find(W + "tcPr")
            if props is not None and (props.find(W + "vMerge") is not None or props.find(W + "gridSpan") is not None):
                raise NeedsLibrary("merged table cells")
            cells.append("\n".join(_paragraph_text(p) for p in cell.findall(W + "p")))
    return cells


def _marginal_texts(archive: zipfile.ZipFile, body, relations: dict) -> list[str]:
    """Paragraphs of each section's default header and footer, as python-docx inherits them:
    a section without its own uses the previous section's; with none at all, an empty paragraph."""
    sections = [p.find(f"{W}pPr/{W}sectPr") for p in body.findall(W + "p")] + [body.find(W + "sectPr")]
    sections = [s for s in sections if s is not None]
    texts: list[str] = []
    for kind in ("headerReference", "footerReference"):
        parts = [next((ref.get(R_ID) for ref in s.findall(W + kind) if ref.get(W + "type") == "default"), None) for s in sections]
        inherited = None
        for index, rid in enumerate(parts):
            inherited = rid or inherited
            if inherited is None:
                texts_here = [""]  # python-docx adds its template: one empty paragraph
            else:
                part = ET.fromstring(archive.read(relations[inherited][1]))
                texts_here = [_paragraph_text(p) for p in part.findall(W + "p")]
            texts.append((index, kind, texts_here))
    # python-docx walks the sections, header then footer within each.
    texts.sort(key=lambda t: (t[0], t[1] != "headerReference"))
    return [line for _, _, lines in texts for line in lines]


def docx_segments(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    relations = _relations(archive, "word/document.xml")
    body = ET.fromstring(archive.read("word/document.xml")).find(W + "body")
    if body is None:
        raise NeedsLibrary("no body")
    segments = [("正文", "\n".join(_paragraph_text(p) for p in body.findall(W + "p")))]
    cells = [text for table in body.findall(W + "tbl") for text in _cell_texts(table)]
    if cells:
        segments.append(("表格", "\n".join(cells)))
    marginal = _marginal_texts(archive, body, relations)  # 密级 marks often sit in the header
    if any(marginal):
        segments.append(("页眉页脚", "\n".join(marginal)))
    return segments


# -- Excel -----------------------------------------------------------------------------
def _rich_text(node) -> str:
    """openpyxl's Text.content: the plain text and the text of each formatted run (no phonetics)."""
    parts = [node.findtext(S + "t")] + [run.findtext(S + "t") for run in node.findall(S + "r")]
    return "".join(p for p in parts if p is not None)


def _shared_strings(archive: zipfile.ZipFile, path: str | None) -> list[str]:
    if path is None or path not in archive.namelist():
        return []
    root = ET.fromstring(archive.read(path))
    return [_rich_text(si).replace("x005F_", "") for si in root.findall(S + "si")]


@lru_cache(maxsize=4096)
def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


_REF_COLUMNS: dict[str, int] = {}  # "B12" -> 2: the same references recur in every sheet


def _ref_column(ref: str) -> int:
    column = _REF_COLUMNS.get(ref)
    if column is None:
        column = _column_number(CELL_REF.match(ref).group(1))  # no match: AttributeError, the library decides
        if len(_REF_COLUMNS) > 65536:
            _REF_COLUMNS.clear()
        _REF_COLUMNS[ref] = column
    return column


def _dimension(sheet) -> tuple[int | None, int | None]:
    """(max column, max row) from the sheet's <dimension>, as openpyxl's read-only mode uses them."""
    node = sheet.find(S + "dimension")
    if node is None:
        return None, None
    last = node.get("ref", "").split(":")[-1]
    m = CELL_REF.match(last)
    if not m:
        raise NeedsLibrary("unusual dimension")
    return _column_number(m.group(1)), int(m.group(2))


class _Book:
    """What cell values need from the workbook: shared strings and which styles are plain numbers."""

    def __init__(self, archive: zipfile.ZipFile, strings: list[str], styles_path: str | None):
        self.archive, self.strings, self.styles_path = archive, strings, styles_path
        self._date_styles: set[int] | None = None

    def date_style(self, style: int) -> bool:
        """Whether openpyxl would turn a number in this style into a date or time."""
        if self._date_styles is None:
            self._date_styles = set()
            if self.styles_path and self.styles_path in self.archive.namelist():
                xfs = ET.fromstring(self.archive.read(self.styles_path)).find(S + "cellXfs")
                for i, xf in enumerate(xfs.findall(S + "xf") if xfs is not None else []):
                    if int(xf.get("numFmtId", 0)) not in PLAIN_NUMBER_FORMATS:
                        self._date_styles.add(i)
        return style in self._date_styles

    def value(self, cell):
        """openpyxl's cell value (read-only, data_only) as our scan writes it, or None."""
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            node = cell.find(_IS)
            return _rich_text(node) if node is not None else None
        raw = cell.findtext(_V) or None
        if raw is None:
            return None
        if kind == "n":
            if self.date_style(int(cell.get("s") or 0)):
                raise NeedsLibrary("a number that may be a date")
            number = float(raw) if ("." in raw or "E" in raw or "e" in raw) else int(raw)
            # integers as digits (a mobile number stored as a number is still a mobile number)
            return str(int(number)) if isinstance(number, float) and number.is_integer() else str(number)
        if kind == "s":
            return self.strings[int(raw)]
        if kind == "b":
            return str(bool(int(raw)))
        if kind == "d":
            raise NeedsLibrary("an ISO date cell")
        return raw  # str (a formula's text), e (#N/A): as written


def _row_text(book: _Book, row, max_col: int | None) -> str:
    values: dict[int, str | None] = {}  # by column: a later cell in the same column wins, as in openpyxl
    column = 0
    value = book.value
    for cell in row:
        if cell.tag != _C:
            continue
        ref = cell.get("r")
        column = _ref_column(ref) if ref else column + 1
        values[column] = value(cell)
    limit = max_col or column  # openpyxl: the sheet's width, else the last cell's column
    return "  ".join(v for c, v in sorted(values.items()) if v is not None and c <= limit)


def _sheet_rows(book: _Book, sheet) -> list[str]:
    """One line per row, as openpyxl's read-only iter_rows(values_only=True) yields them:
    missing rows are empty lines, rows past the sheet's <dimension> are cut off."""
    max_col, max_row = _dimension(sheet)
    lines: list[str] = []
    number = 0
    last = 1
    data = sheet.find(S + "sheetData")
    for row in data.findall(S + "row") if data is not None else []:
        number = int(row.get("r")) if row.get("r") else number + 1
        last = number
        if max_row is not None and number > max_row:
            break
        if number <= len(lines):
            continue  # openpyxl skips rows out of order
        lines += [""] * (number - 1 - len(lines))
        lines.append(_row_text(book, row, max_col))
    if max_row is not None and max_row < last:
        lines += [""] * (max_row - len(lines))
    return lines


def xlsx_segments(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    relations = _relations(archive, "xl/workbook.xml")
    by_type = {kind.rsplit("/", 1)[-1]: path for kind, path in relations.values()}
    book = _Book(archive, _shared_strings(archive, by_type.get("sharedStrings")), by_type.get("styles"))
    sheets = ET.fromstring(archive.read("xl/workbook.xml")).find(S + "sheets")
    segments = []
    for sheet in sheets.findall(S + "sheet") if sheets is not None else []:
        kind, path = relations[sheet.get(R_ID)]
        if kind != WORKSHEET_TYPE:
            continue  # chart sheets hold no cells
        rows = _sheet_rows(book, ET.fromstring(archive.read(path)))
        segments.append((f"工作表「{sheet.get('name')}」", "\n".join(rows)))
    return segments
