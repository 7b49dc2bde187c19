"""The intake base's rules that need no database: colours, outcomes, ledger stages and their
default requirements, a case's status and milestone order, quiet days, the "three ones"
(三个一) periods and a case's schedule, the wall's default texts and the base's sample plan."""

from __future__ import annotations

import calendar
import itertools
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from enclave_shared.auth import Principal
from enclave_shared.catalog.incubation import IntakePath
from enclave_shared.catalog.intake import MeetingKind
from pydantic import BaseModel, Field, model_validator


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


class CaseStatus(StrEnum):
    """Whether a case runs (its colour counts), is paused or has stopped for good."""

    ACTIVE = "active"
    SUSPENDED = "suspended"  # 暂停: no "three ones" owed, no red-case supervision; grey
    WITHDRAWN = "withdrawn"  # 退出: the enterprise did not land; closed, out of the counts


MOVES_OF_STATUS: dict[CaseStatus, frozenset[str]] = {
    CaseStatus.ACTIVE: frozenset({"suspend", "withdraw"}),
    CaseStatus.SUSPENDED: frozenset({"resume", "withdraw"}),
    CaseStatus.WITHDRAWN: frozenset(),
}
"""The status moves each status allows (a wrong move is a 409 naming the status)."""

MILESTONES = ("signed_on", "construction_started_on", "production_started_on")
"""A case's milestone dates in the order they happen: none may fall before the one before."""


def milestone_order_error(dates: dict[str, date | None]) -> tuple[str, str] | None:
    """The first (earlier field, later field) pair out of order, or None when the dates
    recorded follow each other (a date never falls before the one it follows)."""
    known = [(name, dates[name]) for name in MILESTONES if dates.get(name) is not None]
    for (before, day_before), (after, day_after) in itertools.pairwise(known):
        assert day_before is not None and day_after is not None
        if day_after < day_before:
            return before, after
    return None


class PartnerKind(StrEnum):
    """Who an R&D demand in cooperation works with."""

    UNIVERSITY = "university"  # 高校
    INSTITUTE = "institute"  # 科研院所
    ENTERPRISE = "enterprise"  # 企业


class PlatformKind(StrEnum):
    """The base's innovation platforms the source counts."""

    ACADEMICIAN_WORKSTATION = "academician_workstation"  # 院士工作站
    INNOVATION_SERVICE = "innovation_service"  # 创新服务平台
    POSTDOCTORAL_BASE = "postdoctoral_base"  # 博士后创新基地
    INTERNET_PLUS_INCUBATION = "internet_plus_incubation"  # 互联网+创业孵化基地


class PlatformLevel(StrEnum):
    """Who recognised a platform."""

    NATIONAL = "national"  # 国家级
    PROVINCIAL = "provincial"  # 省级
    MUNICIPAL = "municipal"  # 市级
    DISTRICT = "district"  # 区级


class WallTextKind(StrEnum):
    """The two texts of the public wall (上墙公示) the base words itself."""

    ENTRY_CONDITIONS = "entry_conditions"  # 入驻条件
    ENTRY_PROCESS = "entry_process"  # 入驻流程


DEFAULT_WALL_TEXTS: dict[WallTextKind, list[str]] = {
    WallTextKind.ENTRY_CONDITIONS: [
        "项目符合高新区“三新两大”产业布局，或对广丰长远发展有利",
        "项目在深圳人才飞地孵化，或为粤港澳大湾区企业",
        "企业在广丰注册落户，接受“一企一台账”管理",
    ],
    WallTextKind.ENTRY_PROCESS: [
        "向承接基地办公室提出入驻申请（一个窗口）",
        "高新区对项目进行审核",
        "签订投资协议或成果转化协议",
        "开工建设，然后投产（红→黄→蓝）",
    ],
}
"""What the wall says until a zone officer words it (the source's 4 上墙 items)."""


class Plot(BaseModel):
    """A plot or building of the base's plan: a rectangle in the plan's units."""

    id: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")
    label: str = Field(min_length=1, max_length=100)
    x: float = Field(ge=0)
    y: float = Field(ge=0)
    width: float = Field(gt=0)
    height: float = Field(gt=0)


class BasePlan(BaseModel):
    """The plan of the base drawn on the wall's distribution chart (入孵企业分布图): a
    drawing area and its plots. The base replaces it with its own; a sample ships."""

    name: str = Field(min_length=1, max_length=200)
    width: float = Field(gt=0)
    height: float = Field(gt=0)
    plots: list[Plot] = Field(min_length=1, max_length=500)

    @model_validator(mode="after")
    def _plots_fit(self) -> BasePlan:
        ids = [p.id for p in self.plots]
        if len(set(ids)) != len(ids):
            raise ValueError("plot ids must be unique")
        for p in self.plots:
            if p.x + p.width > self.width or p.y + p.height > self.height:
                raise ValueError(f"plot {p.id} lies outside the plan")
        return self


def _sample_plots() -> list[Plot]:
    plots = [
        Plot(id=f"A{i + 1}", label=f"A{i + 1}地块", x=20 + i * 150, y=20, width=130, height=90)
        for i in range(4)
    ]
    plots += [
        Plot(id=f"B{i + 1}", label=f"B{i + 1}地块", x=20 + i * 150, y=150, width=130, height=90)
        for i in range(4)
    ]
    plots += [
        Plot(id=f"C{i + 1}", label=f"C{i + 1}标准厂房", x=20 + i * 150, y=280, width=130, height=70)
        for i in range(4)
    ]
    return plots


SAMPLE_PLAN = BasePlan(
    name="承接基地平面示意图（样例）", width=620, height=370, plots=_sample_plots()
)
"""A sample plan of 12 plots: what the wall draws until the base loads its own."""


def wan(amount: Decimal) -> str:
    """An amount in 万元 as its plain digits for a message (1200.5, not 1200.5000 or 1E+3)."""
    return f"{amount.normalize():f}"


def signed_by(user: Principal) -> str:
    """Who entered a record, as the record keeps it: `role:sub`, the role alone for a token
    without a subject (500 characters at most, the column's size)."""
    return (f"{user.role.value}:{user.sub}" if user.sub else user.role.value)[:500]


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


@dataclass(frozen=True)
class Pause:
    """A suspension of a case: from its first day up to (not including) the day it resumed
    (None while it lasts)."""

    start: date
    end: date | None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


def owed_slots(
    kind: MeetingKind,
    opened_on: date,
    until: date,
    production_started_on: date | None,
    pauses: Sequence[Pause] = (),
    ended_on: date | None = None,
) -> Iterator[Slot]:
    """The slots a case owes a meeting in, from the one it opened in, up to `until`.

    A case is active until production starts (blue) or it is withdrawn (`ended_on`): slots
    that end on or after that day are not owed. A slot whose last day falls in a suspension
    is not owed either; once the case resumes, the slots it is in are owed again.
    """
    stop = min((d for d in (production_started_on, ended_on) if d is not None), default=None)
    slot = slot_containing(kind, opened_on)
    while slot.start <= until:
        if stop is not None and slot.due_on >= stop:
            return
        if not any(p.covers(slot.due_on) for p in pauses):
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
    pauses: Sequence[Pause] = (),
    ended_on: date | None = None,
) -> list[tuple[Slot, SlotStatus, str | None]]:
    """A case's owed slots up to `until`, by due date: each with its status and the id of
    the meeting that kept it. A slot is overdue when it ended before `until` unkept."""
    kept_by = sorted((m.held_on, m.meeting_id, m.kind) for m in held)
    out: list[tuple[Slot, SlotStatus, str | None]] = []
    for kind in MeetingKind:
        days = [(day, mid) for day, mid, k in kept_by if k is kind]
        for slot in owed_slots(kind, opened_on, until, production_started_on, pauses, ended_on):
            kept = next((mid for day, mid in days if slot.start <= day <= slot.due_on), None)
            if kept is not None:
                out.append((slot, SlotStatus.HELD, kept))
            elif slot.due_on < until:
                out.append((slot, SlotStatus.OVERDUE, None))
            else:
                out.append((slot, SlotStatus.OPEN, None))
    out.sort(key=lambda item: (item[0].due_on, item[0].kind.value))
    return out
