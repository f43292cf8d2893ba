"""Each compliance check, tripped by a fixture, with the exact finding asserted."""
from datetime import date

from compliance_helpers import PREFIX, TODAY, make_project, write_item

from gongkai.reports.compliance import run_checks
from gongkai.site.pages import plan_site
from gongkai.project import load_state


def report_for(root, as_of=TODAY):
    return run_checks(load_state(root, today=as_of), as_of)


def messages(report, code):
    return [f.problem.message for f in report.result(code).findings]


def test_late_item_reports_working_days_over(tmp_path):
    root = make_project(tmp_path)
    write_item(root, "2026-00001", "tzgg", date(2026, 3, 2), date(2026, 4, 20))
    write_item(root, "2026-00002", "tzgg", date(2026, 3, 2), date(2026, 3, 30))  # exactly the 20th working day
    r = report_for(root)
    result = r.result("deadlines")
    assert messages(r, "deadlines") == [
        "发布日期 2026-04-20 距生成日期 2026-03-02 共 34 个工作日，超过 20 个工作日的公开时限 14 个工作日"
    ]
    finding = result.findings[0]
    assert finding.problem.path == "content/tzgg/2026-00001.md"
    assert finding.problem.field == "published" and finding.problem.line
    assert finding.facts["over"] == 14 and finding.facts["deadline"] == "2026-03-30"
    assert result.summary.startswith("已发布的主动公开条目 2 个，超期发布 1 个")


def test_unpublished_items_due_soon_and_overdue(tmp_path):
    root = make_project(tmp_path)
    write_item(root, "2026-00001", "gzdt", date(2026, 10, 29), date(2026, 11, 2), sign=False)
    write_item(root, "2026-00002", "gzdt", date(2026, 10, 9), date(2026, 10, 9), sign=False)  # 10-10 is a make-up working day
    write_item(root, "2026-00003", "gzdt", date(2026, 11, 20), date(2026, 11, 20), sign=False)  # 17 days left: not listed
    got = sorted(messages(report_for(root), "deadlines"))
    assert got == [
        "生成于 2026-10-09，公开期限 2026-11-05 已过 14 个工作日，仍未发布（尚未经过保密审查（没有审查签署））",
        "生成于 2026-10-29，须在 2026-11-26 前发布，还剩 1 个工作日（尚未经过保密审查（没有审查签署））",
    ]


def test_not_approved_items_have_no_deadline(tmp_path):
    root = make_project(tmp_path)
    write_item(root, "2026-00001", "gzdt", date(2026, 1, 5), date(2026, 1, 5), decision="不予公开")
    assert messages(report_for(root), "deadlines") == []


def test_empty_columns_count_and_distance_to_the_threshold(tmp_path):
    root = make_project(tmp_path)
    write_item(root, "2026-00001", "gzdt", date(2026, 11, 20), date(2026, 11, 20))
    result = report_for(root).result("empty_columns")
    assert result.failed and result.status == "fail"
    assert "主动公开栏目 18 个，空白栏目 16 个，已达到检查指标的单项否决标准（5 个）" in result.summary
    first = result.findings[0].problem
    zhinan_line = (root / "catalog.yml").read_text(encoding="utf-8").splitlines().index("  - code: zhinan") + 1
    assert first.path == "catalog.yml" and first.field == "columns.zhinan" and first.line == zhinan_line
    assert first.message == "主动公开栏目「政府信息公开指南」没有任何已发布的信息（空白栏目）"
    # The generated 依申请公开 pages keep the ysqgk column from being blank.
    assert "columns.ysqgk" not in [f.problem.field for f in result.findings]

    lenient = make_project(tmp_path / "b", {"empty_columns_fail_at: 5": "empty_columns_fail_at: 20"})
    write_item(lenient, "2026-00001", "gzdt", date(2026, 11, 20), date(2026, 11, 20))
    result = report_for(lenient).result("empty_columns")
    assert not result.failed and result.status == "warn"
    assert result.summary.endswith("空白栏目 16 个，距单项否决标准（20 个）还差 4 个")


def test_stale_column_relative_to_as_of(tmp_path):
    root = make_project(tmp_path)
    write_item(root, "2026-00001", "gzdt", date(2026, 9, 30), date(2026, 10, 1))
    write_item(root, "2026-00002", "tzgg", date(2026, 9, 30), date(2026, 10, 1))  # 6m: fine
    assert messages(report_for(root), "stale_columns") == [
        "栏目「工作动态」要求每 14 天至少更新一次（14d），最新信息发布于 2026-10-01，应于 2026-10-15 前更新，已 55 天未更新"
    ]
    assert messages(report_for(root, date(2026, 10, 10)), "stale_columns") == []


def test_repealed_item_should_name_its_replacement(tmp_path):
    root = make_project(tmp_path)
    write_item(root, "2024-00001", "fgwj", date(2024, 1, 8), date(2024, 1, 9), doc_no="澜交规〔2024〕1号", validity="已废止")
    write_item(root, "2024-00002", "fgwj", date(2024, 2, 8), date(2024, 2, 9), doc_no="澜交规〔2024〕2号", validity="已修订",
               replaced_by=f"{PREFIX}/2026-00001")
    write_item(root, "2026-00001", "fgwj", date(2026, 2, 2), date(2026, 2, 3), doc_no="澜交规〔2026〕1号")
    r = report_for(root)
    assert messages(r, "replaced_by") == ["本文件已废止，没有写明替代它的文件"]
    assert r.result("replaced_by").findings[0].problem.path == "content/fgwj/2024-00001.md"


def test_interpretation_links_both_ways_and_unpublished_target_is_reported(tmp_path):
    root = make_project(tmp_path)
    write_item(root, "2026-00001", "fgwj", date(2026, 2, 2), date(2026, 2, 3), doc_no="澜交规〔2026〕1号", title="养护办法")
    write_item(root, "2026-00002", "zcjd", date(2026, 2, 3), date(2026, 2, 4), interprets=f"{PREFIX}/2026-00001", title="养护办法解读")
    state = load_state(root, today=TODAY)
    plan = plan_site(state)
    policy = next(p for p in plan.pages if p.meta.get("gongkai_item") == f"{PREFIX}/2026-00001")
    interp = next(p for p in plan.pages if p.meta.get("gongkai_item") == f"{PREFIX}/2026-00002")
    assert '政策解读：<a href="../2026-00002/">养护办法解读</a>' in policy.body
    assert '解读的文件：<a href="../2026-00001/">养护办法</a>' in interp.body
    assert run_checks(state, TODAY, plan).result("interpretations").findings == []

    write_item(root, "2026-00001", "fgwj", date(2026, 2, 2), date(2026, 2, 3), doc_no="澜交规〔2026〕1号", sign=False)
    assert messages(report_for(root), "interpretations") == [
        f"解读的文件 {PREFIX}/2026-00001 尚未在网站发布，解读与原文无法互相链接"
    ]


def test_broken_internal_link_to_unpublished_item(tmp_path):
    root = make_project(tmp_path)
    path = write_item(root, "2026-00001", "tzgg", date(2026, 11, 2), date(2026, 11, 3), body="另见[已发布的通知](../2026-00002/)。\n\n另见[草稿](../2026-00003/)和[首页](/)。")
    draft_line = path.read_text(encoding="utf-8").splitlines().index("另见[草稿](../2026-00003/)和[首页](/)。") + 1
    write_item(root, "2026-00002", "tzgg", date(2026, 11, 2), date(2026, 11, 3))
    write_item(root, "2026-00003", "tzgg", date(2026, 11, 2), date(2026, 11, 3), sign=False)
    result = report_for(root).result("broken_links")
    assert [f.problem.message for f in result.findings] == ["链接「../2026-00003/」指向的页面或文件在网站上不存在（可能未发布或地址写错）"]
    problem = result.findings[0].problem
    assert problem.path == "content/tzgg/2026-00001.md" and problem.line == draft_line and problem.severity == "error"
    assert result.blocks_build  # catalog.yml lists broken_links as blocking


def test_report_json_has_a_summary_per_check(tmp_path):
    root = make_project(tmp_path)
    write_item(root, "2026-00001", "gzdt", date(2026, 11, 20), date(2026, 11, 20))
    data = report_for(root).to_json()
    assert data["as_of"] == "2026-11-25" and data["ok"] is True
    codes = [c["code"] for c in data["checks"]]
    assert codes == ["deadlines", "empty_columns", "stale_columns", "replaced_by", "interpretations", "broken_links",
                     "request_register", "request_deadlines", "annual_report"]
    assert all(c["summary"] for c in data["checks"])
