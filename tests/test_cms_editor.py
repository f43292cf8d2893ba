"""The web editor in Debian's chromium: Decap CMS from .cache/cms (scripts/setup.sh --test), its local
backend decap-server on a scratch git clone of the sample, every request on 127.0.0.1.

One editor session is shared by the tests in order (open → create → edit), as an editor would use it.
"""
from __future__ import annotations

import json
import os
import subprocess
from datetime import date
from pathlib import Path

import pytest
import yaml

from public_helpers import copy_sample_project
from review_helpers import make_pdf

REPO = Path(__file__).resolve().parents[1]
CMS_HOME = REPO / ".cache" / "cms"
# Screenshots for people: test-artifacts/ always; the README's docs/img/ when asked to refresh them.
IMAGES = REPO / ("docs/img" if os.environ.get("GONGKAI_UPDATE_DOC_IMAGES") else "test-artifacts/screenshots")
NEW_TITLE = "江澜市交通运输局开展2026年冬季道路运输安全检查"
ATTACHMENT = "2026-附件1-检查方案.pdf"
BUILD_DAY = date(2026, 11, 25)
DOC_NO = "澜交运〔2026〕31号"


def git(root: Path, *args: str) -> str:
    run = subprocess.run(["git", "-C", str(root), "-c", "user.name=测试", "-c", "user.email=t@example.invalid", *args], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return run.stdout


def gongkai(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(REPO / ".venv" / "bin" / "gongkai"), "-C", str(root), *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    """A scratch clone of the sample with the editor written and served; yields (root, url, requests)."""
    from gongkai.cms.editor import EditorPaths, bundle_dir, config_text, write_editor
    from gongkai.cms.server import EditorServer, free_port
    from gongkai.core.catalog import load_catalog

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GONGKAI_BUILD_DATE", "2026-11-25")
        mp.setenv("GONGKAI_CMS_HOME", str(CMS_HOME))
        root = copy_sample_project(tmp_path_factory.mktemp("cms") / "bureau")
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "示例")
        catalog = load_catalog(root / "catalog.yml", root)
        paths = EditorPaths(root=root, out=root / "cms", content_dir="content", site_dir=root / "site")
        backend_port = free_port()
        write_editor(catalog, paths, bundle_dir(root), BUILD_DAY, backend_port)
        server = EditorServer(root, paths.out, lambda: config_text(catalog, paths, backend_port, BUILD_DAY), 0, backend_port)
        try:
            yield root, server.url
        finally:
            server.stop()


@pytest.fixture(scope="module")
def page(editor, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    page.set_default_timeout(20_000)
    yield page
    context.close()


def shot(page, name: str) -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMAGES / name))


def test_editor_opens_in_chinese_and_lists_a_column(editor, page):
    root, url = editor
    page.goto(url)
    page.get_by_role("button", name="登录").click()  # the local backend: no account, one click
    page.goto(url + "#/collections/gzdt")
    page.get_by_role("heading", name="工作动态").wait_for()
    assert page.get_by_text("法定主动公开内容 / 财政资金 / 三公经费").is_visible()  # a leaf column, with its path
    page.get_by_text("11999900MB1234567Q/2026-00704").first.wait_for()  # an existing item's summary line
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("link", name="内容", exact=True).is_visible()  # Decap's own UI in Chinese (locale zh_Hans)
    assert page.get_by_text("媒体", exact=True).is_visible()
    shot(page, "cms-list.png")


def body_of(text: str) -> str:
    return text.split("\n---\n", 1)[1].strip()


def publish(page) -> None:
    page.get_by_text("内容已保存").wait_for(state="hidden")  # no earlier save's notice still showing
    page.get_by_role("button", name="发布").first.click()
    page.get_by_text("立即发布").click()
    page.get_by_text("内容已保存").wait_for()  # the local backend has written the files


def retype(page, label: str, text: str) -> None:
    """Select all and type over, as a person does (Playwright's fill() appends in Decap's inputs)."""
    page.get_by_label(label).click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def select(page, field: str, *options: str) -> None:
    for option in options:
        page.locator(f"[id^='{field}-field']").click()
        page.get_by_role("option", name=option, exact=True).click()


def test_create_an_item_through_the_form(editor, page):
    root, url = editor
    page.goto(url + "#/collections/gzdt/new")
    page.get_by_label("信息名称").fill(NEW_TITLE)
    select(page, "topics", "道路运输", "安全生产与应急")
    page.get_by_label("生成日期").fill("2026-11-20")
    page.get_by_label("发布日期").fill("2026-11-24")
    page.get_by_label("内容概述").fill("部署全市冬季道路运输企业安全检查，重点检查客运车辆和危险货物运输车辆。")
    page.get_by_label("索引号").scroll_into_view_if_needed()
    shot(page, "cms-form.png")

    page.get_by_role("button", name="发布").first.click()  # body still empty: the form refuses
    page.get_by_text("立即发布").click()
    page.get_by_text("你漏掉了一个必填项").wait_for()
    page.get_by_text("“正文”是必填项").wait_for()
    page.get_by_label("文号").fill("澜交发2026年12号")  # no 六角括号: the schema's pattern
    page.get_by_label("文号").blur()
    shot(page, "cms-validation.png")
    retype(page, "文号", DOC_NO)  # corrected

    pdf = make_pdf(root.parent / ATTACHMENT, ["Winter road transport safety inspection plan"])
    page.get_by_role("button", name="新增附件").click()
    page.get_by_role("button", name="选择文件").click()
    page.locator("input[type=file]").set_input_files(str(pdf))
    page.get_by_role("button", name="选用已选中项目").click()
    page.get_by_label("附件名称").fill("检查方案")
    page.locator("[data-slate-editor]").click()
    page.keyboard.type("各县（区）交通运输主管部门于12月底前完成辖区内道路运输企业安全检查。")
    shown = {
        "id": page.get_by_label("索引号").input_value(),
        "created": page.get_by_label("生成日期").input_value(),
        "published": page.get_by_label("发布日期").input_value(),
        "topics": page.locator("[id^='topics-field']").locator("xpath=ancestor::div[3]").inner_text().split("\n"),
        "disclosure": page.locator("[id^='disclosure-field']").locator("xpath=ancestor::div[3]").inner_text().strip(),
        "validity": page.locator("[id^='validity-field']").locator("xpath=ancestor::div[3]").inner_text().strip(),
    }
    publish(page)

    created = root / "content" / "gzdt" / f"{shown['id'].replace('/', '-').lower()}.md"
    for _ in range(50):
        if created.is_file():
            break
        page.wait_for_timeout(100)
    text = created.read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])
    assert {k: str(v) if k in ("created", "published") else v for k, v in meta.items()} == {
        "id": shown["id"],
        "title": NEW_TITLE,
        "catalog": "gzdt",
        "topics": ["道路运输", "安全生产与应急"],
        "doc_no": DOC_NO,
        "created": shown["created"],
        "published": shown["published"],
        "disclosure": shown["disclosure"],
        "validity": shown["validity"],
        "summary": "部署全市冬季道路运输企业安全检查，重点检查客运车辆和危险货物运输车辆。",
        "attachments": [{"file": ATTACHMENT, "title": "检查方案"}],
    }
    assert [t for t in shown["topics"] if t.strip()] == ["道路运输", "安全生产与应急"]
    assert shown["id"] == "11999900MB1234567Q/2026-00709"  # the next free number after the sample's 00708
    assert (created.parent / ATTACHMENT).read_bytes() == pdf.read_bytes()  # in the item's own folder

    report = json.loads(gongkai(root, "check", "--json").stdout)
    rel = created.relative_to(root).as_posix()
    attachment = f"content/gzdt/{ATTACHMENT}"
    assert [p for p in report["problems"] if p["path"] in (rel, attachment)] == []
    assert [w["reasons"] for w in report["withheld"] if w["path"] == rel] == [[{"code": "unsigned", "text": "尚未经过保密审查（没有审查签署）"}]]


def test_editing_a_signed_item_keeps_its_sign_off_which_turns_stale(editor, page):
    root, url = editor
    path = root / "content" / "gzdt" / "2026-00704.md"
    original = path.read_text(encoding="utf-8")
    before = yaml.safe_load(original.split("---\n")[1])
    assert before["review"]["digest"].startswith("sha256:")
    page.get_by_role("link", name="工作动态").click()  # back to the column's list, then open the item there
    page.get_by_text("11999900MB1234567Q/2026-00704").click()
    page.wait_for_function("document.querySelector('[id^=title-field]') && document.querySelector('[id^=title-field]').value.length > 0")
    page.get_by_label("信息名称").click()
    page.keyboard.press("End")
    page.keyboard.type("（更正）")
    publish(page)
    for _ in range(50):
        after = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        if after["title"] != before["title"]:
            break
        page.wait_for_timeout(100)
    assert after["title"] == before["title"] + "（更正）"
    assert after["review"] == before["review"]  # not in the form, kept as it was
    assert {k: v for k, v in after.items() if k != "title"} == {k: v for k, v in before.items() if k != "title"}
    assert body_of(path.read_text(encoding="utf-8")) == body_of(original)  # the body as the author wrote it

    status = json.loads(gongkai(root, "review-status", "--base", "main", "--json").stdout)
    by_path = {i["path"]: i for i in status["items"]}
    assert by_path["content/gzdt/2026-00704.md"]["statuses"] == ["stale"]
    assert by_path["content/gzdt/2026-00704.md"]["blocking"] and not status["ok"]
    report = json.loads(gongkai(root, "check", "--json").stdout)
    assert [w["reasons"][0]["code"] for w in report["withheld"] if w["path"] == "content/gzdt/2026-00704.md"] == ["stale"]


def test_the_editor_never_reaches_the_public_site(editor):
    root, _ = editor
    run = gongkai(root, "build")
    assert run.returncode == 0, run.stderr
    site = root / "site"
    names = {p.name for p in site.rglob("*")}
    assert (root / "cms" / "decap-cms.js").is_file() and (root / "cms" / "config.yml").is_file()
    assert not names & {"decap-cms.js", "config.yml", ".gongkai-cms"} and not any(n.endswith(".decap-cms.js") for n in names)
    assert not any("2026-00709" in p.as_posix() for p in site.rglob("*"))  # the unsigned new item is withheld
    assert not any("2026-00704" in p.as_posix() for p in site.rglob("*"))  # and so is the stale one
    assert (site / "item" / "2026-00708" / "index.html").is_file()  # while a signed item is there


def test_the_gitlab_configuration_is_accepted_and_offers_gitlab_sign_in(editor, browser, tmp_path):
    """The generated config for a bureau's GitLab (editorial workflow, PKCE) loads without a
    configuration error; nothing is fetched from the GitLab server before signing in."""
    import functools
    import http.server
    import threading

    from gongkai.cms.editor import EditorPaths, bundle_dir, write_editor
    from gongkai.core.catalog import load_catalog

    root, _ = editor
    catalog = load_catalog(root / "catalog.yml", root)
    catalog.raw["cms"] = {"backend": {"name": "gitlab", "repo": "jiaotong/gongkai", "base_url": "https://git.jianglan.example", "app_id": "0123456789abcdef"}}
    out = tmp_path / "editor"
    write_editor(catalog, EditorPaths(root=root, out=out, content_dir="content", site_dir=root / "site"), bundle_dir(root), BUILD_DAY, 9)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        requested = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/")
        page.get_by_role("button", name="使用 GitLab 登录").wait_for()
        assert not page.get_by_text("配置错误").count() and not page.get_by_text("Config Errors").count()
        assert not [u for u in requested if "jianglan.example" in u]
    finally:
        context.close()
        httpd.shutdown()
        httpd.server_close()


def test_every_request_stayed_on_127_0_0_1(editor, page):
    hosts = {u.split("/")[2].split(":")[0] for u in page.requested if u.startswith("http")}
    assert page.requested and hosts == {"127.0.0.1"}, sorted(set(page.requested) - {u for u in page.requested if "//127.0.0.1" in u})
    assert all(u.startswith(("http://127.0.0.1:", "data:", "blob:")) for u in page.requested)
