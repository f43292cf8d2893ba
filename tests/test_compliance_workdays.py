from datetime import date

from gongkai.compliance.workdays import DATA_LAST_YEAR, WorkCalendar


def test_national_day_2025_is_not_counted_and_makeup_saturday_is():
    cal = WorkCalendar()
    assert not cal.is_workday(date(2025, 10, 1))
    assert not cal.is_workday(date(2025, 10, 8))
    assert cal.is_workday(date(2025, 9, 28))  # Sunday worked in lieu (调休)
    assert cal.is_workday(date(2025, 10, 11))  # Saturday worked in lieu
    # 2025-09-26 (Fri) -> 2025-10-10 (Fri): 9-28, 9-29, 9-30, 10-9, 10-10
    assert cal.between(date(2025, 9, 26), date(2025, 10, 10)) == 5
    assert cal.fallback_note == ""


def test_twenty_working_days_span_the_holiday():
    cal = WorkCalendar()
    # Created Thursday 2025-09-25; 20 working days later, counting 9-28 and 10-11, skipping 10-1..10-8.
    due = cal.add(date(2025, 9, 25), 20)
    assert due == date(2025, 10, 29)
    assert cal.between(date(2025, 9, 25), due) == 20


def test_spring_festival_2026():
    cal = WorkCalendar()
    assert not cal.is_workday(date(2026, 2, 17))
    assert cal.is_workday(date(2026, 2, 14))  # Saturday worked in lieu
    assert cal.between(date(2026, 2, 13), date(2026, 2, 24)) == 2  # 2-14 and 2-24


def test_fallback_beyond_library_data_is_weekdays_and_recorded():
    cal = WorkCalendar()
    assert DATA_LAST_YEAR == 2026
    assert cal.is_workday(date(2027, 1, 1))  # a holiday in reality; the library does not know it yet
    assert not cal.is_workday(date(2027, 1, 2))
    assert cal.fallback_years == {2027}
    assert "2027 年" in cal.fallback_note and "周一至周五" in cal.fallback_note


def test_counts_across_years_and_backwards():
    cal = WorkCalendar()
    span = cal.between(date(2026, 12, 25), date(2027, 1, 8))
    assert span == cal.between(date(2026, 12, 25), date(2026, 12, 31)) + 6 == 10
    assert cal.between(date(2027, 1, 8), date(2026, 12, 25)) == -span
    assert cal.add(date(2026, 12, 31), 1) == date(2027, 1, 1)


def test_agrees_with_chinesecalendar_on_every_day_it_knows():
    import chinese_calendar

    cal = WorkCalendar()
    day = date(2024, 1, 1)
    while day <= date(2026, 12, 31):
        assert cal.is_workday(day) == chinese_calendar.is_workday(day), day
        day = date.fromordinal(day.toordinal() + 1)
