"""review-status's report as Chinese text for the merge request's log (reports/review_status.py decides)."""
from __future__ import annotations

from gongkai.reports.change_paths import APPROVAL, platform_lines
from gongkai.reports.review_status import LABELS, Report


def render_text(report: Report) -> str:
    lines = [f"保密审查状态（相对于 {report.base}，合并基点 {report.merge_base[:10]}）", ""]
    if not report.items:
        lines.append("本次改动不涉及任何条目，但有平台改动（见下）。" if report.platform else "本次改动不涉及任何条目。")
    else:
        lines.append(f"改动的条目 {len(report.items)} 个：")
    change_names = {"added": "新增", "modified": "修改", "renamed": "改名", "deleted": "删除", "attachment": "附件改动", "affected": "受 catalog.yml 或审查人员名单改动影响"}
    for s in report.items:
        mark = "✘" if s.blocking else "✔" if "signed" in s.statuses else "·"
        labels = "；".join(LABELS[x] for x in s.statuses)
        lines.append(f"  {mark} {s.path}（{change_names[s.change]}）")
        if s.id:
            lines.append(f"      {s.id} {s.title}")
        lines.append(f"      状态：{labels}")
        lines += [f"      {problem}" for problem in s.unreadable]
        if s.reviewer:
            lines.append(f"      签署：{s.reviewer}，{s.review_date}，{s.decision}")
        lines += [f"      原因：{reason}" for reason in s.reasons]
        if s.old_path:
            lines.append(f"      原路径：{s.old_path}")
        if s.via:
            lines.append(f"      改动的附件：{'、'.join(s.via)}")
    if report.other_files:
        lines += ["", "未被任何条目引用的文件（不会发布）：", *[f"  · {p}" for p in report.other_files]]
    if report.gate_changes:
        lines += ["", "⚠ 审查规则有改动，须由第二位审查人员批准后才能合并：", *[f"  · {c}" for c in report.gate_changes]]
    lines += platform_lines(report.platform, report.allow_platform, change_names)
    blocking = [s for s in report.items if s.blocking]
    lines.append("")
    if blocking:
        lines.append(f"结论：{len(blocking)} 个主动公开条目没有有效的保密审查签署，不能合并。由授权审查人员审查后运行 gongkai sign 签署并提交。")
    else:
        lines.append("结论：改动的主动公开条目均已有效签署。")
    if report.platform and not report.allow_platform:
        lines.append(f"结论：有 {len(report.platform)} 处平台改动，{APPROVAL}；批准前不能合并（批准后 CI 以 --allow-platform 运行本检查）。")
    return "\n".join(lines)
