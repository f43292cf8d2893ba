"""Generated public pages: the 依申请公开 guide and catalog, the annual report page, and the build's report."""
import json
from datetime import date

import pytest
from compliance_helpers import PREFIX, TODAY, copy_sample, make_project, write_item, write_register

from gongkai.adapters.builder import BuildFailed, build_site
from gongkai.cli.main import main
from gongkai.site.pages import plan_site
from gongkai.project import load_state


def page(plan, uri):
    return next(p for p in plan.pages if p.uri == uri)


def test_guide_is_generated_from_catalog_facts(tmp_path):
    root = make_project(tmp_path, {"phone: 0999-12345678": "phone: 0999-7654321", "reply_workdays: 20 ": "reply_workdays: 15 "})
    plan = plan_site(load_state(root, today=TODAY))
    guide = page(plan, "column/ysqgk/zhinan/index.md").body
    assert "0999-7654321" in guide and "0999-12345678" not in guide
    assert "自收到申请之日起 15 个工作日内答复" in guide
    assert "11—30 件（含 30 件）的部分：100 元/件" in guide and "国办函〔2020〕109号" in guide
    assert "向江澜市人民政府申请行政复议" in guide and "江澜市滨江区人民法院" in guide
    for channel in ("网上申请", "信函申请", "当面申请", "传真申请"):
        assert f"<strong>{channel}</strong>" in guide


def test_on_request_catalog_lists_metadata_only_of_approved_items(tmp_path):
    root = make_project(tmp_path)
    listed = dict(disclosure="依申请公开", decision="同意列入依申请公开目录", summary="机密的概述不应出现", publisher="江澜市港航事务中心")
    write_item(root, "2026-00001", "ysqgk", date(2026, 3, 2), date(2026, 3, 2), title="码头安全评估报告", body="报告正文不得出现", **listed)
    write_item(root, "2026-00002", "ysqgk", date(2026, 3, 2), date(2026, 3, 2), title="未经审查的资料", disclosure="依申请公开", sign=False)
    write_item(root, "2026-00003", "ysqgk", date(2026, 3, 2), date(2026, 3, 2), title="审查不予公开的资料", disclosure="依申请公开", decision="不予公开")
    stale = write_item(root, "2026-00004", "ysqgk", date(2026, 3, 2), date(2026, 3, 2), title="签署后又改过的资料", **dict(listed, summary="概述"))
    stale.write_text(stale.read_text(encoding="utf-8").replace("正文内容。", "改动后的正文。"), encoding="utf-8")
    state = load_state(root, today=TODAY)
    plan = plan_site(state)
    body = page(plan, "column/ysqgk/mulu/index.md").body
    assert f"<td class=\"gk-nowrap\">{PREFIX}/2026-00001</td><td>码头安全评估报告</td><td>江澜市港航事务中心</td><td class=\"gk-nowrap\">2026-03-02</td>" in body
    for absent in ("未经审查的资料", "审查不予公开的资料", "签署后又改过的资料", "报告正文不得出现", "机密的概述不应出现"):
        assert absent not in "\n".join(p.body for p in plan.pages)
    assert not any(p.meta.get("gongkai_item") == f"{PREFIX}/2026-00001" for p in plan.pages)  # no item page
    column = page(plan, "column/ysqgk/index.md").body
    assert '<a href="zhinan/">依申请公开指南</a>' in column and '<a href="mulu/">依申请公开目录</a>' in column
    assert {"依申请公开": ["column/ysqgk/index.md", {"依申请公开指南": "column/ysqgk/zhinan/index.md"}, {"依申请公开目录": "column/ysqgk/mulu/index.md"},
                      {"网上填写申请表": "column/ysqgk/shenqing/index.md"}]} in plan.nav


def test_annual_report_page_appears_once_its_publication_date_has_come(tmp_path):
    root = make_project(tmp_path)
    write_register(root, 2025, "- {id: A, received: 2025-03-03, applicant: 自然人, channel: 网上申请, subject: 甲, outcome: 予以公开, replied: 2025-03-10}\n")
    (root / "annual").mkdir()
    (root / "annual" / "2025.yml").write_text(
        "published: 2026-01-28\noverview: 总体。\nproblems: 问题。\nother: 其他。\n"
        "table2: {行政许可: 1, 行政处罚: 2, 行政强制: 0, 行政事业性收费: 0}\n"
        "table4:\n" + "".join(f"  {g}: {{结果维持: 0, 结果纠正: 0, 其他结果: 0, 尚未审结: 0}}\n" for g in ("行政复议", "未经复议直接起诉", "复议后起诉")),
        encoding="utf-8",
    )
    before = plan_site(load_state(root, today=date(2026, 1, 27)))
    assert not [p for p in before.pages if p.uri.startswith("column/nianbao/2025")]
    plan = plan_site(load_state(root, today=TODAY))
    annual = page(plan, "column/nianbao/2025/index.md")
    assert annual.title == "江澜市交通运输局2025年政府信息公开工作年度报告"
    assert annual.meta["gongkai_column"] == "nianbao" and annual.meta["gongkai_date"] == "2026-01-28"
    assert "<th scope=\"row\">（七）总计</th><td>1</td>" in annual.body
    assert '<a href="2025/">江澜市交通运输局2025年政府信息公开工作年度报告</a>' in page(plan, "column/nianbao/index.md").body


@pytest.fixture(scope="module")
def built_sample(tmp_path_factory):
    root = copy_sample(tmp_path_factory.mktemp("built"))
    mp = pytest.MonkeyPatch()
    mp.setenv("GONGKAI_BUILD_DATE", "2026-11-25")
    try:
        site = build_site(root)
    finally:
        mp.undo()
    return root, site


def test_sample_build_writes_the_report_beside_the_site_with_real_findings(built_sample):
    root, site = built_sample
    report = json.loads((root / "reports" / "compliance.json").read_text(encoding="utf-8"))
    assert (root / "reports" / "compliance.html").is_file() and (root / "reports" / "compliance.md").is_file()
    assert not list(site.rglob("compliance*"))
    checks = {c["code"]: c for c in report["checks"]}
    late = [f for f in checks["deadlines"]["findings"] if f["facts"].get("kind") == "late"]
    assert f"{PREFIX}/2026-00600" in [f["facts"]["id"] for f in late]
    assert "jyta" in [f["facts"]["column"] for f in checks["stale_columns"]["findings"]]
    assert "2026-002" in [f["facts"]["request"] for f in checks["request_deadlines"]["findings"] if f["facts"]["kind"] == "late"]
    assert report["ok"] is True


def test_register_never_reaches_the_site(built_sample):
    root, site = built_sample
    subjects = ["申请公开北站客运枢纽改造项目的招标文件和评标结果", "申请公开 2025 年城市公交无障碍车辆配置情况", "春节前后承办科室交接不畅"]
    text = "\n".join(p.read_text(encoding="utf-8", errors="ignore") for p in site.rglob("*") if p.is_file() and p.suffix in {".html", ".json", ".xml", ".txt", ".yml"})
    for s in subjects:
        assert s not in text
    assert not list(site.rglob("*.yml"))
    assert (site / "column" / "nianbao" / "2025" / "index.html").is_file()
    assert (site / "column" / "ysqgk" / "mulu" / "index.html").is_file()


@pytest.mark.parametrize("aside", [False, True], ids=["in-process", "second-process"])
def test_strict_build_fails_on_a_blocking_check_and_keeps_the_old_site(tmp_path, caplog, monkeypatch, aside):
    """Large builds check compliance in a second process (adapters/build_compliance.py): same outcome."""
    from gongkai.adapters import build_compliance

    root = make_project(tmp_path)
    write_item(root, "2026-00001", "tzgg", date(2026, 11, 2), date(2026, 11, 3), body="见[草稿](../2026-00009/)。")
    marker, real = tmp_path / "checked-aside", build_compliance._run_child
    if aside:
        monkeypatch.setattr(build_compliance, "worker_count", lambda tasks, minimum: 2)  # whatever threads earlier tests left
        monkeypatch.setattr(build_compliance, "_run_child", lambda *a: (marker.touch(), real(*a)))
    with pytest.raises(BuildFailed):
        build_site(root)
    assert marker.exists() == aside
    assert "合规检查未通过（站内链接），已停止构建" in caplog.text
    assert "content/tzgg/2026-00001.md:22: 正文: 链接「../2026-00009/」指向的页面或文件在网站上不存在" in caplog.text
    assert not (root / "reports").exists()  # a failed build writes no reports (the log has the findings)
    assert not (root / "site").exists()


def test_report_command_json_and_exit_code(tmp_path, capsys):
    root = make_project(tmp_path)
    write_item(root, "2026-00001", "gzdt", date(2026, 9, 30), date(2026, 10, 1))
    assert main(["-C", str(root), "report", "--json", "--as-of", "2026-10-10"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["as_of"] == "2026-10-10"
    assert {c["code"]: c["status"] for c in data["checks"]}["stale_columns"] == "ok"
    assert main(["-C", str(root), "report", "--as-of", "2026-11-25"]) == 0
    out = capsys.readouterr().out
    assert "[有问题] 栏目更新（stale_columns）：有定期更新要求的栏目 13 个，截至 2026-11-25 超期未更新 1 个" in out
    write_item(root, "2026-00002", "gzdt", date(2026, 11, 2), date(2026, 11, 3), body="[坏链接](../nowhere/)")
    assert main(["-C", str(root), "report"]) == 1
    assert "阻断构建的检查：站内链接" in capsys.readouterr().out


def test_report_notes_the_weekday_fallback_beyond_holiday_data(tmp_path, capsys):
    root = make_project(tmp_path)
    write_item(root, "2026-00001", "gzdt", date(2026, 12, 21), date(2026, 12, 21), sign=False)
    assert main(["-C", str(root), "report", "--as-of", "2027-01-04"]) == 0
    out = capsys.readouterr().out
    assert "未包含 2027 年，这些年份的工作日按周一至周五计算" in out
