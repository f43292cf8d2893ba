"""Files as editors' machines save them, and addresses that collide, through the `gongkai` command."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from input_helpers import PREFIX, item_text, problems_of, run, sample_project, write
from review_helpers import gongkai, init_repo

GBK_ITEM = item_text("2026-00001").encode("gbk")
SAVE_AS = "用编辑器另存为 UTF-8"


@pytest.fixture
def root(tmp_path):
    return sample_project(tmp_path / "proj")


def _says_not_utf8(out: str, rel: str, line: int | None = None) -> bool:
    where = f"{rel}:{line}: " if line else f"{rel}"
    return where in out and "不是 UTF-8 编码" in out and SAVE_AS in out and "Traceback" not in out and "UnicodeDecodeError" not in out


def test_gbk_and_binary_items_are_named_by_every_command(root):
    write(root, "gzdt/2026-00001.md", GBK_ITEM)
    write(root, "gzdt/binary.md", bytes(range(256)) * 4)
    code, out = run(root, "check")
    assert code == 1 and _says_not_utf8(out, "content/gzdt/2026-00001.md", 3) and _says_not_utf8(out, "content/gzdt/binary.md:")
    code, out = run(root, "build", "--site-dir", str(root / "site"))
    assert code == 1 and _says_not_utf8(out, "content/gzdt/2026-00001.md", 3)
    code, out = run(root, "report")
    assert code in (0, 1) and "Traceback" not in out
    (root / "content/gzdt/binary.md").unlink()
    init_repo(root)
    write(root, "gzdt/2026-00002.md", item_text("2026-00002").encode("gbk"))
    result = gongkai(root, "review-status", "--base", "main")
    assert result.returncode == 1 and _says_not_utf8(result.stdout + result.stderr, "content/gzdt/2026-00002.md", 3), result.stdout + result.stderr
    assert "元数据有 1 处错误" in result.stdout or "条目有错误" in result.stdout


def test_gbk_catalog_requests_and_annual_data_are_named(root):
    (root / "requests").mkdir()
    (root / "requests" / "2026.yml").write_bytes("- id: 2026-001\n  申请人: 张三\n".encode("gbk"))
    (root / "annual").mkdir()
    (root / "annual" / "2025.yml").write_bytes("说明: 年度报告\n".encode("gbk"))
    code, out = run(root, "report")
    assert _says_not_utf8(out, "requests/2026.yml", 2), out
    code, out = run(root, "annual-report", "--year", "2025", "--out", str(root / "out"))
    assert code != 0 and _says_not_utf8(out, "annual/2025.yml", 1), out
    (root / "catalog.yml").write_bytes((root / "catalog.yml").read_text(encoding="utf-8").encode("gbk"))
    for args in (["check"], ["build"], ["report"]):
        code, out = run(root, *args)
        assert code in (1, 2) and _says_not_utf8(out, "catalog.yml"), (args, out)


def test_preview_names_a_gbk_item_and_keeps_serving(root):
    from gongkai.adapters.preview_server import start_preview

    write(root, "gzdt/2026-00001.md", GBK_ITEM)
    preview, server, stop = start_preview(root, port=0, site_dir=root.parent / "preview-site")
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        assert any("不是 UTF-8 编码" in str(p) for p in preview.live.state.errors)
        with urllib.request.urlopen(base + "item/2026-00010/", timeout=30) as response:
            assert response.status == 200
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(base + "item/2026-00001/", timeout=30)
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


def test_bom_and_crlf_keep_the_sign_off_and_build_the_same(root):
    """A CRLF checkout (git autocrlf on Windows) or an editor's BOM must not invalidate sign-offs:
    the content digest is taken after both are normalised away."""
    before = json.loads(run(root, "check", "--json")[1])
    for rel in ("gzdt/2026-00010.md", "tzgg/2026-00012.md"):
        path = root / "content" / rel
        text = path.read_bytes().replace(b"\r\n", b"\n")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace(b"\n", b"\r\n") if rel.startswith("gzdt") else text.replace(b"\n", b"\r\n"))
    catalog = root / "catalog.yml"
    catalog.write_bytes(b"\xef\xbb\xbf" + catalog.read_bytes().replace(b"\n", b"\r\n"))
    after = json.loads(run(root, "check", "--json")[1])
    assert after["ok"] and after["published"] == before["published"] == 3, after
    code, out = run(root, "build", "--site-dir", str(root / "site"))
    assert code == 0, out
    page = (root / "site/item/2026-00010/index.html").read_text(encoding="utf-8")
    assert "\ufeff" not in page and "\r" not in page


def test_withdrawn_item_is_not_shown_as_valid(root):
    code, out = run(root, "build", "--site-dir", str(root / "site"))
    assert code == 0, out
    page = (root / "site/item/2026-00708/index.html").read_text(encoding="utf-8")
    assert '<th scope="row">有效性</th><td>已撤回</td>' in page
    assert '<th scope="row">有效性</th><td>有效</td>' in (root / "site/item/2026-00010/index.html").read_text(encoding="utf-8")
    records = {r["id"]: r for r in json.loads((root / "site/data/items.json").read_text(encoding="utf-8"))["items"]}
    assert records[f"{PREFIX}/2026-00708"]["validity"] == "已撤回"
    assert records[f"{PREFIX}/2026-00010"]["validity"] == "有效"


@pytest.mark.parametrize("extra, field", [
    ("slug: 2026-00010\n", "slug"),
    ("slug: new-name\nformer_slugs: [2026-00010]\n", "former_slugs"),
])
def test_an_address_of_another_item_is_an_error_naming_both(root, extra, field):
    write(root, "gzdt/2026-00002.md", item_text("2026-00002", extra))
    code, out = run(root, "check")
    assert code == 1
    mine = [p for p in problems_of(root, "gzdt/2026-00002.md") if p["field"] == field]
    theirs = [p for p in problems_of(root, "gzdt/2026-00010.md") if p["field"] == "id"]
    assert mine and "content/gzdt/2026-00010.md" in mine[0]["message"] and "item/2026-00010/" in mine[0]["message"], mine
    assert theirs and "content/gzdt/2026-00002.md" in theirs[0]["message"], theirs
    assert mine[0]["line"] == (11 if field == "slug" else 12)


def test_a_slug_may_not_repeat_the_items_own_address(root):
    write(root, "gzdt/2026-00002.md", item_text("2026-00002", "slug: 2026-00002\n"))
    assert any("本条目的另一个网址" in p["message"] for p in problems_of(root, "gzdt/2026-00002.md"))


def test_an_unlisted_file_beside_items_is_a_warning_naming_it(root):
    write(root, "tzgg/2026-00012-附件3-补充.pdf", b"%PDF-1.4\n")
    write(root, "tzgg/说明.txt", "随手放的文件".encode("utf-8"))
    write(root, "tzgg/.hidden", b"x")
    code, out = run(root, "check")
    assert code == 0, out
    assert "content/tzgg/2026-00012.md:14: attachments: 文件「2026-00012-附件3-补充.pdf」在条目文件夹中，但没有列在任何条目的 attachments 中" in out
    assert "content/tzgg/说明.txt: attachments: 文件「说明.txt」在条目文件夹中" in out
    assert ".hidden" not in out and "附件1-报名表.docx」在" not in out
    report = json.loads(run(root, "check", "--json")[1])
    assert {p["severity"] for p in report["problems"]} == {"warning"} and report["published"] == 3


@pytest.mark.parametrize("name", ["a\\0b.pdf", "a" * 300 + ".pdf", "a/" * 2100 + "b.pdf"], ids=["nul", "long-name", "long-path"])
def test_an_impossible_attachment_name_is_an_error_not_a_crash(root, name):
    write(root, "gzdt/2026-00002.md", item_text("2026-00002", f'attachments:\n  - {{file: "{name}", title: 附件}}\n'))
    code, out = run(root, "check")
    assert code == 1 and "attachments[1].file: 附件文件名「" in out and "无效" in out, out[-500:]
    code, out = run(root, "report")
    assert code in (0, 1) and "Traceback" not in out
