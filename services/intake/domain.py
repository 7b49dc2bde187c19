"""The intake base's rules that need no database: colours, outcomes, ledger stages and their
default requirements, quiet days, the "three ones" (三个一) periods and a case's schedule."""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

from enclave_shared.catalog.incubation import IntakePath
from enclave_shared.catalog.intake import MeetingKind
from pydantic import BaseModel


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


class Stage(StrEnum):
    """The stages of a case's ledger; each ends at one milestone date of the case."""

    SIGNING = "signing"  # investment (or transfer) agreement signed
    CONSTRUCTION = "construction"  # construction started: yellow
    PRODUCTION = "production"  # production started: blue


class StageTemplate(BaseModel):
    """What the zone requires of a case in one stage (分阶段要求)."""

    stage: Stage
    requirements: list[str]


def _stages(
    signing: list[str], construction: list[str], production: list[str]
) -> list[StageTemplate]:
    return [
        StageTemplate(stage=Stage.SIGNING, requirements=signing),
        StageTemplate(stage=Stage.CONSTRUCTION, requirements=construction),
        StageTemplate(stage=Stage.PRODUCTION, requirements=production),
    ]


DEFAULT_TEMPLATES: dict[IntakePath, list[StageTemplate]] = {
    IntakePath.ORDER: _stages(
        [
            "confirm the local enterprise that mass-produces the result",
            "sign the result-transfer agreement with the R&D team",
        ],
        ["adapt or build the production line", "pilot run of the transferred result"],
        ["mass production started", "report output and jobs to the intake base office"],
    ),
    IntakePath.MENU: _stages(
        [
            "check the project against the zone's menu item",
            "sign the investment agreement and register the enterprise in Guangfeng",
        ],
        ["land and plant approved", "construction started within 30 days of signing"],
        ["equipment installed", "production started"],
    ),
    IntakePath.DIRECTED: _stages(
        [
            "deal reached with the target (unicorn/gazelle) enterprise",
            "sign the investment agreement and register the enterprise in Guangfeng",
        ],
        ["land and plant approved", "construction started within 30 days of signing"],
        ["equipment installed", "production started"],
    ),
    IntakePath.DELIVERY: _stages(
        [
            "one-stop service: business registration handled by the one window",
            "sign the landing agreement",
        ],
        [
            "one-stop service: site, permits and utilities arranged",
            "construction or fit-out started",
        ],
        [
            "one-stop service: policy support (loan interest subsidy, equipment subsidy) applied",
            "production started",
        ],
    ),
}

DEFAULT_ENTRY_CONDITIONS = [
    "the project fits the zone's industry layout (三新两大) or benefits Guangfeng long-term",
    "the project has been incubated in the Shenzhen talent enclave or is a GBA enterprise",
    "the enterprise registers in Guangfeng and accepts one-enterprise-one-ledger management",
]

DEFAULT_ENTRY_PROCESS = [
    "application to the intake base office (one window)",
    "review of the project by the zone",
    "signing of the investment or transfer agreement",
    "construction start, then production start (red → yellow → blue)",
]


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


class QuietDayRules(Protocol):
    """The configured quiet-day (宁静日) rules (the service's settings hold them)."""

    @property
    def quiet_weekdays(self) -> Sequence[int]: ...
    @property
    def quiet_month_days(self) -> Sequence[int]: ...
    @property
    def quiet_dates(self) -> Sequence[date]: ...


def quiet_day_rule(rules: QuietDayRules, day: date) -> str | None:
    """The quiet-day (宁静日) rule that covers a day, in words; None when the day is not quiet."""
    if day in rules.quiet_dates:
        return f"quiet day (宁静日): {day.isoformat()} is a configured quiet date"
    if day.isoweekday() in rules.quiet_weekdays:
        return (
            f"quiet day (宁静日): {calendar.day_name[day.weekday()]}s are quiet days "
            f"({day.isoformat()})"
        )
    if day.day in rules.quiet_month_days:
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


class SlotStatus(StrEnum):
    """What became of an owed period."""

    HELD = "held"  # a meeting of the kind was held inside it
    OPEN = "open"  # not over yet
    OVERDUE = "overdue"  # over, and no meeting held


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


@dataclass(frozen=True)
class HeldMeeting:
    """A meeting that took place: what a schedule needs of it."""

    kind: MeetingKind
    held_on: date
    meeting_id: str


def schedule(
    opened_on: date,
    production_started_on: date | None,
    held: Iterable[HeldMeeting],
    until: date,
) -> list[tuple[Slot, SlotStatus, str | None]]:
    """A case's owed slots up to `until`, by due date: each with its status and the id of
    the meeting that kept it. A slot is overdue when it ended before `until` unkept."""
    kept_by = sorted((m.held_on, m.meeting_id, m.kind) for m in held)
    out: list[tuple[Slot, SlotStatus, str | None]] = []
    for kind in MeetingKind:
        days = [(day, mid) for day, mid, k in kept_by if k is kind]
        for slot in owed_slots(kind, opened_on, until, production_started_on):
            kept = next((mid for day, mid in days if slot.start <= day <= slot.due_on), None)
            if kept is not None:
                out.append((slot, SlotStatus.HELD, kept))
            elif slot.due_on < until:
                out.append((slot, SlotStatus.OVERDUE, None))
            else:
                out.append((slot, SlotStatus.OPEN, None))
    out.sort(key=lambda item: (item[0].due_on, item[0].kind.value))
    return out
