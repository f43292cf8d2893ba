"""Checks on the request register (依申请公开登记): its validity and the reply deadlines."""
from __future__ import annotations

from gongkai.compliance.register import RequestRules
from gongkai.compliance.reply_clock import clock
from gongkai.reports.compliance.base import CheckResult, Context, Finding

REGISTER = "request_register"
REPLIES = "request_deadlines"


def check_register(ctx: Context) -> CheckResult:
    reg = ctx.register
    findings = [Finding(p, {}) for p in reg.problems]
    files = "、".join(reg.files) or "无"
    summary = f"登记文件 {len(reg.files)} 个（{files}），登记申请 {len(reg.requests)} 件，格式问题 {len(findings)} 处"
    return CheckResult(REGISTER, "依申请公开登记", summary, findings)


def check_replies(ctx: Context) -> CheckResult:
    rules = RequestRules.from_catalog(ctx.state.catalog)
    bad = {(p.path, p.field.split(".")[0]) for p in ctx.register.problems}
    findings: list[Finding] = []
    late = overdue = soon = pending = replied = late_notice = 0
    for r in ctx.register.requests:
        if r.received is None or r.received > ctx.as_of or (r.rel, f"[{r.index}]") in bad:
            continue  # invalid entries are reported by the register check
        c = clock(r, rules, ctx.calendar, ctx.as_of)
        answered = r.replied is not None and r.replied <= ctx.as_of
        facts = {"request": r.id, "received": r.received.isoformat(), "allowed": c.allowed, "used": c.used, "excluded": c.excluded}
        cor = r.data.get("correction")
        if isinstance(cor, dict):
            asked = r.date("correction", "requested")
            taken = ctx.calendar.between(r.received, asked)
            if taken > rules.correction_notice:
                late_notice += 1
                findings.append(Finding(r.problem("correction.requested", f"申请 {r.id} 收到后第 {taken} 个工作日才告知补正，超过 {rules.correction_notice} 个工作日", f"需要补正的，应在收到申请之日起 {rules.correction_notice} 个工作日内一次性告知（条例第三十条）", "warning"), {**facts, "kind": "late_correction_notice", "workdays": taken}))
        if c.start is None:
            replied += answered
            pending += not answered
            continue  # waiting for the applicant's correction: the clock is stopped
        facts["deadline"] = c.deadline.isoformat()
        detail = f"计 {c.used} 个工作日" + (f"（征求意见 {c.excluded} 个工作日不计）" if c.excluded else "") + (f"，含延期 {c.allowed - rules.reply_workdays} 个工作日" if c.allowed > rules.reply_workdays else "")
        if answered:
            replied += 1
            if c.over:
                late += 1
                findings.append(Finding(r.problem("replied", f"申请 {r.id} 于 {r.replied} 答复，{detail}，超过答复期限（{c.deadline}）{c.over} 个工作日", f"应在收到申请之日起 {rules.reply_workdays} 个工作日内答复；需要延长的应经批准并在 extension 中登记，最长 {rules.extension_max} 个工作日", "warning"), {**facts, "kind": "late", "over": c.over}))
            continue
        pending += 1
        if c.over:
            overdue += 1
            findings.append(Finding(r.problem("received", f"申请 {r.id} 尚未答复，答复期限 {c.deadline} 已过 {c.over} 个工作日", "立即答复申请人；逾期答复可能引起行政复议或诉讼", "warning"), {**facts, "kind": "overdue", "over": c.over}))
        elif c.allowed - c.used <= ctx.settings.due_soon_workdays:
            soon += 1
            findings.append(Finding(r.problem("received", f"申请 {r.id} 尚未答复，须在 {c.deadline} 前答复，还剩 {c.allowed - c.used} 个工作日", "按期答复；确需延长的，经批准后登记 extension 并告知申请人", "warning"), {**facts, "kind": "due_soon", "left": c.allowed - c.used}))
    summary = f"已答复 {replied} 件，其中逾期 {late} 件；未办结 {pending} 件，其中已逾期 {overdue} 件、即将到期 {soon} 件" + (f"；补正告知超期 {late_notice} 件" if late_notice else "")
    return CheckResult(REPLIES, "依申请公开答复时限", summary, findings)
