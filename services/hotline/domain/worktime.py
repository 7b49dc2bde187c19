"""Working time: China's statutory holidays and make-up working days (调休), office hours.

Time limits (时限) count only office hours on working days. The days come from the
`chinesecalendar` package (the State Council's yearly notices) or, for a year it does not
know yet, from a calendar file the hotline is given; a year known to neither is an error,
never a silent count of weekdays.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from importlib.metadata import version
from zoneinfo import ZoneInfo

import chinese_calendar
from enclave_shared.errors import Invalid
from pydantic import BaseModel, Field, model_validator

MAX_DAYS = 3660
"""How far a count may walk: ten years of days, then the calendar is said to be missing."""


class CalendarMissing(Invalid):
    """The calendar does not know a year's holidays and make-up working days (a 422 for the
    move that needs it, naming its time)."""

    def __init__(self, year: int, field: str = "at") -> None:
        super().__init__(
            f"the working-day calendar has no data for {year}: update chinesecalendar "
            "or add the year to HOTLINE_CALENDAR_FILE",
            field=field,
        )
        self.year = year


class YearDays(BaseModel):
    """One year's exceptions to Monday–Friday: holidays off, make-up working days on."""

    holidays: list[date] = Field(default_factory=list)
    workdays: list[date] = Field(default_factory=list, description="make-up working days (调休)")


class Limit(BaseModel):
    """A time limit in working hours or in working days (exactly one of them)."""

    hours: float | None = Field(None, gt=0, description="working hours")
    days: int | None = Field(None, gt=0, description="working days after the day it starts")

    @model_validator(mode="after")
    def _one_unit(self) -> Limit:
        if (self.hours is None) == (self.days is None):
            raise ValueError("a limit is either hours or days")
        return self

    def __str__(self) -> str:
        if self.days is not None:
            return f"{self.days} working day{'s' if self.days != 1 else ''}"
        return f"{self.hours:g} working hour{'s' if self.hours != 1 else ''}"


def hours(n: float) -> Limit:
    """A limit of `n` working hours."""
    return Limit(hours=n)


def days(n: int) -> Limit:
    """A limit of `n` working days."""
    return Limit(days=n)


PACKAGE = f"chinesecalendar {version('chinesecalendar')}"
"""Where the calendar's years come from when the calendar file does not give them."""
FILE = "HOTLINE_CALENDAR_FILE"


@dataclass(frozen=True)
class Coverage:
    """How far the calendar reaches: the last day of the unbroken run of years it knows, and
    where that last year comes from (`PACKAGE` or `FILE`)."""

    until: date
    source: str

    def days_left(self, today: date) -> int:
        """Days from `today` to the last day covered (0 on it; negative once past it)."""
        return (self.until - today).days


class WorkCalendar:
    """Working days and office hours in a time zone; counts and adds working time."""

    def __init__(
        self,
        *,
        time_zone: str,
        office_hours: list[tuple[time, time]],
        extra_years: Mapping[int, YearDays] | None = None,
    ) -> None:
        self.zone = ZoneInfo(time_zone)
        self.office_hours = sorted(office_hours)
        self.extra = {
            year: (frozenset(d.holidays), frozenset(d.workdays))
            for year, d in (extra_years or {}).items()
        }

    def covers(self, year: int) -> bool:
        """Whether the calendar knows `year`'s holidays and make-up working days."""
        if year in self.extra:
            return True
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
        except NotImplementedError:
            return False
        return True

    def coverage(self, since: int) -> Coverage:
        """How far the calendar reaches without a gap from `since` (a year it must know: the
        start-up check makes sure of it)."""
        year = since
        while year - since < MAX_DAYS // 366 and self.covers(year + 1):
            year += 1
        return Coverage(date(year, 12, 31), FILE if year in self.extra else PACKAGE)

    def is_workday(self, day: date) -> bool:
        """A working day: a weekday that is no holiday, or a make-up working day."""
        if day.year in self.extra:
            off, on = self.extra[day.year]
            return day in on or (day.weekday() < 5 and day not in off)
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            raise CalendarMissing(day.year) from None

    def periods(self, day: date) -> list[tuple[datetime, datetime]]:
        """The office periods of `day` as aware moments ([] on a day off)."""
        if not self.is_workday(day):
            return []
        return [
            (datetime.combine(day, a, self.zone), datetime.combine(day, b, self.zone))
            for a, b in self.office_hours
        ]

    def _days_from(self, moment: datetime) -> Iterator[date]:
        day = moment.astimezone(self.zone).date()
        for n in range(MAX_DAYS):
            yield day + timedelta(days=n)
        raise CalendarMissing(day.year + MAX_DAYS // 366)

    def add_hours(self, start: datetime, amount: float) -> datetime:
        """The moment `amount` working hours after `start`."""
        left = timedelta(hours=amount)
        for day in self._days_from(start):
            for a, b in self.periods(day):
                a = max(a, start)
                if a >= b:
                    continue
                if b - a >= left:
                    return a + left
                left -= b - a
        raise AssertionError("unreachable")  # pragma: no cover

    def add_days(self, start: datetime, amount: int) -> datetime:
        """The close of office on the `amount`-th working day after the day of `start`."""
        days_iter = self._days_from(start)
        next(days_iter)  # the day it starts does not count
        for day in days_iter:
            periods = self.periods(day)
            if periods:
                amount -= 1
                if amount == 0:
                    return periods[-1][1]
        raise AssertionError("unreachable")  # pragma: no cover

    def due(self, start: datetime, limit: Limit) -> datetime:
        """When a limit that starts at `start` runs out."""
        if limit.days is not None:
            return self.add_days(start, limit.days)
        assert limit.hours is not None
        return self.add_hours(start, limit.hours)

    def between(self, start: datetime, end: datetime) -> timedelta:
        """The working time from `start` to `end` (negative when `end` comes first)."""
        if end < start:
            return -self.between(end, start)
        total = timedelta()
        for day in self._days_from(start):
            if datetime.combine(day, time(), self.zone) >= end:
                return total
            for a, b in self.periods(day):
                a, b = max(a, start), min(b, end)
                if b > a:
                    total += b - a
        raise AssertionError("unreachable")  # pragma: no cover

    def share_at(self, start: datetime, due: datetime, share: float) -> datetime:
        """The moment `share` of the working time from `start` to `due` has passed (催办)."""
        span = self.between(start, due)
        return self.add_hours(start, span.total_seconds() / 3600 * share)
