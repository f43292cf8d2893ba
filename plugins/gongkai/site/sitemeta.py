"""Government-website page metadata and the standard footer, from catalog.yml.

Every page carries the site and column tags; item pages add the article tags
(ArticleTitle, PubDate, ContentSource, Keywords, Author, Description).
"""
from __future__ import annotations

from gongkai.core.catalog import Catalog, Column
from gongkai.core.items import Item

# ColumnType per kind of page (the inspection rules only ask that it be present and consistent).
COLUMN_TYPES = {"home": "首页", "column": "信息公开目录", "topic": "主题分类", "item": "信息公开", "search": "站内搜索", "notice": "信息公开"}


def site_tags(catalog: Catalog) -> dict[str, str]:
    site = catalog.site
    return {"SiteName": str(site["name"]), "SiteDomain": str(site["domain"]), "SiteIDCode": str(site["id_code"])}


def keywords(catalog: Catalog, *extra: str) -> str:
    words = [*extra, *[str(k) for k in catalog.site.get("keywords") or []]]
    return ",".join(dict.fromkeys(w for w in words if w))


def gov_meta(catalog: Catalog, kind: str, name: str, description: str, column: Column | None = None, item: Item | None = None) -> dict[str, str]:
    """The tags for one page. name/description describe the column (or topic, or page) it belongs to."""
    if column is not None:
        name, description = column.name, column.description
    tags = {
        **site_tags(catalog),
        "ColumnName": name,
        "ColumnDescription": description,
        "ColumnKeywords": keywords(catalog, *(c.name for c in column.path) if column else (), name),
        "ColumnType": COLUMN_TYPES.get(kind, kind),
    }
    if item is not None and kind == "item":
        meta = item.meta
        publisher = str(meta.get("publisher") or catalog.agency["name"])
        item_words = [str(k) for k in meta.get("keywords") or []] or item.topics
        tags.update(
            {
                "ArticleTitle": item.title,
                # Items carry a date only; the rule's format wants a time, so 00:00.
                "PubDate": f"{item.published.isoformat()} 00:00" if item.published else "",
                "ContentSource": publisher,
                "Keywords": ",".join(item_words),
                "Author": str(meta.get("author") or publisher),
                "Description": str(meta.get("summary", "")),
            }
        )
    return tags


def fallback_tags(catalog: Catalog) -> dict[str, str]:
    """Tags for pages the plan does not make (the theme's 404 page)."""
    return gov_meta(catalog, "notice", "页面未找到", "要访问的页面不存在或已移动")


def portal(catalog: Catalog) -> dict:
    """What the header and footer show (templates/partials/header.html, copyright.html)."""
    site, agency = catalog.site, catalog.agency
    address = f"{agency['address']}（邮编 {agency['postcode']}）" if agency.get("postcode") else str(agency["address"])
    records = [
        {"text": str(site[key]), "url": str(site.get(f"{key}_url") or "")}
        for key in ("icp", "police_record") if site.get(key)
    ]
    dzjg = site.get("dzjg") or {}
    return {
        "emblem": str(site.get("emblem") or ""),
        "short_name": str(site.get("short_name") or site["name"]),
        # The name in two parts (agency, the rest) so that a phone wraps it between them.
        "name_parts": [p for p in str(site["name"]).partition(str(agency["name"]))[1:] if p] if str(site["name"]).startswith(str(agency["name"])) else [str(site["name"])],
        "lines": [
            f"主办单位：{site.get('sponsor', agency['name'])}　地址：{address}",
            f"联系电话：{agency['phone']}　电子邮箱：{agency['email']}",
            f"网站标识码：{site['id_code']}",
        ],
        "supervision": [{"name": str(s.get("name", "")), "value": str(s.get("value", ""))} for s in site.get("supervision") or []],
        "records": records,
        "dzjg": {"image": str(dzjg.get("image") or ""), "url": str(dzjg.get("url") or "")},
        "error_report_url": str(site.get("error_report_url") or ""),
    }


def site_images(catalog: Catalog) -> list[str]:
    """The images catalog.yml names (emblem, 党政机关网站标识), as paths inside the site."""
    site = catalog.site
    return [p for p in (site.get("emblem"), (site.get("dzjg") or {}).get("image")) if isinstance(p, str) and p]
