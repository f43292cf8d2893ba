"""The annual report: filled from the sample data, cross-checked against it, its arithmetic enforced."""
import csv
import json
from datetime import date

import pytest
from compliance_helpers import PREFIX, TODAY, copy_sample, make_project, write_item, write_register

from gongkai.compliance import annual_format as fmt
from gongkai.compliance.annual import CARRIED_IN, CARRIED_OUT, HANDLED, NEW, TOTAL, AnnualReportError, build_report, count_table3, leaf_rows, verify
from gongkai.cli.main import main
from gongkai.project import load_state
from gongkai.compliance.register import load_register


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    root = copy_sample(tmp_path_factory.mktemp("sample"))
    state = load_state(root, today=TODAY)
    return root, state, load_register(root, state.catalog, TODAY)


def test_sample_register_is_valid_and_covers_several_outcomes(sample):
    _, _, register = sample
    assert register.problems == []
    outcomes = {r.outcome for r in register.requests if r.outcome}
    assert len(register.requests) >= 12 and len(outcomes) >= 6


def test_sample_year_table3_matches_the_register(sample):
    root, state, register = sample
    report = build_report(state, register, 2025)
    n = report.table3_counts
    assert (n[(NEW, TOTAL)], n.get((CARRIED_IN, TOTAL), 0), n[(HANDLED, TOTAL)], n[(CARRIED_OUT, TOTAL)]) == (7, 0, 6, 1)
    assert n[(NEW, "自然人")] == 3 and n[(CARRIED_OUT, "社会公益组织")] == 1
    # Cross-check every cell against the register directly.
    in_year = [r for r in register.requests if r.received.year == 2025]
    handled = [r for r in register.requests if r.replied and r.replied.year == 2025]
    for applicant in fmt.applicants():
        assert n.get((NEW, applicant), 0) == sum(r.applicant == applicant for r in in_year)
        for key, row in leaf_rows().items():
            assert n.get((row, applicant), 0) == sum(r.applicant == applicant and r.outcome == key for r in handled)
    # Every number is traceable to the requests it counts.
    for (row, col), count in n.items():
        assert len(report.trace[f"表三.{row}.{col}"]) == count
    assert report.trace[f"表三.{CARRIED_OUT}.{TOTAL}"] == ["2025-006"]


def test_carry_over_into_the_next_year(sample):
    _, state, register = sample
    n = count_table3(register.requests, 2026, {})  # the year is not over: no hand-kept file yet
    assert n[(CARRIED_IN, TOTAL)] == 1 and n[(CARRIED_IN, "社会公益组织")] == 1
    assert n[(NEW, TOTAL)] + n[(CARRIED_IN, TOTAL)] == n[(HANDLED, TOTAL)] + n[(CARRIED_OUT, TOTAL)]


def test_sample_year_table2_counts_items_and_hand_kept_figures(sample):
    _, state, register = sample
    report = build_report(state, register, 2025)
    block = report.table2[0]
    assert block.columns == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    row = next(r for r in block.rows if r[0] == "行政规范性文件")
    assert f"{PREFIX}/2025-00601" in report.trace["表二.行政规范性文件.本年制发件数"]
    assert f"{PREFIX}/2021-00600" in report.trace["表二.行政规范性文件.本年废止件数"]  # replaced in 2025
    assert f"{PREFIX}/2021-00600" not in report.trace["表二.行政规范性文件.现行有效件数"]
    assert row[1:] == [len(report.trace[f"表二.行政规范性文件.{c}"]) for c in block.columns[1:]]
    assert [r for t in report.table2[1:] for r in t.rows] == [["行政许可", 1286], ["行政处罚", 94], ["行政强制", 7], ["行政事业性收费", 0]]
    assert report.table4.rows[0] == ["行政复议", 1, 0, 0, 0, 1]
    assert verify(report) == []


def test_arithmetic_violations_fail_with_clear_errors(sample):
    _, state, register = sample
    report = build_report(state, register, 2025)
    report.table3_counts[(CARRIED_OUT, "自然人")] = 2
    report.table3_counts[(leaf_rows()["予以公开"], TOTAL)] = 9
    messages = [f"{p.field}: {p.message}" for p in verify(report)]
    assert "表三.自然人: 本年新收 3 + 上年结转 0 = 3，不等于办理结果总计 3 + 结转下年度 2 = 5" in messages
    assert "表三.总计: 各项办理结果之和 12 不等于办理结果总计 6" in messages
    assert f"表三.{CARRIED_OUT}: 各类申请人之和 3 不等于总计 1" in messages
    assert f"表三.{leaf_rows()['予以公开']}: 各类申请人之和 3 不等于总计 9" in messages


def _small_project(tmp_path, annual_text):
    root = make_project(tmp_path)
    write_register(root, 2025, "- {id: A, received: 2025-03-03, applicant: 自然人, channel: 网上申请, subject: 甲, outcome: 予以公开, replied: 2025-03-10}\n")
    (root / "annual").mkdir()
    (root / "annual" / "2025.yml").write_text(annual_text, encoding="utf-8")
    return root


GOOD_ANNUAL = """\
published: 2026-01-20
overview: 总体情况。
problems: 存在的问题。
other: 其他事项。
table2: {行政许可: 1, 行政处罚: 2, 行政强制: 0, 行政事业性收费: 0.5}
table4:
  行政复议: {结果维持: 1, 结果纠正: 1, 其他结果: 0, 尚未审结: 0, 总计: 2}
  未经复议直接起诉: {结果维持: 0, 结果纠正: 0, 其他结果: 0, 尚未审结: 0}
  复议后起诉: {结果维持: 0, 结果纠正: 0, 其他结果: 0, 尚未审结: 1}
"""


def test_hand_kept_file_is_validated(tmp_path):
    root = _small_project(tmp_path, "overview: 只写了总体情况\ntable4:\n  行政复议: {结果维持: 1, 结果纠正: 0, 其他结果: 0, 尚未审结: 0, 总计: 3}\n")
    state = load_state(root, today=TODAY)
    with pytest.raises(AnnualReportError) as err:
        build_report(state, load_register(root, state.catalog, TODAY), 2025)
    got = {(p.field, p.message) for p in err.value.problems}
    assert ("problems", "缺少“五、存在的主要问题及改进情况”的文字") in got
    assert ("table2.行政许可", "“行政许可”的数字未填写或无效") in got
    assert ("table4.复议后起诉.结果维持", "“行政诉讼：复议后起诉·结果维持”未填写或无效") in got


def test_table4_total_must_equal_its_parts(tmp_path):
    root = _small_project(tmp_path, GOOD_ANNUAL.replace("尚未审结: 0, 总计: 2}", "尚未审结: 0, 总计: 5}"))
    state = load_state(root, today=TODAY)
    with pytest.raises(AnnualReportError) as err:
        build_report(state, load_register(root, state.catalog, TODAY), 2025)
    assert [p.message for p in err.value.problems] == ["各项结果之和 2 不等于总计 5"]
    assert err.value.problems[0].path == "annual/2025.yml"
    from gongkai.reports.compliance import run_checks

    result = run_checks(state, TODAY).result("annual_report")
    assert result.blocks_build and "各项结果之和 2 不等于总计 5" in [f.problem.message for f in result.findings]


def test_cli_writes_markdown_html_csv_and_trace(tmp_path, capsys):
    root = _small_project(tmp_path, GOOD_ANNUAL)
    write_item(root, "2025-00001", "fgwj", date(2025, 4, 1), date(2025, 4, 2), doc_no="澜交规〔2025〕1号", doc_type="办法")
    out = tmp_path / "out"
    assert main(["-C", str(root), "annual-report", "--year", "2025", "--out", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["2025年度报告.md", "2025年度报告.html", "2025年度报告-表二-主动公开.csv", "2025年度报告-表三-申请情况.csv",
                            "2025年度报告-表四-复议诉讼.csv", "2025年度报告-数据来源.json"])
    md = (out / "2025年度报告.md").read_text(encoding="utf-8")
    for section in fmt.raw_format()["sections"]:
        assert f"## {section}" in md
    rows = list(csv.reader((out / "2025年度报告-表三-申请情况.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][1:] == [*fmt.applicants(), "总计"]
    assert rows[1] == ["一、本年新收政府信息公开申请数量", "1", "0", "0", "0", "0", "0", "1"]
    t2 = list(csv.reader((out / "2025年度报告-表二-主动公开.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert ["第二十条第（一）项", "行政规范性文件", "本年制发件数", "1"] in t2
    assert ["第二十条第（八）项", "行政事业性收费", "本年收费金额（单位：万元）", "0.5"] in t2
    trace = json.loads((out / "2025年度报告-数据来源.json").read_text(encoding="utf-8"))
    assert trace["cells"]["表二.行政规范性文件.本年制发件数"] == [f"{PREFIX}/2025-00001"]
    assert trace["cells"][f"表三.{HANDLED}.自然人"] == ["A"]
    assert "<table" in (out / "2025年度报告.html").read_text(encoding="utf-8")


def test_cli_refuses_a_year_with_errors(tmp_path, capsys):
    root = _small_project(tmp_path, "overview: 只有这一项\n")
    assert main(["-C", str(root), "annual-report", "--year", "2025", "--out", str(tmp_path / "o")]) == 1
    assert "无法生成 2025 年度报告" in capsys.readouterr().err


def test_a_draft_report_warns_but_a_published_one_blocks(tmp_path):
    from gongkai.reports.compliance import run_checks

    draft = _small_project(tmp_path / "draft", "overview: 起草中\n")
    result = run_checks(load_state(draft, today=TODAY), TODAY).result("annual_report")
    assert "缺少“五、存在的主要问题及改进情况”的文字" in [f.problem.message for f in result.findings]
    assert not result.blocks_build
    published = _small_project(tmp_path / "pub", "published: 2026-01-20\noverview: 只写了一部分\n")
    assert run_checks(load_state(published, today=TODAY), TODAY).result("annual_report").blocks_build


def manual_problems(tmp_path, text):
    from gongkai.compliance.annual import load_manual

    path = tmp_path / "annual" / "2025.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    data, problems = load_manual(path, tmp_path)
    return data, [(p.line, p.field, p.message, p.fix) for p in problems]


def test_hand_kept_file_wrong_types_unknown_keys_and_missing_cells_name_line_and_fix(tmp_path):
    text = GOOD_ANNUAL.replace("published: 2026-01-20", "published: 昨天\npublish: 2026-01-20").replace("行政许可: 1,", "行政许可: 一千,")
    text = text.replace("  未经复议直接起诉: {结果维持: 0, 结果纠正: 0, 其他结果: 0, 尚未审结: 0}", "  未经复议直接起诉: 0")
    text = text.replace("尚未审结: 0, 总计: 2}", "总计: 2}") + "repealed: 2021-00600\n"
    _, got = manual_problems(tmp_path, text)
    assert (1, "published", "「昨天」不是有效的日期", "写成 YYYY-MM-DD；尚未发布的不写") in got
    assert (2, "publish", "不认识这个字段", "检查拼写或删除它；可用字段：published、id、overview、proactive、problems、other、table2、table4、repealed") in got
    assert (6, "table2.行政许可", "“行政许可”的数字未填写或无效", "填写非负数；没有的写 0") in got
    assert (8, "table4.行政复议.尚未审结", "“行政复议·尚未审结”未填写或无效", "填写非负整数；没有的写 0") in got
    assert (9, "table4.未经复议直接起诉", "应当是键值映射，现在是「0」", "每个类别写成 {结果维持: 0, 结果纠正: 0, 其他结果: 0, 尚未审结: 0}；总计可不写，由系统计算") in got
    assert (11, "repealed", "应当是列表，现在是「2021-00600」", "写成索引号的列表，列出本年废止、没有替代文件的规范性文件，如 [机关前缀/2021-00600]") in got
    assert len(got) == 6, got


def test_hand_kept_file_missing_text_and_wrong_shape(tmp_path):
    _, got = manual_problems(tmp_path, GOOD_ANNUAL.replace("problems: 存在的问题。", "problems: '  '").replace("other: 其他事项。\n", ""))
    assert got == [(1, "other", "缺少“六、其他需要报告的事项”的文字", "在 other 中填写本部分内容"),
                   (3, "problems", "缺少“五、存在的主要问题及改进情况”的文字", "在 problems 中填写本部分内容")]
    data, got = manual_problems(tmp_path, "- 一句话\n")
    assert data == {} and got == [(1, "", "内容不是“字段: 值”的形式", "按示例填写：复制上一年度的文件，改写本年度的数字和文字")]


def test_hand_kept_file_quoted_publication_date_is_a_date(tmp_path):
    data, got = manual_problems(tmp_path, GOOD_ANNUAL.replace("published: 2026-01-20", "published: '2026-01-20'"))
    assert got == [] and data["published"] == date(2026, 1, 20)


def test_hand_kept_file_rows_and_titles_come_from_the_annual_format():
    from gongkai.compliance.annual import manual_schema

    props = manual_schema().schema["properties"]
    assert props["overview"]["x-label"] == fmt.raw_format()["sections"][0]
    manual_rows = [r for block in fmt.raw_format()["table2"] if block["source"] == "manual" for r in block["rows"]]
    assert list(props["table2"]["properties"]) == props["table2"]["required"] == manual_rows
    t4 = fmt.raw_format()["table4"]
    assert {k: g["x-label"] for k, g in props["table4"]["properties"].items()} == {g["key"]: g["title"] for g in t4["groups"]}
    assert all(g["required"] == t4["results"] for g in props["table4"]["properties"].values())
