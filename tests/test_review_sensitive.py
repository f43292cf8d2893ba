"""The sensitive-data scanner: each pattern's hits and near-misses, masking, allow-list, blocking."""
from __future__ import annotations

import json
import re

import pytest

from gongkai.review.scanner import Scanner, id_check_ok, luhn_ok
from gongkai.review.sensitive_config import fingerprint
from review_helpers import edit_catalog, gongkai, make_docx, make_pdf, make_project, sample_key, sign, write_item

MARKS = ["绝密", "机密", "秘密", "内部资料", "内部使用", "注意保存", "工作秘密", "不得外传"]
VALID_ID = "11010519491231002X"  # GB 11643 example: check digit X
VALID_ID_2 = "440524188001010014"


def luhn_complete(stem: str) -> str:
    """Independent Luhn: append the digit that makes stem valid."""
    for d in "0123456789":
        digits = [int(c) for c in stem + d][::-1]
        total = sum(x if i % 2 == 0 else (x * 2 - 9 if x > 4 else x * 2) for i, x in enumerate(digits))
        if total % 10 == 0:
            return stem + d
    raise AssertionError


CARD = luhn_complete("622202123456789012")  # 19 digits
CARD_BAD = CARD[:-1] + str((int(CARD[-1]) + 1) % 10)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(h.kind, h.masked) for h in Scanner(MARKS).scan(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        (f"身份证号{VALID_ID}。", [("id_card", "11*************02X")]),
        (VALID_ID.lower(), [("id_card", "11*************02X")]),
        (VALID_ID_2, [("id_card", "44*************014")]),
        ("联系电话：13812345678", [("mobile", "138****5678")]),
        ("手机 139-1234-5678 或 +86 15012345678", [("mobile", "139****5678"), ("mobile", "150****5678")]),
        (f"账号 {CARD}", [("bank_card", CARD[:4] + "*" * 11 + CARD[-4:])]),
        ("卡号 4111 1111 1111 1111", [("bank_card", "4111********1111")]),
    ],
)
def test_hits(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "11010519491231002Y",  # wrong check character
        "110105194912310021",  # wrong check digit
        "110105194902300021",  # 2 月 30 日: no such birth date
        "编号 2026030513812345678",  # mobile inside a longer digit run
        "813812345678",  # 12 digits
        "1381234567",  # 10 digits
        "12812345678",  # 12x is not a mobile prefix
        "订单 ABC13812345678",  # letters glued on: a code, not a phone
        "2026年3月5日、20260305、2026-03-05",
        "澜交发〔2026〕12号",
        "11999900MB1234567Q/2026-00012",
        "服务热线 0999-12328，电话 0999-12345678",
        CARD_BAD,  # Luhn fails
        "合同编号 2026030512345678901",  # date-like serial starting with 2
        "金额 5000 6000 7000 8000 元",
        "依法保守国家秘密，不得泄露工作秘密。",
        "《机密文件管理办法》规定了内部资料的管理。",
        "五星 ★★★",
    ],
)
def test_near_misses(text):
    assert kinds(text) == []


@pytest.mark.parametrize(
    "line, mark",
    [("机密★1年", "机密★"), ("秘密 ★ 长期", "秘密★"), ("正文中提到绝密★一词也算", "绝密★"), ("机密", "机密"), ("**内部资料**", "内部资料"), ("内部资料  注意保存", "内部资料"), ("份号：000123 机密", "机密"), ("（此件不得外传）", "不得外传")],
)
def test_marks(line, mark):
    assert kinds(line) == [("mark", mark)]


def test_eleven_digit_prefilter_finds_what_the_plain_pattern_finds():
    """ELEVEN_DIGITS tries only where a run of digits begins; it must find a run wherever the plain
    pattern does (and only there), else a number would go unscanned."""
    import random

    from gongkai.review.scanner import ELEVEN_DIGITS

    plain = re.compile(r"\d(?:[ -]?\d){10}")
    rng = random.Random(11)
    alphabet = "0123456789" * 3 + "  --x年\n５٣"
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert (ELEVEN_DIGITS.search(text) is None) == (plain.search(text) is None), repr(text)


def test_checks_themselves():
    assert id_check_ok(VALID_ID) and not id_check_ok(VALID_ID[:-1] + "1")
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")


def _project(tmp_path):
    root = make_project(tmp_path)
    return root


def test_item_hits_are_errors_that_block_and_never_show_the_number(tmp_path):
    root = _project(tmp_path)
    body = "第一行。\n\n联系人手机 13812345678。\n"
    path = write_item(root, "2026-00501", "道路养护通知", body=body)
    result = gongkai(root, "check")
    assert result.returncode == 1
    out = result.stdout + result.stderr
    assert "13812345678" not in out
    assert "138****5678" in out
    line = path.read_text(encoding="utf-8").split("\n").index("联系人手机 13812345678。") + 1
    assert f"content/gzdt/2026-00501.md:{line}:" in out
    # the sign command refuses, and the gate withholds even a signed item
    assert gongkai(root, "sign", str(path), "--reviewer", "周立衡", "--key", str(sample_key("周立衡"))).returncode == 1
    report = json.loads(gongkai(root, "check", "--json").stdout)
    withheld = report["withheld"][0]
    assert "sensitive" in [r["code"] for r in withheld["reasons"]]
    assert "13812345678" not in json.dumps(report, ensure_ascii=False)


def test_title_summary_and_attachments_are_scanned(tmp_path):
    root = _project(tmp_path)
    folder = root / "content" / "gzdt"
    folder.mkdir(parents=True)
    make_pdf(folder / "list.pdf", ["Name list", f"ID {VALID_ID}"])
    make_docx(folder / "notice.docx", ["普通段落"], header="机密★1年")
    (folder / "table.csv").write_text("姓名,电话\n张三,13912345678\n", encoding="utf-8")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    write_item(
        root, "2026-00502", "机密", summary="咨询电话 15012345678",
        attachments=[{"file": n, "title": n} for n in ["list.pdf", "notice.docx", "table.csv", "photo.jpg"]],
    )
    report = json.loads(gongkai(root, "check", "--json").stdout)
    problems = report["problems"]
    text = json.dumps(problems, ensure_ascii=False)
    assert VALID_ID not in text and "13912345678" not in text and "15012345678" not in text
    by = {(p["path"], p["severity"]): p for p in problems}
    assert "11*************02X" in by[("content/gzdt/list.pdf", "error")]["message"]
    assert "第 1 页第 2 行" in by[("content/gzdt/list.pdf", "error")]["message"]
    assert "机密★" in by[("content/gzdt/notice.docx", "error")]["message"]
    assert by[("content/gzdt/table.csv", "error")]["line"] == 2
    assert by[("content/gzdt/photo.jpg", "warning")]["message"].startswith("图片")
    fields = {p["field"] for p in problems if p["path"].endswith(".md")}
    assert {"敏感信息（title）", "敏感信息（summary）"} <= fields


def test_broken_attachment_is_an_error(tmp_path):
    root = _project(tmp_path)
    folder = root / "content" / "gzdt"
    folder.mkdir(parents=True)
    (folder / "bad.pdf").write_bytes(b"not a pdf at all")
    write_item(root, "2026-00503", "附件损坏", attachments=[{"file": "bad.pdf", "title": "附件"}])
    report = json.loads(gongkai(root, "check", "--json").stdout)
    assert any(p["path"].endswith("bad.pdf") and p["severity"] == "error" for p in report["problems"])


def test_items_not_proactive_are_not_scanned(tmp_path):
    root = _project(tmp_path)
    write_item(root, "2026-00504", "内部文件", body="机密★1年\n\n13812345678", disclosure="不予公开")
    assert gongkai(root, "check").returncode == 0


def test_allow_list_needs_an_exact_reviewed_entry(tmp_path):
    root = _project(tmp_path)
    path = write_item(root, "2026-00505", "办事指南", body="值班手机 13812345678，投诉热线 13912345678。")
    item_id = "11999900MB1234567Q/2026-00505"
    allow = [{"item": item_id, "match": fingerprint("13812345678"), "reason": "单位值班公开电话", "reviewer": "林书雅"}]
    edit_catalog(root, lambda d: d["sensitive"].__setitem__("allow", allow))
    report = json.loads(gongkai(root, "check", "--json").stdout)
    masked = [p["message"] for p in report["problems"]]
    assert len(masked) == 1 and "139****5678" in masked[0]  # only the unlisted number remains
    allow.append({"item": item_id, "match": "13912345678", "reason": "投诉热线", "reviewer": "林书雅"})
    edit_catalog(root, lambda d: d["sensitive"].__setitem__("allow", allow))
    assert gongkai(root, "check").returncode == 0
    sign(root, path)
    assert json.loads(gongkai(root, "check", "--json").stdout)["published"] == 1
    # the same number in another item is not covered
    write_item(root, "2026-00506", "另一条", body="13812345678")
    assert gongkai(root, "check").returncode == 1


@pytest.mark.parametrize(
    "entry, message",
    [
        ({"item": "x", "match": "13812345678", "reason": "r"}, "缺少reviewer"),
        ({"item": "x", "match": "13812345678", "reason": "r", "reviewer": "张三"}, "不是经授权的保密审查人员"),
        ("all", "应当是键值映射"),
    ],
)
def test_bad_allow_entries_are_errors_and_ignored(tmp_path, entry, message):
    root = _project(tmp_path)
    edit_catalog(root, lambda d: d["sensitive"].__setitem__("allow", [entry]))
    result = gongkai(root, "check")
    assert result.returncode == 1
    assert re.search(r"catalog\.yml:\d+: sensitive\.allow\[1\]", result.stdout) and message in result.stdout


def test_unused_allow_entry_is_a_warning_and_sign_reminds_of_images(tmp_path):
    root = _project(tmp_path)
    folder = root / "content" / "gzdt"
    folder.mkdir(parents=True)
    (folder / "scan.png").write_bytes(b"\x89PNG")
    path = write_item(root, "2026-00507", "带图片", attachments=[{"file": "scan.png", "title": "现场照片"}])
    allow = [{"item": "11999900MB1234567Q/2026-00507", "match": "13812345678", "reason": "旧号码", "reviewer": "周立衡"}]
    edit_catalog(root, lambda d: d["sensitive"].__setitem__("allow", allow))
    result = gongkai(root, "check")
    assert result.returncode == 0
    assert "sensitive.allow" in result.stdout and "没有匹配任何内容" in result.stdout
    lines = (root / "catalog.yml").read_text(encoding="utf-8").split("\n")
    entry_line = next(n for n, ln in enumerate(lines, start=1) if ln.strip().startswith("- item: 11999900MB1234567Q/2026-00507"))
    assert f"catalog.yml:{entry_line}: sensitive.allow[1]: 允许清单中条目" in result.stdout, result.stdout
    signed = gongkai(root, "sign", str(path), "--reviewer", "周立衡", "--key", str(sample_key("周立衡")))
    assert signed.returncode == 0 and "提示：" in signed.stdout and "图片" in signed.stdout


def test_xlsx_cells_are_scanned_including_numbers(tmp_path):
    from openpyxl import Workbook

    root = _project(tmp_path)
    folder = root / "content" / "gzdt"
    folder.mkdir(parents=True)
    book = Workbook()
    sheet = book.active
    sheet.title = "补贴名单"
    sheet.append(["姓名", "身份证号", "电话", "金额"])
    sheet.append(["张三", VALID_ID, 13712345678, 1200.5])
    sheet.append(["合计", None, None, 20260305])
    book.save(folder / "list.xlsx")
    write_item(root, "2026-00508", "补贴发放", attachments=[{"file": "list.xlsx", "title": "名单"}])
    report = json.loads(gongkai(root, "check", "--json").stdout)
    messages = sorted(p["message"] for p in report["problems"])
    assert messages == ["工作表「补贴名单」第 2 行：疑似居民身份证号码「11*************02X」", "工作表「补贴名单」第 2 行：疑似手机号码「137****5678」"]


def test_titles_in_reports_and_pr_logs_are_masked(tmp_path):
    from gongkai.review.scanner import redact

    assert redact(f"张三 13812345678 {VALID_ID}") == "张三 138****5678 11*************02X"
    root = _project(tmp_path)
    write_item(root, "2026-00509", "回复 13812345678 的来信")
    from review_helpers import git, init_repo

    init_repo(root)
    git(root, "checkout", "-q", "-b", "pr")
    write_item(root, "2026-00509", "回复 13812345678 的来信", body="改动")
    status = gongkai(root, "review-status", "--base", "main")
    assert "138****5678" in status.stdout and "13812345678" not in status.stdout
    gongkai(root, "build")  # fails (strict), so write the audit directly
    from gongkai.reports.audit import write_reports
    from gongkai.project import load_state

    reports = write_reports(load_state(root), root / "reports", root / "site")
    assert "13812345678" not in "".join(p.read_text(encoding="utf-8") for p in reports.iterdir())


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1 13812345678", ["138****5678"]),  # row number, then an ungrouped mobile
        ("13812345678 2026", ["138****5678"]),
        ("编号 0999 138 1234 5678", []),  # grouped digits continuing a longer grouped number
        ("138 1234 5678 9012", []),
    ],
)
def test_grouped_numbers_and_neighbours(text, expected):
    assert [m for k, m in kinds(text)] == expected


def test_missing_marks_configuration_is_said(tmp_path):
    root = _project(tmp_path)
    edit_catalog(root, lambda d: d.pop("sensitive"))
    write_item(root, "2026-00510", "无配置", body="机密★1年\n\n13812345678")
    result = gongkai(root, "check")
    assert result.returncode == 1  # numbers are still found
    assert "sensitive.marks" in result.stdout and "机密★" not in result.stdout
