"""Business dates: the calendar day at the platform's sites (a setting, Asia/Shanghai)."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo


def business_date(moment: datetime, time_zone: str) -> date:
    """The calendar day a moment falls on in the platform's time zone.

    A ticket resolved at 07:00 on 1 January in Shangrao is resolved on 1 January, although
    it is still 31 December in UTC."""
    if moment.tzinfo is None:
        raise ValueError("business_date needs an aware datetime")
    return moment.astimezone(_zone(time_zone)).date()


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)
