"""The built public site, read as files: metadata tags, footer, withdrawal, redirects,
feeds, the JSON export, the sitemap, and no requests to outside hosts."""
from __future__ import annotations

import gzip
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from public_helpers import PREFIX, public_site  # noqa: F401


SITE_TAGS = ["SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType"]
ARTICLE_TAGS = ["ArticleTitle", "PubDate", "ContentSource", "Keywords", "Author", "Description"]
ERROR_TEXT = "误发正文标记"  # only in the body of the item published in error


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.requests: list[str] = []  # URLs the browser would fetch on its own

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and "name" in a:
            self.meta[a["name"]] = a.get("content", "")
        if tag in ("script", "img", "iframe", "source", "video", "audio") and a.get("src"):
            self.requests.append(a["src"])
        if tag == "link" and a.get("href") and set((a.get("rel") or "").split()) & {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest"}:
            self.requests.append(a["href"])


def parse(path) -> Tags:
    t = Tags()
    t.feed(path.read_text(encoding="utf-8"))
    return t


def html_pages(site):
    return [p for p in site.rglob("*.html") if "pagefind" not in p.parts]


def test_every_page_has_government_meta_tags(public_site):
    pages = html_pages(public_site)
    assert len(pages) > 30
    for path in pages:
        if "页面已迁移" in path.read_text(encoding="utf-8"):
            continue  # redirect stubs
        meta = parse(path).meta
        assert [t for t in SITE_TAGS if not meta.get(t)] == [], path
        assert meta["SiteIDCode"] == "9999000001" and meta["SiteDomain"] == "jiaotong.jianglan.example"


def test_item_pages_have_article_tags(public_site):
    meta = parse(public_site / "item/2026-00702/index.html").meta
    assert [t for t in ARTICLE_TAGS if not meta.get(t)] == []
    assert meta["ArticleTitle"] == "江澜市交通运输局2025年度“三公”经费决算情况说明"
    assert re.fullmatch(r"2026-07-20 \d\d:\d\d", meta["PubDate"])
    assert meta["ColumnName"] == "三公经费" and meta["Keywords"] == "三公经费,决算"


def test_every_page_has_the_standard_footer(public_site):
    for path in [public_site / "index.html", public_site / "404.html", public_site / "search/index.html", public_site / "item/2026-00700/index.html"]:
        text = path.read_text(encoding="utf-8")
        for needed in ["主办单位：江澜市交通运输局", "网站标识码：9999000001", "澜ICP备99000001号", "澜公网安备 99000002000001号", "0999-12345678"]:
            assert needed in text, (path, needed)


def test_no_requests_to_outside_hosts(public_site):
    for path in html_pages(public_site):
        outside = [u for u in parse(path).requests if re.match(r"^(https?:)?//", u)]
        assert outside == [], path
    for css in public_site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8")), css
        assert "@import" not in css.read_text(encoding="utf-8") or "http" not in css.read_text(encoding="utf-8"), css


def test_item_page_metadata_attachments_and_changelog(public_site):
    text = (public_site / "item/2026-00702/index.html").read_text(encoding="utf-8")
    for label in ["索引号", "发布机构", "文号", "生成日期", "发布日期", "有效性", "主题分类"]:
        assert f'<th scope="row">{label}</th>' in text
    assert "（PDF，" in text and (public_site / "item/2026-00702/2026-00702-biao.pdf").is_file()
    log = text[text.index('id="changelog"') :]
    assert log.index("2026-07-20") < log.index("2026-08-03") and "更正公务接待费决算数的小数位" in log
    assert 'id="changelog"' not in (public_site / "item/2026-00700/index.html").read_text(encoding="utf-8")


def test_withdrawn_item_keeps_content_under_a_banner(public_site):
    text = (public_site / "item/2026-00708/index.html").read_text(encoding="utf-8")
    assert "本信息已于 2026-09-10 撤回" in text and "专项行动已于8月底结束" in text
    assert "长途客运车辆动态监控" in text  # content kept
    assert "已撤回" in (public_site / "column/gzdt/index.html").read_text(encoding="utf-8")


def test_published_in_error_leaves_only_a_notice(public_site):
    text = (public_site / "item/2026-00705/index.html").read_text(encoding="utf-8")
    assert "发布错误" in text and f"{PREFIX}/2026-00705" in text
    assert "临港片区公交线路" not in text  # not even the title
    assert '<meta name="robots" content="noindex">' in text
    for path in public_site.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix.startswith(".pf_"):
            data = gzip.decompress(data)  # Pagefind's index files
        assert ERROR_TEXT.encode() not in data, path
        assert "临港片区公交线路".encode() not in data, path
    assert "2026-00705" not in (public_site / "sitemap.xml").read_text(encoding="utf-8")


def test_consolidated_item_redirects_to_successor(public_site):
    text = (public_site / "item/2026-00706/index.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh" content="0; url=../2026-00700/"' in text
    assert '<link rel="canonical" href="https://jiaotong.jianglan.example/item/2026-00700/">' in text
    assert "养护补助资金分配细则" not in (public_site / "column/gljy/index.html").read_text(encoding="utf-8")


def test_old_slugs_and_index_url_redirect(public_site):
    for old in ["port-route", "2026-00707"]:
        text = (public_site / f"item/{old}/index.html").read_text(encoding="utf-8")
        assert "url=../jianglan-port-new-route/" in text, old
    assert "江澜港集装箱航线开通仪式举行" in (public_site / "item/jianglan-port-new-route/index.html").read_text(encoding="utf-8")


def test_feeds_hold_only_listed_items(public_site):
    atom = ET.parse(public_site / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    links = [e.find("a:link", ns).get("href") for e in atom.findall("a:entry", ns)]
    assert "https://jiaotong.jianglan.example/item/2026-00700/" in links
    assert not [u for u in links if "2026-00705" in u or "2026-00706" in u]
    rss = ET.parse(public_site / "column/gzdt/rss.xml").getroot()
    titles = [i.findtext("title") for i in rss.iter("item")]
    assert "市交通运输局开展冬季公路养护安全检查" in titles and "江澜市农村公路养护工程管理办法" not in titles
    parent = ET.parse(public_site / "column/fdzdgk/feed.xml").getroot()  # includes sub-columns
    assert len(parent.findall("a:entry", ns)) == 3


def test_json_export_of_published_catalog(public_site):
    data = json.loads((public_site / "data/items.json").read_text(encoding="utf-8"))
    by_id = {r["id"]: r for r in data["items"]}
    assert data["count"] == len(data["items"]) == 8
    assert f"{PREFIX}/2026-00705" not in by_id and f"{PREFIX}/2026-00706" not in by_id
    rec = by_id[f"{PREFIX}/2026-00700"]
    assert rec["url"] == "https://jiaotong.jianglan.example/item/2026-00700/"
    assert rec["doc_no"] == "澜交发〔2026〕12号" and rec["column"]["path"] == ["法定主动公开内容", "公路建设养护政策"]
    assert rec["attachments"][0]["type"] == "pdf" and rec["attachments"][0]["url"].endswith("/item/2026-00700/2026-00700-fujian1.pdf")
    assert by_id[f"{PREFIX}/2026-00702"]["updated"] == "2026-08-03"
    lines = (public_site / "data/items.json").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line.rstrip(","))["id"] for line in lines[1:-1]] == [r["id"] for r in data["items"]]  # one item per line


def test_sitemap_lists_only_published_pages(public_site):
    text = (public_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/item/2026-00700/" in text and "/item/jianglan-port-new-route/" in text
    assert "/item/port-route/" not in text and "/item/2026-00706/" not in text


def test_item_pages_carry_no_search_copy(public_site):
    """Pagefind reads separate search documents (site/search_doc.py); the page a citizen loads has none."""
    html = (public_site / "item/2026-00700/index.html").read_text(encoding="utf-8")
    assert "gk-search-tokens" not in html and "data-pagefind-filter" not in html and "\u2063" not in html
