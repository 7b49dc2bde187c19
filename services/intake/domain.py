"""The intake base's rules that need no database: colours, outcomes, quiet days, 三个一 slots."""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from enclave_shared.catalog.incubation import IntakePath
from enclave_shared.catalog.intake import MeetingKind

from services.intake.config import IntakeSettings


class Color(StrEnum):
    """Three-colour management (红黄蓝三色管理)."""

    RED = "red"  # construction not started
    YELLOW = "yellow"  # under construction
    BLUE = "blue"  # in production


class Outcome(StrEnum):
    """What signing means on each path."""

    OUTCOME_TRANSFER = "outcome_transfer"  # order: result mass-produced by the local enterprise
    ENTERPRISE_SETTLEMENT = "enterprise_settlement"  # menu, directed: the enterprise settles
    ONE_STOP_LANDING = "one_stop_landing"  # delivery: one-stop (一条龙) landing service


OUTCOME_OF_PATH = {
    IntakePath.ORDER: Outcome.OUTCOME_TRANSFER,
    IntakePath.MENU: Outcome.ENTERPRISE_SETTLEMENT,
    IntakePath.DIRECTED: Outcome.ENTERPRISE_SETTLEMENT,
    IntakePath.DELIVERY: Outcome.ONE_STOP_LANDING,
}


def new_id(prefix: str) -> str:
    """A short, unique, readable id such as `case-3f9a0c1b2d4e`."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def color_of(
    construction_started_on: date | None,
    production_started_on: date | None,
    as_of: date | None = None,
) -> Color:
    """The case's colour, now or as of a business date."""

    def started(day: date | None) -> bool:
        return day is not None and (as_of is None or day <= as_of)

    if started(production_started_on):
        return Color.BLUE
    if started(construction_started_on):
        return Color.YELLOW
    return Color.RED


def days_between(start: date | None, end: date | None) -> int | None:
    """Whole days from one date to another, when both are known."""
    if start is None or end is None:
        return None
    return (end - start).days


def quiet_day_rule(settings: IntakeSettings, day: date) -> str | None:
    """The quiet-day (宁静日) rule that covers a day, in words; None when the day is not quiet."""
    if day in settings.quiet_dates:
        return f"quiet day (宁静日): {day.isoformat()} is a configured quiet date"
    if day.isoweekday() in settings.quiet_weekdays:
        return (
            f"quiet day (宁静日): {calendar.day_name[day.weekday()]}s are quiet days "
            f"({day.isoformat()})"
        )
    if day.day in settings.quiet_month_days:
        return (
            f"quiet day (宁静日): day {day.day} of every month is a quiet day ({day.isoformat()})"
        )
    return None


@dataclass(frozen=True)
class Slot:
    """One period of the "three ones" cadence in which one meeting of a kind is owed."""

    kind: MeetingKind
    start: date
    due_on: date  # the period's last day


def slot_containing(kind: MeetingKind, day: date) -> Slot:
    """The half month (inspection), month (coordination) or quarter (observation) of a day."""
    last_of_month = calendar.monthrange(day.year, day.month)[1]
    if kind is MeetingKind.INSPECTION:
        if day.day <= 15:
            return Slot(kind, day.replace(day=1), day.replace(day=15))
        return Slot(kind, day.replace(day=16), day.replace(day=last_of_month))
    if kind is MeetingKind.COORDINATION:
        return Slot(kind, day.replace(day=1), day.replace(day=last_of_month))
    first_month = 3 * ((day.month - 1) // 3) + 1
    last_month = first_month + 2
    return Slot(
        kind,
        date(day.year, first_month, 1),
        date(day.year, last_month, calendar.monthrange(day.year, last_month)[1]),
    )


def owed_slots(
    kind: MeetingKind, opened_on: date, until: date, production_started_on: date | None
) -> Iterator[Slot]:
    """The slots a case owes a meeting in, from the one it opened in, up to `until`.

    A case is active until production starts (blue): slots that end on or after the
    production start are not owed.
    """
    slot = slot_containing(kind, opened_on)
    while slot.start <= until:
        if production_started_on is not None and slot.due_on >= production_started_on:
            return
        yield slot
        slot = slot_containing(kind, slot.due_on + timedelta(days=1))
