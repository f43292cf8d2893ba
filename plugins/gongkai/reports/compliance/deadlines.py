"""Check: 主动公开 items are published within N working days of `created` (条例第二十六条)."""
from __future__ import annotations

from gongkai.review.gate import PROACTIVE
from gongkai.core.problems import Problem
from gongkai.reports.compliance.base import CheckResult, Context, Finding

CODE = "deadlines"
TITLE = "主动公开时限"


def check(ctx: Context) -> CheckResult:
    limit = ctx.settings.deadline_workdays
    cal = ctx.calendar
    late = overdue = soon = counted_published = counted_pending = 0
    findings: list[Finding] = []
    for decision in ctx.state.decisions:
        item = decision.item
        created = item.created
        if item.parse_problems or item.meta.get("disclosure") != PROACTIVE or created is None or created > ctx.as_of:
            continue
        if "not_approved" in decision.codes:
            continue  # the reviewer decided against publishing: no deadline to meet
        deadline = cal.add(created, limit)
        facts = {"id": item.id, "created": created.isoformat(), "deadline": deadline.isoformat()}
        if decision.published:
            counted_published += 1
            used = cal.between(created, item.published)
            if used > limit:
                late += 1
                findings.append(Finding(
                    Problem(item.rel, "published",
                            f"发布日期 {item.published} 距生成日期 {created} 共 {used} 个工作日，超过 {limit} 个工作日的公开时限 {used - limit} 个工作日",
                            f"主动公开信息应在形成或变更之日起 {limit} 个工作日内公开（期限为 {deadline}）；核实生成日期，今后及时审查发布",
                            line=item.line_of("published"), severity="warning"),
                    {**facts, "kind": "late", "published": item.published.isoformat(), "workdays": used, "over": used - limit},
                ))
            continue
        counted_pending += 1
        why = decision.reason_text
        if ctx.as_of > deadline:
            over = cal.between(deadline, ctx.as_of)
            overdue += 1
            findings.append(Finding(
                Problem(item.rel, "created",
                        f"生成于 {created}，公开期限 {deadline} 已过 {over} 个工作日，仍未发布（{why}）",
                        "尽快解决未发布的原因并发布；主动公开信息不得拖延",
                        line=item.line_of("created"), severity="warning"),
                {**facts, "kind": "overdue", "over": over},
            ))
            continue
        left = cal.between(ctx.as_of, deadline)
        if left <= ctx.settings.due_soon_workdays:
            soon += 1
            findings.append(Finding(
                Problem(item.rel, "created",
                        f"生成于 {created}，须在 {deadline} 前发布，还剩 {left} 个工作日（{why}）",
                        "在期限前完成保密审查签署并发布",
                        line=item.line_of("created"), severity="warning"),
                {**facts, "kind": "due_soon", "left": left},
            ))
    summary = (
        f"已发布的主动公开条目 {counted_published} 个，超期发布 {late} 个；"
        f"尚未发布的 {counted_pending} 个中已超期 {overdue} 个、即将到期 {soon} 个（时限 {limit} 个工作日）"
    )
    return CheckResult(CODE, TITLE, summary, findings)
