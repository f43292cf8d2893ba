"""Working days (工作日) under the Chinese public-holiday calendar.

Holidays and make-up working days (调休) come from the maintained
`chinesecalendar` package, which only knows the years the State Council has
announced. For any other year the calendar falls back to Monday–Friday and
remembers that it did, so reports can say their counts are approximate.

Convention: "within N working days of D" counts the working days after D
(D itself is not counted), so the deadline is the N-th working day after D.
"""
from __future__ import annotations

from datetime import date, timedelta

from chinese_calendar.constants import holidays as _HOLIDAYS
from chinese_calendar.constants import workdays as _MAKEUP_DAYS

DATA_FIRST_YEAR = min(_HOLIDAYS).year
DATA_LAST_YEAR = max(_HOLIDAYS).year


class WorkCalendar:
    """Counts working days; records every year it had to guess (Mon–Fri fallback)."""

    def __init__(self):
        self.fallback_years: set[int] = set()
        self._cumulative: dict[int, list[int]] = {}  # year -> workdays up to and including day i

    def has_data(self, year: int) -> bool:
        return DATA_FIRST_YEAR <= year <= DATA_LAST_YEAR

    def _official(self, day: date) -> bool:
        """chinesecalendar's rule, read from its tables (its is_workday rescans them on every call)."""
        if self.has_data(day.year):
            return day in _MAKEUP_DAYS or (day.weekday() < 5 and day not in _HOLIDAYS)
        self.fallback_years.add(day.year)
        return day.weekday() < 5

    def _year(self, year: int) -> list[int]:
        """Cumulative working days of the year: table[i] counts 1 January through day i (0-based)."""
        table = self._cumulative.get(year)
        if table is None:
            table, total, day = [], 0, date(year, 1, 1)
            while day.year == year:
                total += self._official(day)
                table.append(total)
                day += timedelta(days=1)
            self._cumulative[year] = table
        return table

    def is_workday(self, day: date) -> bool:
        table = self._year(day.year)
        i = day.timetuple().tm_yday - 1
        return table[i] - (table[i - 1] if i else 0) == 1

    def _upto(self, day: date, since_year: int) -> int:
        """Working days from 1 January of since_year through day (inclusive)."""
        total = sum(self._year(y)[-1] for y in range(since_year, day.year))
        return total + self._year(day.year)[day.timetuple().tm_yday - 1]

    def between(self, start: date, end: date) -> int:
        """Working days after start up to and including end (negative if end < start)."""
        if end < start:
            return -self.between(end, start)
        base = start.year
        return self._upto(end, base) - self._upto(start, base)

    def add(self, start: date, count: int) -> date:
        """The count-th working day after start (start itself when count is 0)."""
        day = start
        while count > 0:
            day += timedelta(days=1)
            if self.is_workday(day):
                count -= 1
        return day

    @property
    def fallback_note(self) -> str:
        """A sentence for reports, or "" when every count used real holiday data."""
        if not self.fallback_years:
            return ""
        years = "、".join(f"{y} 年" for y in sorted(self.fallback_years))
        return (
            f"节假日数据（chinesecalendar，收录 {DATA_FIRST_YEAR}—{DATA_LAST_YEAR} 年）未包含 {years}，"
            "这些年份的工作日按周一至周五计算，未计法定节假日和调休；国务院公布安排后升级 chinesecalendar 即可更正。"
        )
