"""Generated public pages for disclosure on request and the annual reports.

- 依申请公开指南: how to apply, channels, time limits, fees, remedies — all from catalog.yml.
- 依申请公开目录: metadata only (索引号, 名称, 发布机构, 生成日期) of items whose sign-off
  lists them as available on request; never a body, never an attachment.
- 年度报告: one page per year whose annual/<year>.yml names a publication date that has come.

add_pages(planner, plan) is called by Planner.plan; it adds the pages, their nav
entries and links from the columns' pages.
"""
from __future__ import annotations

from html import escape

from gongkai.compliance.annual import AnnualReportError, build_report, load_manual, manual_path, report_years
from gongkai.compliance.annual_render import body as annual_body
from gongkai.core.digest import content_digest
from gongkai.core.urls import column_dir, link
from gongkai.site.plan import Page, SitePlan
from gongkai.compliance.register import load_register

ON_REQUEST = "依申请公开"
# The annual tables are wide: scroll sideways on a phone rather than reflow (the national layout is a grid).
ANNUAL_STYLE = (
    "<style>.md-typeset table.gk-annual{display:table;border-collapse:collapse;width:100%;font-size:.72rem;margin:1em 0}"
    ".gk-annual th,.gk-annual td{border:1px solid #d0d4da;padding:.3em .5em}.gk-annual td{text-align:center}"
    ".gk-annual th[scope=row]{text-align:left;font-weight:400}.gk-annual caption{font-weight:700}"
    ".gk-annual-wrap{overflow-x:auto}</style>"
)


def on_request_items(state) -> list:
    """Items an authorised reviewer approved, for exactly this content, for the on-request catalog."""
    cat = state.catalog
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
        ):
            out.append(item)
    return sorted(out, key=lambda i: (i.created.isoformat() if i.created else "", i.id), reverse=True)


def catalog_page(planner, here: str, column_code: str) -> Page:
    state = planner.state
    items = on_request_items(state)
    rows = "\n".join(
        f'<tr><td class="gk-nowrap">{escape(i.id)}</td><td>{escape(i.title)}</td>'
        f'<td>{escape(str(i.meta.get("publisher") or state.catalog.agency["name"]))}</td>'
        f'<td class="gk-nowrap">{i.created.isoformat() if i.created else ""}</td></tr>'
        for i in items
    )
    table = (
        '<table class="gk-list">\n<caption>依申请公开的政府信息目录</caption>\n'
        '<thead><tr><th scope="col">索引号</th><th scope="col">信息名称</th><th scope="col">发布机构</th><th scope="col">生成日期</th></tr></thead>\n'
        f"<tbody>\n{rows}\n</tbody>\n</table>"
        if items
        else '<p class="gk-empty">目前没有列入依申请公开目录的信息。</p>'
    )
    guide = link(f"{here.rsplit('/', 1)[0]}/zhinan", here)
    text = f"""# 依申请公开目录

<p class="gk-lead">下列政府信息不主动公开，可以依申请获取。本目录只列出信息的索引号、名称、发布机构和生成日期；申请方法见<a href="{guide}">依申请公开指南</a>。</p>

{table}
"""
    return Page(f"{here}/index.md", "依申请公开目录", text, {"description": "可以依申请获取的政府信息目录", "gongkai_column": column_code, "gongkai_date": state.today.isoformat()})


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
    contact_rows = "\n".join(f'<tr><th scope="row">{k}</th><td>{escape(str(v))}</td></tr>' for k, v in contact if v)
    channels = "\n".join(f"<li><strong>{escape(c['name'])}</strong>：{escape(c.get('how', ''))}</li>" for c in r.get("channels") or [])

    def tiers(key: str) -> str:
        return "\n".join(f"<li>{escape(t['range'])}：{escape(t['charge'])}</li>" for t in fees.get(key) or [])

    catalog_link = link(f"{here.rsplit('/', 1)[0]}/mulu", here)
    text = f"""# 依申请公开指南

<p class="gk-lead">公民、法人或者其他组织可以向{escape(a['name'])}申请获取本机关的政府信息。已经主动公开的信息请先在本网站检索；不主动公开的信息见<a href="{catalog_link}">依申请公开目录</a>。</p>

## 一、受理机构

<table class="gk-meta">
<caption>受理机构和联系方式</caption>
{contact_rows}
</table>

## 二、申请方式

<ul>
{channels}
</ul>

申请应当包括：申请人的姓名或者名称、身份证明、联系方式；申请公开的政府信息的名称、文号或者便于查询的其他特征性描述；获取信息的方式和途径。

## 三、办理时限

<ul>
<li>能够当场答复的，当场答复；不能当场答复的，自收到申请之日起 {r.get('reply_workdays', 20)} 个工作日内答复。</li>
<li>需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不超过 {r.get('extension_max_workdays', 20)} 个工作日。</li>
<li>申请内容不明确的，自收到申请之日起 {r.get('correction_notice_workdays', 7)} 个工作日内一次性告知补正；答复期限自收到补正后的申请之日起计算。</li>
<li>需要征求第三方或者其他机关意见的，第三方在 {r.get('third_party_workdays', 15)} 个工作日内提出意见；征求意见所需时间不计算在答复期限内。</li>
</ul>

## 四、收费

{escape(fees.get('general', ''))}依据{escape(fees.get('basis', ''))}：

<p>按件计收（同一申请人一个自然月内累计申请的件数）：</p>
<ul>
{tiers('by_count')}
</ul>
<p>按量计收（同一申请人同一申请提供的信息页数）：</p>
<ul>
{tiers('by_volume')}
</ul>

{escape(fees.get('note', ''))}

## 五、救济途径

申请人认为本机关在政府信息公开工作中侵犯其合法权益的，可以向{escape(str(rem.get('reconsideration', '')))}申请行政复议（自知道之日起 {rem.get('reconsideration_days', 60)} 日内），或者向{escape(str(rem.get('court', '')))}提起行政诉讼（自知道之日起 {rem.get('litigation_months', 6)} 个月内）。
"""
    return Page(f"{here}/index.md", "依申请公开指南", text, {"description": f"向{a['name']}申请公开政府信息的方法、时限、收费和救济途径", "gongkai_column": column_code, "gongkai_date": state.today.isoformat()})


def annual_pages(planner, column_code: str) -> list[Page]:
    state = planner.state
    pages = []
    register = None
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
        here = f"{column_dir(state.catalog.column(column_code))}/{year}"
        pages.append(Page(f"{here}/index.md", report.title, ANNUAL_STYLE + "\n\n" + annual_body(report), {"description": report.title, "gongkai_column": column_code, "gongkai_date": published.isoformat()}))
    return sorted(pages, key=lambda p: p.uri, reverse=True)


def _link_from_column(plan: SitePlan, code: str, pages: list[Page], heading: str) -> None:
    uri = f"column/{code}/index.md"
    column_page = next((p for p in plan.pages if p.uri == uri), None)
    if column_page is None or not pages:
        return
    here = column_page.url_dir
    links = "\n".join(f'<li><a href="{link(p.url_dir, here)}">{escape(p.title)}</a></li>' for p in pages)
    block = f'\n## {heading}\n\n<ul class="gk-generated">\n{links}\n</ul>\n'
    lines = column_page.body.split("\n")
    at = next((i + 1 for i, line in enumerate(lines) if 'class="gk-update"' in line), 1)
    column_page.body = "\n".join(lines[:at] + [block] + lines[at:])
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
        pages = [guide_page(planner, f"{base}/zhinan", requests_column), catalog_page(planner, f"{base}/mulu", requests_column)]
        plan.pages += pages
        _link_from_column(plan, requests_column, pages, "办理指南和目录")
    if annual_column and planner.catalog.column(annual_column):
        pages = annual_pages(planner, annual_column)
        plan.pages += pages
        _link_from_column(plan, annual_column, pages, "年度报告")
