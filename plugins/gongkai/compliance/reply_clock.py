"""The reply deadline of a request (条例第三十、三十三条): 补正 restarts the clock, consultation pauses it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from gongkai.compliance.register import Request, RequestRules
from gongkai.compliance.workdays import WorkCalendar
from gongkai.core.items import as_date


@dataclass
class Clock:
    """The reply deadline of one request, under 条例第三十、三十三条."""

    start: date | None  # the day the clock (re)started: receipt, or receipt of the corrected application
    allowed: int  # working days allowed (reply limit + recorded extension)
    deadline: date | None
    used: int  # counted working days from start to the reply (or to as_of while pending)
    excluded: int  # working days spent consulting third parties (not counted)

    @property
    def over(self) -> int:
        return max(0, self.used - self.allowed)


def clock(r: Request, rules: RequestRules, cal: WorkCalendar, as_of: date) -> Clock:
    ext = r.data.get("extension")
    allowed = rules.reply_workdays + (ext["workdays"] if isinstance(ext, dict) and isinstance(ext.get("workdays"), int) else 0)
    start = r.received
    if isinstance(r.data.get("correction"), dict):
        start = r.date("correction", "received")  # the clock restarts; stopped while awaiting the correction
    if start is None:
        return Clock(None, allowed, None, 0, 0)
    paused: set[date] = set()
    for c in r.data.get("consultations") or []:
        if isinstance(c, dict) and as_date(c.get("from")) and as_date(c.get("to")):
            day = as_date(c["from"])
            while day <= as_date(c["to"]):
                paused.add(day)
                day += timedelta(days=1)
    end = r.replied if r.replied and r.replied <= as_of else as_of  # a later reply is still pending at as_of
    used = excluded = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if cal.is_workday(day):
            if day in paused:
                excluded += 1
            else:
                used += 1
    return Clock(start, allowed, _deadline(start, allowed, paused, cal), used, excluded)


def _deadline(start: date, allowed: int, paused: set[date], cal: WorkCalendar) -> date:
    day, counted = start, 0
    while counted < allowed:
        day += timedelta(days=1)
        if cal.is_workday(day) and day not in paused:
            counted += 1
    return day
