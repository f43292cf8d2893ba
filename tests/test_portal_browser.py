"""The portal in a real browser (issue 13): keyboard at every width, the drawer, the portal's
conventions, the online 申请表, and axe on the portal's pages. The repository's own sample site."""
from __future__ import annotations

import pytest
from public_helpers import run_axe

WIDTHS = (390, 1100, 1280)
PAGES = {"home": "", "column": "column/gljy/", "item": "item/2026-00700/", "search": "search/?q=%E5%85%BB%E6%8A%A4"}

# What the focused element looks like: where it is, whether it is shown, its outline and the
# contrast of the outline against the background behind it (WCAG 2.4.7, 1.4.11: >= 3:1).
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  let bg = [255, 255, 255];
  for (let a = el.parentElement; a; a = a.parentElement) {
    const c = rgb(getComputedStyle(a).backgroundColor);
    if (c.length >= 3 && (c.length < 4 || c[3] > 0.5)) { bg = c.slice(0, 3); break; }
    const image = getComputedStyle(a).backgroundImage;
    if (image && image.includes("gradient")) { bg = rgb(image.slice(image.indexOf("rgb"))).slice(0, 3); break; }
  }
  const s = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  const l1 = lum(rgb(s.outlineColor)), l2 = lum(bg);
  let hidden = false;
  for (let a = el; a; a = a.parentElement) {
    const cs = getComputedStyle(a);
    if (cs.visibility === "hidden" || cs.display === "none" || parseFloat(cs.opacity) === 0) hidden = true;
  }
  return {
    name: (el.getAttribute("aria-label") || el.textContent || el.id || el.tagName).trim().slice(0, 40),
    inDrawer: !!el.closest(".md-sidebar--primary"),
    hidden, left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height,
    vw: window.innerWidth, vh: window.innerHeight,
    outline: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth),
    contrast: (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05),
  };
}"""


@pytest.fixture
def portal(browser, serve, sample_site):
    base = serve(sample_site)
    contexts = []

    def open_page(path: str, width: int = 1280):
        context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN", accept_downloads=True)
        contexts.append(context)
        pg = context.new_page()
        pg.set_default_timeout(10000)
        pg.goto(base + path)
        return pg

    yield open_page
    for context in contexts:
        context.close()


def walk(pg, limit: int = 160) -> list[dict]:
    """Tab through the page once; every focused element as FOCUSED describes it."""
    seen, first = [], None
    for _ in range(limit):
        pg.keyboard.press("Tab")
        pg.wait_for_timeout(5)
        state = pg.evaluate(FOCUSED)
        if state is None:
            break
        key = pg.evaluate("() => { const e = document.activeElement; return e.outerHTML.slice(0, 200) + e.getBoundingClientRect().top; }")
        if key == first:
            break
        first = first or key
        seen.append(state)
    return seen


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_keyboard_walk_focus_is_visible_on_screen_and_outlined(portal, name, width):
    pg = portal(PAGES[name], width)
    if name == "search":
        pg.wait_for_function("() => /找到|没有找到/.test((document.getElementById('gk-status') || {}).textContent || '')")
    steps = walk(pg)
    assert len(steps) >= 10, f"only {len(steps)} focusable elements on {name}"
    problems = []
    for s in steps:
        where = f"{name} at {width}px: {s['name']!r}"
        if s["hidden"] or s["width"] == 0 or s["height"] == 0:
            problems.append(f"{where} is focused but not shown")
        if s["right"] <= 0 or s["left"] >= s["vw"] or s["bottom"] <= 0 or s["top"] >= s["vh"]:
            problems.append(f"{where} is off-screen ({s['left']:.0f},{s['top']:.0f})")
        if s["outline"] == "none" or s["outlineWidth"] < 2:
            problems.append(f"{where} has no focus outline")
        elif s["contrast"] < 3:
            problems.append(f"{where} focus outline contrast {s['contrast']:.2f} < 3")
        if width < 1220 and s["inDrawer"]:
            problems.append(f"{where} is in the closed navigation drawer")
    assert problems == []
    names = [s["name"] for s in steps]
    assert names[0] == "跳转到正文内容"
    if width < 1220:
        assert "打开导航菜单" in names


@pytest.mark.parametrize("width", (390, 1100))
def test_drawer_opens_and_closes_by_keyboard(portal, width):
    pg = portal("column/gljy/", width)
    for _ in range(5):
        pg.keyboard.press("Tab")
        if pg.evaluate("document.activeElement.classList.contains('gk-menu')"):
            break
    button = pg.locator(".gk-menu")
    assert button.get_attribute("aria-expanded") == "false"
    pg.keyboard.press("Enter")
    pg.wait_for_function("() => document.activeElement.closest('.md-sidebar--primary') !== null")
    assert button.get_attribute("aria-expanded") == "true"
    pg.wait_for_timeout(300)  # the slide-in
    state = pg.evaluate(FOCUSED)
    assert not state["hidden"] and 0 <= state["left"] < state["vw"], state
    for _ in range(3):
        pg.keyboard.press("Tab")
    assert pg.evaluate("!!document.activeElement.closest('.md-sidebar--primary')")
    pg.keyboard.press("Escape")
    assert pg.evaluate("document.activeElement.classList.contains('gk-menu')")
    assert button.get_attribute("aria-expanded") == "false"
    pg.wait_for_timeout(400)
    assert pg.evaluate("getComputedStyle(document.querySelector('.md-sidebar--primary')).visibility") == "hidden"


def test_portal_header_footer_and_no_documentation_chrome(portal):
    pg = portal("", 390)
    name = pg.locator(".gk-brand__name")
    assert name.inner_text().replace("\n", "") == "江澜市交通运输局政府信息公开"  # the whole name, on two lines
    assert name.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    assert pg.locator(".gk-brand__part").count() == 2
    assert pg.locator(".md-skip").inner_text().strip() == "跳转到正文内容"
    pg = portal("", 1280)
    assert pg.locator(".md-sidebar--secondary").is_hidden()  # no 目录 panel
    assert pg.locator(".gk-brand img").get_attribute("src").endswith("assets/gongkai/emblem.svg")
    assert pg.evaluate("getComputedStyle(document.querySelector('.md-typeset h2')).color") == "rgb(26, 26, 26)"
    footer = pg.locator(".gk-footer")
    assert footer.get_by_role("img", name="党政机关网站标识").is_visible()
    assert footer.get_by_role("link", name="我为政府网站找错").get_attribute("href").startswith("https://")
    assert footer.get_by_role("link", name="澜ICP备99000001号").get_attribute("href") == "https://beian.miit.gov.cn/"
    assert footer.get_by_role("link", name="澜公网安备 99000002000001号").get_attribute("href").startswith("https://beian.mps.gov.cn/")
    assert footer.inner_text().count("江澜市滨江大道 88 号") == 1 and pg.locator("main").inner_text().count("江澜市滨江大道") == 0
    footer.get_by_role("link", name="网站地图").click()
    assert pg.locator("h1").inner_text() == "网站地图"
    assert pg.locator(".gk-sitemap").get_by_role("link", name="公路建设养护政策").is_visible()
    assert "监督电话" in pg.locator("main").inner_text()


def test_topics_section_lists_every_topic(portal):
    pg = portal("column/gljy/", 1280)
    section = pg.locator(".md-nav--primary").get_by_role("link", name="主题分类", exact=True)
    assert section.get_attribute("href").rstrip("/").endswith("topic")
    pg.goto(section.evaluate("a => a.href"))
    assert pg.locator("h1").inner_text() == "主题分类"
    assert "公路建设与养护" in pg.locator(".md-nav--primary").inner_text()
    assert pg.locator(".gk-topics a", has_text="公路建设与养护").count() == 1


def test_lists_say_the_index_prefix_once_and_keep_identifiers_whole(portal):
    pg = portal("column/gljy/", 1280)
    assert "索引号前缀均为 11999900MB1234567Q/" in pg.locator("table.gk-list caption").inner_text()
    first = pg.locator("table.gk-list tbody tr").first
    assert first.locator("td").first.evaluate("e => e.getBoundingClientRect().width") < 140  # the prefix is not drawn
    assert first.locator("td").first.text_content() == "11999900MB1234567Q/2026-00013"  # whole for copying and screen readers
    doc_no = pg.locator("td[data-label='文号']", has_text="澜交发〔2026〕15号")
    box = doc_no.bounding_box()
    assert box["height"] < 2 * float(doc_no.evaluate("e => parseFloat(getComputedStyle(e).lineHeight) || 24")) + 20  # one line
    title = first.locator("td[data-label='名称']")
    assert title.bounding_box()["height"] < 60  # the title is not squeezed into three lines
    pg = portal("column/tzgg/", 1280)  # notices: some with a 文号, some without
    empty = pg.locator("td[data-label='文号']", has_text="无文号").first
    assert empty.locator("[aria-hidden='true']").inner_text() == "—"


def test_item_index_number_breaks_only_at_the_slash(portal):
    for width in (390, 1280):
        pg = portal("item/2026-00700/", width)
        cell = pg.locator("table.gk-meta td.gk-wrap-id")
        assert cell.inner_text().replace("\n", "") == "11999900MB1234567Q/2026-00700"
        # Each text part (before and after the slash's <wbr>) sits on one line.
        tops = cell.evaluate("""e => [...e.querySelectorAll('.gk-id')].map(s => s.firstChild).map(n => {
            const tops = new Set();
            for (let i = 0; i < n.length; i++) { const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1); tops.add(Math.round(r.getBoundingClientRect().top)); }
            return tops.size; })""")
        assert tops == [1, 1], width


def test_large_text_keeps_the_content_column_readable(portal):
    pg = portal("column/gljy/", 1280)
    pg.get_by_role("button", name="大字").click()
    assert pg.locator(".md-content").bounding_box()["width"] > 700
    pg.goto(pg.url.split("column/")[0] + "search/?q=%E5%85%BB%E6%8A%A4")
    pg.wait_for_function("() => document.querySelectorAll('#gk-results .gk-result').length > 0")
    assert pg.locator("#gk-results").bounding_box()["width"] > 600


def test_annual_report_has_index_number_and_grouped_header(portal):
    pg = portal("column/nianbao/", 1280)
    assert "全部年份（3）" in pg.locator(".gk-years").inner_text()
    assert pg.locator("table.gk-list tbody tr").count() == 3
    pg.locator("table.gk-list").get_by_role("link", name="江澜市交通运输局2025年政府信息公开工作年度报告").click()
    assert "11999900MB1234567Q/2026-00090" in pg.locator("table.gk-meta").inner_text()
    head = pg.locator("table.gk-annual thead").nth(0)
    table3 = pg.locator("table.gk-annual", has_text="申请人情况")
    assert table3.locator("thead th", has_text="法人或其他组织").get_attribute("colspan") == "5"
    for th in table3.locator("thead th").all():  # no header wraps one character per line
        assert th.bounding_box()["width"] > 30, th.inner_text()
    assert head.count() == 1


def test_online_application_form_checks_prints_and_downloads(portal, tmp_path):
    pg = portal("column/ysqgk/zhinan/", 1280)
    links = pg.locator(".gk-apply-links")
    assert links.get_by_role("link", name="下载政府信息公开申请表（Word）").get_attribute("href").endswith(".docx")
    links.get_by_role("link", name="网上填写申请表").click()
    assert pg.locator("h1").inner_text() == "网上填写申请表"
    assert "gongkai@jiaotong.jianglan.example" in pg.locator(".gk-apply-submit").inner_text()
    pg.get_by_role("button", name="打印申请表").click()
    assert "姓名或者名称" in pg.locator("#gk-apply-error").inner_text()
    assert pg.evaluate("document.activeElement.id") == "gk-a-name"
    for label, value in [("姓名或者名称", "张三"), ("身份证明名称", "居民身份证"), ("身份证明号码", "110101199001011234"),
                         ("联系电话", "13800000000"), ("通信地址", "江澜市滨江区某路 1 号"), ("政府信息的名称", "2025年农村公路养护计划")]:
        pg.get_by_label(label, exact=False).first.fill(value)
    pg.get_by_label("提供形式").select_option("电子文件")
    pg.get_by_label("获取方式").select_option("电子邮件")
    pg.evaluate("() => { window.print = () => { window.__printed = document.getElementById('gk-application').innerText; }; }")
    pg.get_by_role("button", name="打印申请表").click()
    printed = pg.evaluate("window.__printed")
    assert "政府信息公开申请表" in printed and "张三" in printed and "2025年农村公路养护计划" in printed and "电子邮件" in printed
    with pg.expect_download() as info:
        pg.get_by_role("button", name="下载申请表（文本文件）").click()
    saved = tmp_path / "apply.txt"
    info.value.save_as(saved)
    text = saved.read_text(encoding="utf-8-sig")
    assert "受理机关：江澜市交通运输局" in text and "身份证明号码：110101199001011234" in text


@pytest.mark.parametrize("path", ["", "column/gljy/", "item/2026-00700/", "sitemap/", "topic/", "column/ysqgk/shenqing/", "column/nianbao/2025/"])
def test_axe_on_portal_pages(portal, path):
    for width in WIDTHS:
        pg = portal(path, width)
        assert run_axe(pg) == [], f"{path} at {width}px"
