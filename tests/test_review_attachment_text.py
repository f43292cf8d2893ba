"""The fast DOCX/XLSX readers return exactly what python-docx / openpyxl give the scan."""
from __future__ import annotations

import datetime
import io
import zipfile

import pytest

from gongkai.review import attachment_text
from gongkai.review.attachment_text import extract, library_docx_segments, library_xlsx_segments, prefetch
from gongkai.review.ooxml_text import NeedsLibrary, docx_segments, xlsx_segments
from gongkai.review.text_cache import TextCache


def docx_bytes(merged: bool = False) -> bytes:
    import docx
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_BREAK

    doc = docx.Document()
    doc.add_heading("关于公路养护的通知", level=1)
    p = doc.add_paragraph("联系人：张三\t电话 13812345678")
    p.add_run().add_break()  # a line break is a new line
    p.add_run("第二行").add_break(WD_BREAK.PAGE)  # a page break is not
    doc.add_paragraph("")
    table = doc.add_table(rows=2, cols=3)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.text = f"格{r}{c}"
    table.cell(1, 2).add_paragraph("格内第二段")
    if merged:
        table.cell(0, 0).merge(table.cell(1, 0))
    doc.sections[0].header.paragraphs[0].text = "内部资料 注意保存"
    doc.add_section(WD_SECTION.NEW_PAGE)
    doc.add_paragraph("第二节正文")
    doc.sections[1].footer.is_linked_to_previous = False
    doc.sections[1].footer.paragraphs[0].text = "第二节页脚"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def xlsx_bytes(dates: bool = False) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "补贴名单"
    sheet.append(["姓名", "电话", "金额", "是否"])
    sheet.append(["张三", 13712345678, 1200.5, True])
    sheet.append([None, None, 3.0, "=1+1"])
    sheet["C7"] = "空行之后"
    if dates:
        sheet["D9"] = datetime.date(2026, 3, 5)
    book.create_sheet("第二张")["B2"] = 11010519491231002
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def shared_strings_xlsx() -> bytes:
    """A workbook as Excel writes it: strings in xl/sharedStrings.xml, one of them rich text."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes())) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<c r="A1" t="inlineStr"><is><t>', b'<c r="A1" t="s"><v>0</v></c><c r="Z1" t="inlineStr"><is><t>')
            if name == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rId99" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>')
            if name == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            dst.writestr(name, data)
        dst.writestr("xl/sharedStrings.xml", '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><r><t>机密</t></r><r><t xml:space="preserve"> ★1年</t></r><rPh sb="0" eb="1"><t>ミ</t></rPh></si></sst>')
    return out.getvalue()


def fast(reader, data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return reader(archive)


def test_docx_text_is_the_same_as_python_docx():
    data = docx_bytes()
    segments = fast(docx_segments, data)
    assert segments == library_docx_segments(io.BytesIO(data))
    assert [where for where, _ in segments] == ["正文", "表格", "页眉页脚"]
    assert "内部资料 注意保存" in segments[2][1] and "第二节页脚" in segments[2][1]


def test_xlsx_text_is_the_same_as_openpyxl():
    for data in (xlsx_bytes(), shared_strings_xlsx()):
        segments = fast(xlsx_segments, data)
        assert segments == library_xlsx_segments(io.BytesIO(data))
    assert fast(xlsx_segments, shared_strings_xlsx())[0][1].startswith("机密 ★1年")


@pytest.mark.parametrize("reader, data", [(docx_segments, docx_bytes(merged=True)), (xlsx_segments, xlsx_bytes(dates=True))])
def test_what_the_fast_readers_leave_to_the_libraries_still_comes_out_the_same(tmp_path, reader, data):
    with pytest.raises(NeedsLibrary):
        fast(reader, data)
    suffix = "docx" if reader is docx_segments else "xlsx"
    path = tmp_path / f"a.{suffix}"
    path.write_bytes(data)
    library = library_docx_segments if suffix == "docx" else library_xlsx_segments
    assert extract(path, data) == tuple(library(str(path)))


def test_a_damaged_file_is_named_as_the_library_names_it(tmp_path):
    path = tmp_path / "a.docx"
    path.write_bytes(b"not a zip")
    with pytest.raises(attachment_text.Unreadable, match="PackageNotFoundError"):
        extract(path, path.read_bytes())


def test_an_attachment_that_cannot_be_opened_is_unreadable_not_a_traceback(tmp_path, monkeypatch):
    """No read permission (root reads everything, so the refusal is simulated where the file is opened)."""
    from gongkai.review.sensitive import _attachment_problems

    path = tmp_path / "a.docx"
    path.write_bytes(docx_bytes())
    monkeypatch.setattr(attachment_text, "_memo", {})

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(attachment_text, "file_digest", refuse)
    with pytest.raises(attachment_text.Unreadable, match="PermissionError"):
        attachment_text.attachment_segments(path, tmp_path)
    problems = _attachment_problems("content/a.md", "a.docx", "docx", path, tmp_path, lambda where, text: [])
    assert len(problems) == 1 and problems[0].severity == "error" and "附件无法读取" in problems[0].message


def test_prefetch_in_workers_fills_the_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(attachment_text, "POOL_MINIMUM", 2)
    monkeypatch.setattr(attachment_text, "_memo", {})
    paths = []
    for i, data in enumerate([docx_bytes(), xlsx_bytes(), b"13812345678\n"]):
        paths.append(tmp_path / f"f{i}.{['docx', 'xlsx', 'txt'][i]}")
        paths[-1].write_bytes(data)
    monkeypatch.setenv("GONGKAI_WORKERS", "2")
    prefetch(paths, tmp_path)
    assert len(TextCache(tmp_path).load()) == 3
    for path in paths:
        assert attachment_text.attachment_segments(path, tmp_path) == extract(path, path.read_bytes())
