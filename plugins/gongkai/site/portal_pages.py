"""The portal's own pages (issue 13): the topic index, the human-readable 网站地图, and the
online 政府信息公开申请表 that a reader fills in and prints or downloads (no server).

Each returns a Page for a gk/ template; the sitemap is drawn from the plan's navigation, so it
lists exactly the columns, topics and pages the site has.
"""
from __future__ import annotations

from pathlib import PurePosixPath

from gongkai.core.urls import item_dir, link, topic_dir
from gongkai.site.plan import Page, SitePlan
from gongkai.site.search_doc import generated_index
from gongkai.site.sitemeta import gov_meta

TOPICS_DIR = "topic"
SITEMAP_DIR = "sitemap"
APPLY_SLUG = "shenqing"  # under the 依申请公开 column: column/ysqgk/shenqing/


def topic_index(planner) -> Page:
    """主题分类: every topic with its count (the nav's section page, so no topic stands in for it)."""
    topics = [{"href": link(topic_dir(t.code), TOPICS_DIR), "name": t.name, "count": len(planner.by_topic.get(t.name, []))}
              for t in planner.catalog.topics]
    description = "按主题分类浏览本机关主动公开的政府信息"
    meta = {"description": description, "gov_meta": gov_meta(planner.catalog, "topic", "主题分类", description)}
    return Page(f"{TOPICS_DIR}/index.md", "主题分类", "gk/topics.html", {"topics": topics}, meta)


def _tree(entries: list, here: str) -> list[dict]:
    """The MkDocs-style nav as nested links: [{title, href, children}]."""
    out = []
    for entry in entries:
        for title, value in entry.items():
            uri, children = (value[0], value[1:]) if isinstance(value, list) else (value, [])
            if isinstance(uri, dict):  # a section without its own page
                uri, children = "", value
            target = uri[: -len("index.md")].rstrip("/") if uri else ""
            out.append({"title": title, "href": link(target, here) if uri else "", "children": _tree(children, here)})
    return out


def sitemap_page(planner, plan: SitePlan) -> Page:
    catalog = planner.catalog
    data = {"tree": _tree(plan.nav, SITEMAP_DIR), "supervision": catalog.site.get("supervision") or [], "agency": catalog.agency}
    description = "本网站的栏目、主题分类和页面一览"
    meta = {"description": description, "gov_meta": gov_meta(catalog, "notice", "网站地图", description)}
    return Page(f"{SITEMAP_DIR}/index.md", "网站地图", "gk/sitemap.html", data, meta)


def form_links(planner, here: str, column_dir: str) -> dict:
    """The guide's links to the downloadable 申请表 (an attachment of requests.form_item) and the online form."""
    r = planner.catalog.raw.get("requests") or {}
    item = planner.by_id.get(str(r.get("form_item", "")))
    downloads = []
    if item is not None:
        downloads = [{"href": link(item_dir(item), here) + PurePosixPath(a.file).name, "title": a.title, "type": a.suffix.upper()} for a in item.attachments]
    return {"downloads": downloads, "online": link(f"{column_dir}/{APPLY_SLUG}", here)}


def apply_page(planner, column_dir: str, column_code: str) -> Page:
    """网上填写申请表: the statutory fields of art. 29; assets/gongkai/apply.js prints or downloads it."""
    here = f"{column_dir}/{APPLY_SLUG}"
    agency = planner.catalog.agency
    r = planner.catalog.raw.get("requests") or {}
    submit = r.get("submit") or {}
    to = [(label, str(submit[key])) for key, label in (("address", "邮寄或当面递交"), ("email", "电子邮箱"), ("fax", "传真")) if submit.get(key)]
    data = {"agency": agency["name"], "submit": to, "guide": link(f"{column_dir}/zhinan", here), **{k: v for k, v in form_links(planner, here, column_dir).items() if k == "downloads"}}
    data["index"] = generated_index("网上填写申请表", planner.catalog.column(column_code).name, planner.state.today.isoformat())  # found by 申请表
    meta = {"description": "在线填写政府信息公开申请表，打印或下载后提交", "gongkai_column": column_code, "gongkai_date": planner.state.today.isoformat()}
    return Page(f"{here}/index.md", "网上填写申请表", "gk/apply.html", data, meta)
