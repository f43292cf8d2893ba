"""Generated public pages for disclosure on request and the annual reports.

- 依申请公开指南: how to apply, channels, time limits, fees, remedies — all from catalog.yml.
- 依申请公开目录: metadata only (索引号, 名称, 发布机构, 生成日期) of items whose sign-off
  lists them as available on request; never a body, never an attachment.
- 年度报告: one page per year whose annual/<year>.yml names a publication date that has come.

add_pages(planner, plan) is called by Planner.plan; it adds the pages, their nav
entries and links from the columns' pages.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from gongkai.compliance.annual import AnnualReportError, build_report, load_manual, manual_path, report_years
from gongkai.compliance.annual_render import body as annual_body
from gongkai.core.digest import content_digest
from gongkai.core.urls import column_dir, link
from gongkai.site.plan import Page, SitePlan, newest_first
from gongkai.site.search_doc import generated_index
from gongkai.compliance.register import load_register
from gongkai.site.portal_pages import apply_page, form_links

ON_REQUEST = "依申请公开"


def on_request_items(state) -> list:
    """Items an authorised reviewer approved, for exactly this content, for the on-request catalog."""
    cat = state.catalog
    codes = {d.item.rel: set(d.codes) for d in state.decisions}
    out = []
    for item in state.items:
        review = item.review
        if (
            not item.parse_problems
            and not [p for p in state.problems.get(item.rel, []) if p.severity == "error"]
            and item.meta.get("disclosure") == ON_REQUEST
            and str(review.get("reviewer", "")) in cat.reviewers
            and cat.decisions.get(str(review.get("decision", ""))) == "on_request"
            and review.get("digest") == content_digest(item)
            and codes.get(item.rel, {"unchecked"}) <= {"not_proactive", "not_approved"}  # a verified signature, nothing else
        ):
            out.append(item)
    return sorted(out, key=lambda i: (i.created.isoformat() if i.created else "", i.id), reverse=True)


def catalog_page(planner, here: str, column_code: str) -> Page:
    state = planner.state
    rows = [
        {"id": i.id, "title": i.title, "publisher": str(i.meta.get("publisher") or state.catalog.agency["name"]),
         "created": i.created.isoformat() if i.created else ""}
        for i in on_request_items(state)
    ]
    data = {"rows": rows, "guide_href": link(f"{here.rsplit('/', 1)[0]}/zhinan", here)}
    data["index"] = generated_index("依申请公开目录", state.catalog.column(column_code).name, state.today.isoformat())
    meta = {"description": "可以依申请获取的政府信息目录", "gongkai_column": column_code, "gongkai_date": state.today.isoformat()}
    return Page(f"{here}/index.md", "依申请公开目录", "gk/request_catalog.html", data, meta)


def guide_page(planner, here: str, column_code: str) -> Page:
    state = planner.state
    a = state.catalog.agency
    r = state.catalog.raw.get("requests") or {}
    fees = r.get("fees") or {}
    rem = r.get("remedies") or {}
    contact = [
        ("受理机构", a.get("office") or a["name"]),
        ("地址", f"{a['address']}" + (f"（邮编 {a['postcode']}）" if a.get("postcode") else "")),
        ("办公时间", a.get("office_hours", "")),
        ("电话", a.get("phone", "")),
        ("传真", a.get("fax", "")),
        ("电子邮箱", a.get("email", "")),
        ("网上申请", a.get("online_form", "")),
    ]
    data = {
        "agency": a,
        "catalog_href": link(f"{here.rsplit('/', 1)[0]}/mulu", here),
        "form": form_links(planner, here, here.rsplit("/", 1)[0]),  # the 申请表 to download, the online form
        "contact": [(k, str(v)) for k, v in contact if v],
        "channels": [{"name": c["name"], "how": c.get("how", "")} for c in r.get("channels") or []],
        "days": {"reply": r.get("reply_workdays", 20), "extension": r.get("extension_max_workdays", 20),
                 "correction": r.get("correction_notice_workdays", 7), "third_party": r.get("third_party_workdays", 15)},
        "fees": {"general": fees.get("general", ""), "basis": fees.get("basis", ""), "note": fees.get("note", ""),
                 "by_count": fees.get("by_count") or [], "by_volume": fees.get("by_volume") or []},
        "remedies": {"reconsideration": str(rem.get("reconsideration", "")), "reconsideration_days": rem.get("reconsideration_days", 60),
                     "court": str(rem.get("court", "")), "litigation_months": rem.get("litigation_months", 6)},
        "index": generated_index("依申请公开指南", state.catalog.column(column_code).name, state.today.isoformat()),
    }
    meta = {"description": f"向{a['name']}申请公开政府信息的方法、时限、收费和救济途径", "gongkai_column": column_code, "gongkai_date": state.today.isoformat()}
    return Page(f"{here}/index.md", "依申请公开指南", "gk/request_guide.html", data, meta)


@dataclass
class ListedReport:
    """A published annual report in its column's lists and counts, like an item (索引号, title, date)."""
    id: str
    title: str
    published: date
    url_dir: str
    column_code: str
    meta: dict = field(default_factory=dict)
    topics: list = field(default_factory=list)  # listed under no topic: the report is a page, not an item


def published_reports(planner, column_code: str) -> list[tuple]:
    """(year, report, manual, page dir) of every report whose publication date has come, built once per plan."""
    cached = getattr(planner, "_annual_reports", None)
    if cached is not None:
        return cached
    state, found, register = planner.state, [], None
    for year in report_years(state):
        manual, problems = load_manual(manual_path(state.root, state, year), state.root)
        published = manual.get("published")
        if problems or not hasattr(published, "isoformat") or published > state.today:
            continue  # not yet published (or broken: the compliance check says why)
        register = register or load_register(state.root, state.catalog, state.today)
        try:
            report = build_report(state, register, year)
        except AnnualReportError:
            continue
        found.append((year, report, manual, f"{column_dir(state.catalog.column(column_code))}/{year}"))
    planner._annual_reports = found
    return found


def list_reports(planner) -> None:
    """Put the published annual reports that have a 索引号 into their column's lists (before the lists are planned)."""
    column_code = (planner.catalog.raw.get("annual_report") or {}).get("column")
    if not column_code or planner.catalog.column(column_code) is None:
        return
    entries = [ListedReport(str(m["id"]), r.title, m["published"], here, column_code)
               for _, r, m, here in published_reports(planner, column_code) if m.get("id") and str(m["id"]) not in planner.by_id]
    if entries:
        planner.by_column[column_code] = newest_first([*planner.by_column.get(column_code, []), *entries])


def annual_pages(planner, column_code: str) -> list[Page]:
    state = planner.state
    pages = []
    column = state.catalog.column(column_code)
    for year, report, manual, here in published_reports(planner, column_code):
        markdown = annual_body(report).partition("\n")[2]  # without its "# title" line: the page's title heading is added for every page
        published = manual["published"]
        info = None
        if manual.get("id"):
            info = {"id": str(manual["id"]), "publisher": state.catalog.agency["name"], "published": published.isoformat(),
                    "column": {"href": link(column_dir(column), here), "name": column.name}}
        meta = {"description": report.title, "gongkai_column": column_code, "gongkai_date": published.isoformat()}
        index = generated_index(report.title, column.name, published.isoformat())
        pages.append(Page(f"{here}/index.md", report.title, "gk/annual.html", {"info": info, "index": index}, meta, markdown))
    return sorted(pages, key=lambda p: p.uri, reverse=True)


def _link_from_column(plan: SitePlan, code: str, pages: list[Page], heading: str) -> None:
    uri = f"column/{code}/index.md"
    at = next((n for n, p in enumerate(plan.pages) if p.uri == uri), None)
    if at is None or not pages:
        return
    column_page = plan.pages[at].made()  # a leaf column's first list page is a LazyPage
    here = column_page.url_dir
    generated = {"heading": heading, "links": [{"href": link(p.url_dir, here), "title": p.title} for p in pages]}
    # A new page, not an edit: the preview reuses unchanged list pages from one plan to the next.
    plan.pages[at] = replace(column_page, data={**column_page.data, "generated": generated})
    _nav_add(plan.nav, uri, [{p.title: p.uri} for p in pages])


def _nav_add(nav: list, uri: str, entries: list) -> bool:
    for i, entry in enumerate(nav):
        if not isinstance(entry, dict):
            continue
        for title, value in entry.items():
            if value == uri:
                nav[i] = {title: [uri, *entries]}
                return True
            if isinstance(value, list) and (value[:1] == [uri]):
                value.extend(entries)
                return True
            if isinstance(value, list) and _nav_add(value, uri, entries):
                return True
    return False


def add_pages(planner, plan: SitePlan) -> None:
    raw = planner.catalog.raw
    requests_column = (raw.get("requests") or {}).get("column")
    annual_column = (raw.get("annual_report") or {}).get("column")
    if requests_column and planner.catalog.column(requests_column):
        base = column_dir(planner.catalog.column(requests_column))
        pages = [guide_page(planner, f"{base}/zhinan", requests_column), catalog_page(planner, f"{base}/mulu", requests_column),
                 apply_page(planner, base, requests_column)]
        plan.pages += pages
        _link_from_column(plan, requests_column, pages, "办理指南和目录")
    if annual_column and planner.catalog.column(annual_column):
        pages = annual_pages(planner, annual_column)
        plan.pages += pages
        _link_from_column(plan, annual_column, pages, "年度报告")
