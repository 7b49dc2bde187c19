"""Working time on China's calendar: holidays, make-up working days, office hours; a year
the calendar does not know is an error, at start-up and when a count reaches it."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from services.hotline.config import HotlineSettings
from services.hotline.domain import Breach, mask_name, mask_number
from services.hotline.domain.worktime import (
    FILE,
    PACKAGE,
    CalendarMissing,
    WorkCalendar,
    days,
    hours,
)
from tests.conftest import TEST_CALENDAR
from tests.unit.hotline.support import clock_on, package_last_year

SH = ZoneInfo("Asia/Shanghai")
OFFICE = [(time(8, 30), time(12, 0)), (time(14, 0), time(17, 30))]


def calendar(**extra: object) -> WorkCalendar:
    return WorkCalendar(time_zone="Asia/Shanghai", office_hours=OFFICE, **extra)  # type: ignore[arg-type]


def at(month: int, day: int, hour: int, minute: int = 0, year: int = 2021) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SH)


def test_the_national_day_week_and_its_make_up_days():
    cal = calendar()
    assert cal.is_workday(date(2021, 9, 26))  # Sunday, made up for the holiday
    assert not any(cal.is_workday(date(2021, 10, d)) for d in range(1, 8))
    assert cal.is_workday(date(2021, 10, 9))  # Saturday, made up
    assert not cal.is_workday(date(2021, 10, 10))  # an ordinary Sunday


def test_hours_cross_the_lunch_break_the_evening_and_the_holiday():
    cal = calendar()
    assert cal.add_hours(at(9, 30, 11), 2) == at(9, 30, 15)  # 1 h to noon, 1 h from 14:00
    assert cal.add_hours(at(9, 30, 16), 2) == at(10, 8, 9)  # 1.5 h, then a week off
    assert cal.add_hours(at(9, 30, 20), 1) == at(10, 8, 9, 30)  # after hours: from opening
    assert cal.add_hours(at(9, 25, 10), 8) == at(9, 27, 9, 30)  # Sunday 26 Sept works 7 h


def test_days_count_from_the_day_after_and_end_at_close_of_office():
    cal = calendar()
    assert cal.add_days(at(9, 30, 16), 1) == at(10, 8, 17, 30)
    assert cal.add_days(at(9, 30, 16), 2) == at(10, 9, 17, 30)  # the make-up Saturday
    assert cal.add_days(at(9, 30, 16), 3) == at(10, 11, 17, 30)  # Sunday 10 Oct skipped
    assert cal.due(at(9, 30, 16), days(3)) == cal.add_days(at(9, 30, 16), 3)
    assert cal.due(at(9, 30, 16), hours(2)) == at(10, 8, 9)


def test_working_time_between_two_moments():
    cal = calendar()
    assert cal.between(at(9, 30, 16), at(10, 11, 17, 30)) == timedelta(hours=22.5)
    assert cal.between(at(10, 1, 9), at(10, 7, 17)) == timedelta()  # all holiday
    assert cal.between(at(10, 8, 12), at(10, 8, 14)) == timedelta()  # the lunch break
    assert cal.between(at(10, 8, 17), at(10, 8, 9)) == -timedelta(hours=6)
    # the reminder at 80 % of 2 working hours from 16:00 on 30 Sept: 1.5 h + 6 minutes
    assert cal.share_at(at(9, 30, 16), at(10, 8, 9), 0.8) == at(10, 8, 8, 36)


def test_a_year_the_calendar_does_not_know_is_an_error_not_a_weekday_count():
    cal = calendar()
    with pytest.raises(CalendarMissing, match="2040"):
        cal.is_workday(date(2040, 5, 2))
    with pytest.raises(CalendarMissing, match="2040"):
        cal.add_days(datetime(2040, 1, 2, 9, tzinfo=SH), 1)


def test_a_calendar_file_adds_a_year(tmp_path):
    path = tmp_path / "days.json"
    path.write_text(json.dumps({"2040": {"holidays": ["2040-01-02"], "workdays": ["2040-01-07"]}}))
    with clock_on(date(package_last_year(), 6, 1)):  # a year the package knows
        settings = HotlineSettings(service="hotline", calendar_file=path)
    cal = settings.calendar
    assert cal.covers(2040) and not cal.is_workday(date(2040, 1, 2))  # a Monday off
    assert cal.is_workday(date(2040, 1, 7)) and cal.is_workday(date(2040, 1, 3))  # Sunday on


def test_the_calendar_knows_how_far_it_reaches():
    reach = calendar().coverage(2021)
    cal = calendar()
    assert reach.until.month == 12 and reach.until.day == 31
    assert cal.covers(reach.until.year) and not cal.covers(reach.until.year + 1)
    assert reach.source == PACKAGE and PACKAGE.startswith("chinesecalendar ")
    assert reach.days_left(reach.until) == 0
    assert reach.days_left(date(reach.until.year, 11, 16)) == 45
    assert reach.days_left(date(reach.until.year + 1, 1, 1)) == -1


def test_a_calendar_file_extends_the_reach_only_without_a_gap(tmp_path):
    last = calendar().coverage(2021).until.year  # the package's last year
    path = tmp_path / "days.json"
    # only New Year's Day, which the law fixes: no year's notice is made up here
    path.write_text(json.dumps({str(last + 1): {"holidays": [f"{last + 1}-01-01"]}}))
    with clock_on(date(last, 6, 1)):  # started in a year the package knows
        reach = HotlineSettings(service="hotline", calendar_file=path).calendar_coverage()
        assert reach.until == date(last + 1, 12, 31) and reach.source == FILE
        path.write_text(json.dumps({str(last + 2): {"holidays": [f"{last + 2}-01-01"]}}))
        reach = HotlineSettings(service="hotline", calendar_file=path).calendar_coverage()
        assert reach.until == date(last, 12, 31) and reach.source == PACKAGE


def test_start_up_refuses_a_range_of_years_the_calendar_does_not_cover(monkeypatch, tmp_path):
    monkeypatch.setenv("HOTLINE_CALENDAR_FROM", "2003")  # before chinesecalendar's data
    with pytest.raises(ValidationError, match=r"no data for \[2003\]"):
        HotlineSettings(service="hotline")
    bad = tmp_path / "bad.json"
    bad.write_text('{"2040": {"holidays": ["not a date"]}}')
    with pytest.raises(ValidationError, match="HOTLINE_CALENDAR_FILE"):
        HotlineSettings(service="hotline", calendar_from=2021, calendar_file=bad)


def test_start_up_refuses_the_first_day_past_the_package_without_a_calendar_file():
    next_year = package_last_year() + 1
    with clock_on(date(next_year, 1, 1)), pytest.raises(ValidationError) as err:
        HotlineSettings(service="hotline", calendar_file=None)
    assert f"no data for [{next_year}]" in str(err.value)
    assert "HOTLINE_CALENDAR_FILE" in str(err.value)  # what to do about it
    with clock_on(date(next_year - 1, 12, 31)):  # the day before: it starts
        assert HotlineSettings(service="hotline", calendar_file=None).calendar_file is None


def test_the_suites_calendar_starts_the_hotline_in_2027_and_counts_plain_weekdays():
    monday = datetime(2027, 1, 4, 9, tzinfo=SH)
    with clock_on(monday.date()):
        settings = HotlineSettings(service="hotline")  # HOTLINE_CALENDAR_FILE from conftest
    assert settings.calendar_file == TEST_CALENDAR
    reach = settings.calendar_coverage()
    assert reach.until == date(2030, 12, 31) and reach.source == FILE
    cal = settings.calendar
    assert cal.add_hours(monday, 4) == datetime(2027, 1, 4, 15, tzinfo=SH)  # lunch 12:00-14:00
    assert cal.add_days(monday, 5) == datetime(2027, 1, 11, 17, 30, tzinfo=SH)  # Sat, Sun off
    assert settings.limit_ends("tax", Breach.RESOLVE, monday) == cal.add_days(monday, 5)


def test_office_hours_are_configurable():
    settings = HotlineSettings(service="hotline", office_hours=[(time(9), time(17))])
    assert settings.calendar.add_hours(at(10, 8, 16), 2) == at(10, 9, 10)
    with pytest.raises(ValidationError, match="HOTLINE_OFFICE_HOURS"):
        HotlineSettings(service="hotline", office_hours=[(time(17), time(9))])


def test_masking_keeps_the_ends_of_a_number_and_the_first_character_of_a_name():
    assert mask_number("13812341234") == "138****1234"
    assert mask_number("0793-8221234") == "079*****1234"
    assert mask_number("12345") == "***45"
    assert mask_name("王小明") == "王**" and mask_name("李") == "李*"
    assert mask_number(None) is None and mask_name(None) is None
