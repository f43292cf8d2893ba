"""Stored script injection (issue 10): escaping in every template, the body allow-list, the CSP.

Payloads go in through the `gongkai` command (check, sign, build) and the result is opened in
Debian's chromium: no dialog may fire, no script from a payload may be in the DOM, and the
Content-Security-Policy must report no violation on any page while search still works.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from public_helpers import copy_sample_project, public_site, site_url  # noqa: F401
from review_helpers import sample_key, REPO, edit_catalog, gongkai, make_project, sign, write_item

BREAKOUT = 'S2"><script>alert("s3")</script>'
IMG = '"><img src=x onerror=alert("i4")>'
TITLE_BREAKOUT = '</title><script>alert("t5")</script>'
CSP = "default-src 'self'; script-src 'self'"
SEARCH_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval';"  # WebAssembly on the search page only
BODY = "\n".join([
    "第一段正常文字。",  # +0
    "",
    '<script>alert("b1")</script>',  # +2
    "",
    "[点这里](javascript:alert(2))",  # +4
    "",
    "一段话",
    '{onclick="alert(3)"}',  # +7
    "",
    '<iframe src="https://e.example/"></iframe>',  # +9
    "",
    "<style>body{display:none}</style>",  # +11
    "",
    "![图](data:image/png;base64,AAAA)",  # +13
    "",
    '<object data="x.swf"></object>',  # +15
    "",
    '<form action="https://e.example/"><input name="q"></form>',  # +17
])
WATCH = """
window.__gk_csp = [];
document.addEventListener("securitypolicyviolation", e => window.__gk_csp.push(e.violatedDirective + " " + e.blockedURI));
"""


def body_start(path: Path) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return lines.index("第一段正常文字。") + 1


def test_check_names_line_and_construct_and_sign_refuses(tmp_path):
    root = make_project(tmp_path)
    path = write_item(root, "2026-00501", "正文有脚本的条目", body=BODY)
    first = body_start(path)
    result = gongkai(root, "check")
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    expected = {
        2: "<script>", 4: 'href="javascript:alert(2)"', 7: "onclick=", 9: "<iframe>", 11: "<style>",
        13: 'src="data:image/png', 15: "<object>", 17: "<form>",
    }
    for offset, construct in expected.items():
        lines = [ln for ln in result.stdout.splitlines() if ln.startswith(f"content/gzdt/2026-00501.md:{first + offset}: 正文: ")]
        assert any(construct in ln for ln in lines), (offset, construct, result.stdout)
    assert "<input>" in result.stdout and "删除" in result.stdout
    assert "正文有 9 处网站不接受的 HTML" in result.stdout  # why it is withheld
    refused = gongkai(root, "sign", str(path), "--reviewer", "周立衡", "--key", str(sample_key("周立衡")))
    assert refused.returncode != 0 and "修正后才能签署" in refused.stderr and "<script>" in refused.stderr
    assert "review:" not in path.read_text(encoding="utf-8")


def test_markdown_the_site_accepts_passes_check(tmp_path):
    root = make_project(tmp_path)
    body = "## 小标题\n\n| 项目 | 金额 |\n|:--|--:|\n| 养护 | 12 |\n\n- 一\n- **二** *三* `代码`\n\n> 引用\n\n" \
        "[链接](https://www.example.gov.cn/) [邮件](mailto:a@example.cn) [本站](../../column/gzdt/)\n\n![照片](现场.png)\n\n```\n<script>在代码块里只是文字</script>\n```\n"
    write_item(root, "2026-00501", "格式齐全的条目", body=body)
    result = gongkai(root, "check", "--json")
    assert '"正文"' not in result.stdout, result.stdout


def test_payload_fields_are_errors_or_escaped(tmp_path):
    """doc_no and topics with a payload fail their own rules; every message is Chinese, no traceback."""
    root = make_project(tmp_path)
    bad_doc = write_item(root, "2026-00502", "文号有脚本", doc_no=BREAKOUT)
    bad_topic = write_item(root, "2026-00503", "主题有脚本", topics=[BREAKOUT])
    result = gongkai(root, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(r"2026-00502\.md:\d+: doc_no", result.stdout) and re.search(r"2026-00503\.md:\d+: topics", result.stdout)
    for path in (bad_doc, bad_topic):
        assert gongkai(root, "sign", str(path), "--reviewer", "周立衡", "--key", str(sample_key("周立衡"))).returncode != 0


def test_catalog_names_with_markup_are_refused(tmp_path):
    """Site, column and topic names reach Material's navigation unescaped: catalog.yml refuses < > "."""
    root = make_project(tmp_path)

    def poison(data):
        data["site"]["name"] = "江澜" + BREAKOUT
        data["columns"][0]["name"] = "<img src=x onerror=alert(1)>"
        data["topics"][0]["name"] = 'A"B'

    edit_catalog(root, poison)
    result = gongkai(root, "check")
    out = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in out
    for field in ("site.name", "columns[1].name", "topics[1].name"):
        assert re.search(rf"catalog\.yml:\d+: {re.escape(field)}: 名称「.*」含有 < > 或 \" 符号", out), (field, out)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """A built site whose signed items carry payloads in every free-text field."""
    root = make_project(tmp_path_factory.mktemp("inject"))
    hostile = write_item(
        root, "2026-00501", "注入测试" + BREAKOUT + IMG + TITLE_BREAKOUT, summary=BREAKOUT,
        keywords=[BREAKOUT, IMG], publisher="江澜市" + BREAKOUT, author="撰稿" + IMG,
        body="注入测试正文，含 &lt;script&gt;alert(\"e6\")&lt;/script&gt; 字样和 `<img src=x onerror=alert(7)>`。\n\n## 小标题 " + IMG + "\n",
    )
    plain = write_item(root, "2026-00502", "普通的注入测试对照条目", body="普通正文。\n\n| 项目 | 说明 | 金额 |\n|:--|:-:|--:|\n| 养护 | 一 | 12 |")
    moved = write_item(root, "2026-00503", "已改网址的注入测试" + BREAKOUT, slug="zhuru-ceshi", former_slugs=["jiu-dizhi"])
    for path in (hostile, plain, moved):
        sign(root, path)
    result = gongkai(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def test_payloads_never_reach_markup(hostile_site):
    for path in hostile_site.rglob("*"):
        if path.suffix in (".html", ".xml"):
            text = path.read_text(encoding="utf-8")
            for needle in ('<script>alert("s3")', "<img src=x onerror", '<script>alert("t5")', '<script>alert("e6")'):
                assert needle not in text, (path, needle)
    redirect = next(hostile_site.rglob("jiu-dizhi/index.html")).read_text(encoding="utf-8")  # the old address
    assert "zhuru-ceshi" in redirect and BREAKOUT not in redirect and CSP in redirect
    rss = (hostile_site / "rss.xml").read_text(encoding="utf-8")  # readers decode <description> as HTML
    assert "&amp;lt;script&amp;gt;alert" in rss and "<description>S2&#34;&gt;&lt;script" not in rss


def test_csp_meta_on_every_page_and_no_inline_script(sample_site):
    pages = list(sample_site.rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}' in html, path
        assert (SEARCH_CSP in html) == (path.relative_to(sample_site).as_posix() == "search/index.html"), path
        head = html[: html.index("Content-Security-Policy")]
        assert "<script" not in head, path  # the policy comes before any script
        inline = [s for s in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html) if "application/json" not in s]
        assert not inline, (path, inline)


def open_watched(browser, url: str, dialogs: list, violations: list):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.add_init_script(WATCH)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    pg.goto(url)
    return context, pg


def settle(pg, violations: list) -> None:
    pg.wait_for_load_state("load")
    pg.wait_for_timeout(300)
    violations.extend(pg.evaluate("window.__gk_csp"))


def test_hostile_site_in_chromium(browser, serve, hostile_site):
    base = serve(hostile_site)
    dialogs, violations = [], []
    for path in ["", "column/gzdt/", "item/2026-00501/", "no-such-page/", "search/?q=注入测试"]:
        context, pg = open_watched(browser, base + path, dialogs, violations)
        try:
            if path.startswith("search"):
                pg.wait_for_function("() => document.querySelectorAll('#gk-results .gk-result').length >= 2")
                titles = pg.locator("#gk-results .gk-result__title").all_inner_texts()
                assert any(BREAKOUT in t and TITLE_BREAKOUT in t for t in titles), titles
            if path == "column/gzdt/":
                pg.goto(base + "item/2026-00502/")
                aligns = pg.evaluate("[...[...document.querySelectorAll('article table')].find(t => t.textContent.includes('金额')).querySelectorAll('th')].map(th => getComputedStyle(th).textAlign.replace('-webkit-', ''))")
                assert aligns == ["left", "center", "right"], aligns  # Markdown's alignment, without inline style
            if path.startswith("item"):
                assert BREAKOUT in pg.title() and TITLE_BREAKOUT in pg.title()
                assert BREAKOUT in pg.locator("article h1").first.inner_text()  # printed as text (the portal header shows no page title)
                assert pg.locator('meta[name="description"]').get_attribute("content") == BREAKOUT
            settle(pg, violations)
            injected = pg.evaluate("""() => [...document.querySelectorAll('script')].filter(s => /alert|s3|t5/.test(s.textContent)).length
                + document.querySelectorAll('[onerror], [onclick]').length""")
            assert injected == 0, path
        finally:
            context.close()
    assert not dialogs and not violations, (dialogs, violations)


@pytest.mark.parametrize("path", ["", "column/gzdt/", "item/2026-00700/", "no-such-page/"])
def test_no_csp_violation_on_sample_pages(browser, site_url, path):  # noqa: F811
    dialogs, violations = [], []
    context, pg = open_watched(browser, site_url + path, dialogs, violations)
    try:
        settle(pg, violations)
        assert pg.evaluate("typeof __md_get") == "function"  # Material's helpers came from the file
    finally:
        context.close()
    assert not violations, violations


def test_search_works_under_csp(browser, site_url):  # noqa: F811
    dialogs, violations = [], []
    context, pg = open_watched(browser, site_url + "search/", dialogs, violations)
    try:
        pg.locator("#gk-q").fill("养护")
        pg.locator("#gk-q").press("Enter")
        pg.wait_for_function("() => document.querySelectorAll('#gk-results .gk-result').length > 0")
        assert "养护" in pg.locator("#gk-results").inner_text()
        settle(pg, violations)
    finally:
        context.close()
    assert not violations, violations


def test_build_sanitises_bodies_a_check_missed(project, monkeypatch, tmp_path):
    """Defence in depth: with the body check switched off, the page still shows only allowed HTML."""
    from conftest import base_meta

    import gongkai.project

    monkeypatch.setattr(gongkai.project, "body_problems", lambda item, root: [])
    path = project.write("gzdt/2026-00501.md", base_meta(501), body=BODY + "\n")
    project.sign(path)
    assert [i.rel for i in project.state().published] == ["content/gzdt/2026-00501.md"]
    html = (project.build(tmp_path / "site") / "item" / "2026-00501" / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    assert "第一段正常文字" in article and "一段话" in article
    for needle in ("<script", "javascript:", "onclick=", "<iframe", "<style", "data:image", "<object", "<form", "<input"):
        assert needle not in article, needle


def test_preview_pages_have_no_csp_violation(browser, tmp_path, monkeypatch):
    """The editor preview (drafts shown, a reload script added) keeps to the same policy."""
    from gongkai.adapters.preview_server import start_preview

    monkeypatch.setenv("GONGKAI_BUILD_DATE", "2026-11-25")
    root = copy_sample_project(tmp_path / "project")
    write_item(root, "2026-00501", "预览草稿" + BREAKOUT, summary=BREAKOUT, body="草稿正文。")
    preview, server, stop = start_preview(root, port=0, site_dir=tmp_path / "preview-site")
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    dialogs, violations = [], []
    try:
        for path in ["", "item/2026-00501/", "item/2026-00700/", "search/"]:
            context, pg = open_watched(browser, base + path, dialogs, violations)
            try:
                with pg.expect_request(lambda r: "__gongkai__/version" in r.url):  # the reload script runs
                    settle(pg, violations)
                assert pg.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1
                if path == "item/2026-00501/":
                    assert BREAKOUT in pg.title() and "本条目不会发布" in pg.content()
            finally:
                context.close()
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
    assert not dialogs and not violations, (dialogs, violations)


LINK_BODIES = [
    "[a](https://x.cn/a) [b](../x/) [c](mailto:b@c.cn) [d](#h)", "[a](javascript:alert(1))", "[a](java\tscript:x)",
    "[a]( javascript:x)", "[a][1]\n\n[1]: javascript:x", "> [1]: javascript:x\n\n[a][1]", "- [1]: javascript:x\n\n[a][1]",
    "[a][1]\n\n[1]:\n  javascript:x", "[a](javascript:x 't')", "[a](JAVASCRIPT:x)", "[a](data:text/html,x)", "[a][]\n\n[a]: vbscript:x",
    "[1]: https://x.cn/\n\n[a][1]", "[a](https://x.cn/(1))", "[a](javascript:alert(1)\n)",
]


@pytest.mark.parametrize("body", LINK_BODIES)
def test_source_check_of_links_agrees_with_rendering(body):
    """A body passed without rendering (plain_links_allowed) must have nothing outside the list once rendered."""
    from gongkai.review.body_html import RISKY, outside_policy, plain_links_allowed, render

    found = outside_policy(render(body, REPO))
    if not RISKY.search(body) and plain_links_allowed(body):
        assert found == [], body
    if "script:" in body or "data:" in body:
        assert found, body  # and rendering does find these


@pytest.mark.parametrize("body", [*LINK_BODIES, "", "纯文字", "a < b", "{x}", "&amp;", "![i](a.png)", "!\\[", "! [", "]", "a]b", "[a]"])
def test_quick_source_checks_say_what_the_patterns_say(body):
    """body_problems' `in` tests are RISKY's alternatives; a body without ] has no link to check."""
    from gongkai.review.body_html import INLINE_LINK, LINK_DEFINITION, RISKY, RISKY_TEXTS, plain_links_allowed

    assert any(text in body for text in RISKY_TEXTS) == bool(RISKY.search(body))
    if "]" not in body:
        assert not INLINE_LINK.findall(body) and not LINK_DEFINITION.findall(body) and plain_links_allowed(body)
