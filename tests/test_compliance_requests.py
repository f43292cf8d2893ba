"""The request register: validation like items, and the reply clock (补正 restarts it, consultation pauses it)."""
from datetime import date

from compliance_helpers import TODAY, make_project, write_register

from gongkai.reports.compliance import run_checks
from gongkai.project import load_state


def report_for(root, as_of=TODAY):
    return run_checks(load_state(root, today=as_of), as_of)


def problems(root):
    return [(p.path, p.line, p.field, p.message) for p in [f.problem for f in report_for(root).result("request_register").findings]]


GOOD = """\
- id: 2026-001
  received: 2026-02-02
  applicant: 商业企业
  channel: 网上申请
  subject: 申请公开货运企业考核评分明细
  outcome: 予以公开
  replied: 2026-03-20
"""


def test_register_errors_name_file_line_field_and_fix(tmp_path):
    root = make_project(tmp_path)
    write_register(root, 2026, GOOD + """\
- id: 2026-002
  received: 2025-12-30
  applicant: 个人
  channel: 微信
  subject: 张三，电话 13912345678，申请公开某文件
  outcome: 不予公开
  extension: {approved: 2026-01-20, workdays: 25}
  colour: red
- id: 2026-001
  received: 2026-03-01
  applicant: 自然人
  channel: 网上申请
  subject: 重复编号
""")
    got = problems(root)
    assert ("requests/2026.yml", 9, "[2].received", "收到日期 2025-12-30 不在 2026 年") in got
    assert ("requests/2026.yml", 10, "[2].applicant", "「个人」不是年报表三的申请人类型") in got
    assert ("requests/2026.yml", 11, "[2].channel", "「微信」不是 catalog.yml 中的申请渠道") in got
    assert ("requests/2026.yml", 12, "[2].subject", "摘要中含有手机号码") in got
    assert ("requests/2026.yml", 13, "[2].outcome", "「不予公开」不是年报表三的办理结果") in got
    assert ("requests/2026.yml", 8, "[2].replied", "办理结果和答复日期要同时填写") in got
    assert ("requests/2026.yml", 14, "[2].extension.workdays", "延长期限「25」无效") in got
    assert ("requests/2026.yml", 15, "[2].colour", "不认识这个字段") in got
    assert ("requests/2026.yml", 16, "[3].id", "登记编号「2026-001」与 requests/2026.yml 第 1 项重复") in got
    fixes = {p.fix for p in [f.problem for f in report_for(root).result("request_register").findings]}
    assert "可选：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他" in fixes
    assert report_for(root).result("request_register").blocks_build


def test_register_yaml_error_is_a_problem_not_a_traceback(tmp_path):
    root = make_project(tmp_path)
    write_register(root, 2026, "- id: 2026-001\n  received: [2026-01-01\n")
    (path, line, field, message), = problems(root)
    assert path == "requests/2026.yml" and line == 2 and message.startswith("YAML 格式错误")  # where the [ opens


def test_late_reply_is_flagged_with_working_days_over(tmp_path):
    root = make_project(tmp_path)
    write_register(root, 2026, GOOD)
    result = report_for(root).result("request_deadlines")
    assert [f.problem.message for f in result.findings] == [
        "申请 2026-001 于 2026-03-20 答复，计 30 个工作日，超过答复期限（2026-03-06）10 个工作日"
    ]
    assert result.findings[0].problem.line == 7 and result.findings[0].facts["over"] == 10


def test_extension_correction_and_consultation_move_the_deadline(tmp_path):
    root = make_project(tmp_path)
    write_register(root, 2026, """\
- id: 2026-001
  received: 2026-02-02
  applicant: 商业企业
  channel: 网上申请
  subject: 延期 10 个工作日后按期答复
  extension: {approved: 2026-03-02, workdays: 10}
  outcome: 予以公开
  replied: 2026-03-20
- id: 2026-002
  received: 2026-11-02
  applicant: 自然人
  channel: 网上申请
  subject: 补正后重新计算期限
  correction: {requested: 2026-11-04, received: 2026-11-16}
  outcome: 予以公开
  replied: 2026-11-24
- id: 2026-003
  received: 2026-06-08
  applicant: 商业企业
  channel: 网上申请
  subject: 征求第三方意见的时间不计入
  consultations: [{from: 2026-06-15, to: 2026-06-26, with: 第三方企业}]
  outcome: 部分公开
  replied: 2026-07-17
- id: 2026-004
  received: 2026-06-08
  applicant: 商业企业
  channel: 网上申请
  subject: 同一申请如果没有征求意见期间就逾期
  outcome: 部分公开
  replied: 2026-07-17
""")
    result = report_for(root).result("request_deadlines")
    assert [f.problem.message for f in result.findings] == [
        "申请 2026-004 于 2026-07-17 答复，计 28 个工作日，超过答复期限（2026-07-07）8 个工作日"
    ]


def test_pending_requests_overdue_and_due_soon(tmp_path):
    root = make_project(tmp_path)
    write_register(root, 2026, """\
- {id: A, received: 2026-10-12, applicant: 自然人, channel: 网上申请, subject: 未答复已逾期}
- {id: B, received: 2026-10-30, applicant: 自然人, channel: 网上申请, subject: 未答复即将到期}
- {id: C, received: 2026-11-20, applicant: 自然人, channel: 网上申请, subject: 刚收到}
- {id: D, received: 2026-10-12, applicant: 自然人, channel: 网上申请, subject: 等待补正, correction: {requested: 2026-10-14}}
""")
    result = report_for(root).result("request_deadlines")
    assert [f.problem.message for f in result.findings] == [
        "申请 A 尚未答复，答复期限 2026-11-09 已过 12 个工作日",
        "申请 B 尚未答复，须在 2026-11-27 前答复，还剩 2 个工作日",
    ]
    assert result.summary == "已答复 0 件，其中逾期 0 件；未办结 4 件，其中已逾期 1 件、即将到期 1 件"


def test_late_correction_notice(tmp_path):
    root = make_project(tmp_path)
    write_register(root, 2026, """\
- id: X
  received: 2026-03-02
  applicant: 自然人
  channel: 网上申请
  subject: 补正告知超过 7 个工作日
  correction: {requested: 2026-03-16, received: 2026-03-18}
  outcome: 予以公开
  replied: 2026-03-25
""")
    messages = [f.problem.message for f in report_for(root).result("request_deadlines").findings]
    assert messages == ["申请 X 收到后第 10 个工作日才告知补正，超过 7 个工作日"]


def test_register_inside_content_is_refused(tmp_path):
    root = make_project(tmp_path, {"register_dir: requests ": "register_dir: content/requests "})
    (root / "content" / "requests").mkdir()
    (root / "content" / "requests" / "2026.yml").write_text(GOOD, encoding="utf-8")
    (finding,) = report_for(root).result("request_register").findings
    assert finding.problem.message == "依申请公开登记放在了网站内容目录中"


def test_as_of_before_the_reply_sees_the_request_pending(tmp_path):
    root = make_project(tmp_path)
    write_register(root, 2026, GOOD)
    result = report_for(root, date(2026, 3, 10)).result("request_deadlines")
    assert [f.problem.message for f in result.findings] == ["申请 2026-001 尚未答复，答复期限 2026-03-06 已过 2 个工作日"]
    assert report_for(root, date(2026, 3, 10)).result("request_register").findings == []  # later dates are not errors


def test_an_entry_that_is_not_a_mapping(tmp_path):
    root = make_project(tmp_path)
    write_register(root, 2026, GOOD + "- 只写了一句话\n")
    assert problems(root) == [("requests/2026.yml", 8, "[2]", "这一项不是“字段: 值”的形式")]


def full(root):
    return [(p.line, p.field, p.message, p.fix) for p in [f.problem for f in report_for(root).result("request_register").findings]]


def test_wrong_types_unknown_keys_and_missing_fields_name_line_and_fix(tmp_path):
    root = make_project(tmp_path)
    write_register(root, 2026, GOOD + """\
- id: [2026, 2]
  applicant: 自然人
  channel:
  subject: 缺少收到日期，渠道为空
  note: 5
  extension: {approved: 2026-03-02, workdays: 5, by: 局长}
- id: 2026-003
  received: 2026-3-5
  applicant: 自然人
  channel: 网上申请
  subject: 日期不是 YYYY-MM-DD
  correction: 明天补正
""")
    got = full(root)
    assert (8, "[2].id", "登记编号应当是文字", "写成如 2026-001；全部登记中唯一") in got
    assert (8, "[2].received", "缺少收到申请日期", "写成 YYYY-MM-DD，如 2026-03-05") in got  # absent: the entry's first line
    assert (10, "[2].channel", "缺少申请渠道", "可选：网上申请、信函申请、当面申请、传真申请") in got  # written but empty
    assert (12, "[2].note", "备注应当是文字", "写一句话") in got
    assert (13, "[2].extension.by", "不认识这个字段", "检查拼写或删除它；可用字段：approved、workdays") in got
    assert (15, "[3].received", "「2026-3-5」不是有效的日期", "写成 YYYY-MM-DD，如 2026-03-05") in got
    assert (19, "[3].correction", "补正的格式不对", "写成 {requested: 告知补正的日期, received: 收到补正材料的日期}；尚未补正的不写 received") in got
    assert len(got) == 7, got


def test_clock_fields_dates_must_be_in_order(tmp_path):
    root = make_project(tmp_path)
    write_register(root, 2026, """\
- id: 2026-001
  received: 2026-03-02
  applicant: 自然人
  channel: 网上申请
  subject: 补正和征求意见的日期颠倒
  correction: {requested: 2026-03-01, received: 2026-02-27}
  consultations:
    - {from: 2026-03-20, to: 2026-03-10, with: 第三方}
    - {from: 2026-03-21}
  extension: {approved: 2026-03-25}
  outcome: 予以公开
  replied: 2026-03-01
""")
    got = full(root)
    assert (6, "[1].correction.requested", "告知补正日期 2026-03-01 早于收到申请日期 2026-03-02", "核对日期") in got
    assert (6, "[1].correction.received", "收到补正日期 2026-02-27 早于告知补正日期 2026-03-01", "核对日期") in got
    assert (8, "[1].consultations[1]", "征求意见期间的开始日期 2026-03-20 晚于结束日期 2026-03-10", "核对日期：开始不晚于结束") in got
    assert (9, "[1].consultations[2].to", "缺少结束日期", "写成列表，每项 {from: 开始日期, to: 结束日期, with: 征求意见对象}，开始不晚于结束") in got
    assert (10, "[1].extension.workdays", "缺少延长的工作日数", "延长期限为 1 至 20 个工作日（条例第三十三条，只能延长一次）") in got
    assert (12, "[1].replied", "答复日期 2026-03-01 早于收到日期 2026-03-02", "核对日期") in got
    assert len(got) == 6, got


def test_value_lists_come_from_the_annual_format_and_the_catalog(tmp_path):
    from gongkai.compliance.annual_format import applicants, outcome_keys
    from gongkai.compliance.register import RequestRules, entry_schema

    root = make_project(tmp_path, {"extension_max_workdays: 20 ": "extension_max_workdays: 15 "})
    state = load_state(root, today=TODAY)
    rules = RequestRules.from_catalog(state.catalog)
    props = entry_schema(rules).schema["properties"]
    assert props["applicant"]["enum"] == applicants() and props["outcome"]["enum"] == outcome_keys()
    assert props["channel"]["enum"] == list(rules.channels) and props["extension"]["properties"]["workdays"]["maximum"] == 15
    write_register(root, 2026, GOOD.replace("  outcome:", "  extension: {approved: 2026-03-02, workdays: 16}\n  outcome:"))
    assert (6, "[1].extension.workdays", "延长期限「16」无效", "延长期限为 1 至 15 个工作日（条例第三十三条，只能延长一次）") in full(root)


def test_a_register_file_that_is_not_a_list(tmp_path):
    root = make_project(tmp_path)
    write_register(root, 2026, "id: 2026-001\nreceived: 2026-03-02\n")
    assert full(root) == [(1, "", "登记文件应当是一个列表", "每件申请以“- id: ...”开头，一件一项")]
