"""The hotline's own settings: ticket categories, their time limits in working time, the
working-day calendar and office hours, supervision and revisit rules, the red-case rule."""

from __future__ import annotations

import json
from datetime import datetime, time
from pathlib import Path

from enclave_shared.dates import business_date
from enclave_shared.db import utcnow
from enclave_shared.settings import ServiceSettings
from pydantic import Field, PrivateAttr, ValidationError, model_validator

from services.hotline import domain
from services.hotline.domain import Breach, Clocked, Sla
from services.hotline.domain.worktime import Coverage, WorkCalendar, YearDays, days, hours

EVENT_CATEGORY = "other"
"""Tickets opened from events use this category, so it must always be configured."""

DEFAULT_CATEGORIES = [
    "registration",
    "permits",
    "tax",
    "utilities",
    "land",
    "talent_policy",
    "finance_subsidies",
    "other",
]

DEFAULT_NAMES = {
    "registration": "Business registration (企业登记)",
    "permits": "Permits and approvals (审批许可)",
    "tax": "Tax (税务)",
    "utilities": "Water, power and gas (水电气)",
    "land": "Land and planning (用地规划)",
    "talent_policy": "Talent policy (人才政策)",
    "finance_subsidies": "Finance and subsidies (金融奖补)",
    "other": "Other (其他)",
}


class HotlineSettings(ServiceSettings):
    """ServiceSettings plus the hotline's rules; JSON in the env vars for the structured ones."""

    categories: list[str] = Field(
        default_factory=lambda: list(DEFAULT_CATEGORIES), validation_alias="HOTLINE_CATEGORIES"
    )
    category_names: dict[str, str] = Field(
        default_factory=lambda: dict(DEFAULT_NAMES), validation_alias="HOTLINE_CATEGORY_NAMES"
    )
    default_sla: Sla = Field(
        default_factory=lambda: Sla(accept=hours(4), sign=hours(7), resolve=days(5)),
        validation_alias="HOTLINE_DEFAULT_SLA",
    )
    sla: dict[str, Sla] = Field(
        default_factory=lambda: {
            "registration": Sla(accept=hours(2), sign=hours(4), resolve=days(3)),
            "permits": Sla(accept=hours(4), sign=hours(7), resolve=days(7)),
            "utilities": Sla(accept=hours(2), sign=hours(4), resolve=days(2)),
        },
        validation_alias="HOTLINE_SLA",
        description="per-category time limits; categories not listed use default_sla",
    )
    office_hours: list[tuple[time, time]] = Field(
        default_factory=lambda: [(time(8, 30), time(12, 0)), (time(14, 0), time(17, 30))],
        validation_alias="HOTLINE_OFFICE_HOURS",
        description="the base's office periods of a working day, local time",
    )
    calendar_file: Path | None = Field(
        None,
        validation_alias="HOTLINE_CALENDAR_FILE",
        description='JSON {"2027": {"holidays": [...], "workdays": [...]}} for years the '
        "calendar package does not know yet (or to correct one)",
    )
    calendar_from: int = Field(
        2021,
        ge=1900,
        validation_alias="HOTLINE_CALENDAR_FROM",
        description="the first year the calendar must know (through the current year)",
    )
    calendar_warn_days: int = Field(
        45,
        ge=1,
        validation_alias="HOTLINE_CALENDAR_WARN_DAYS",
        description="days before the calendar's last covered day from which the hotline warns "
        "(log, console banner) that next year's holidays are missing",
    )
    reminder_share: float = Field(
        0.8,
        gt=0,
        lt=1,
        validation_alias="HOTLINE_REMINDER_SHARE",
        description="share of a time limit after which a reminder (催办) is sent",
    )
    escalation_hours: list[float] = Field(
        default_factory=lambda: [7.0, 21.0],
        validation_alias="HOTLINE_ESCALATION_HOURS",
        description="working hours past the deadline for each further level (提级督办)",
    )
    revisit_attempts: int = Field(
        3,
        ge=1,
        validation_alias="HOTLINE_REVISIT_ATTEMPTS",
        description="calls without reaching the requester before the revisit gives up",
    )
    max_reopens: int = Field(
        2,
        ge=0,
        validation_alias="HOTLINE_MAX_REOPENS",
        description="times a ticket may be sent back (发回重办) after a dissatisfied revisit",
    )
    _calendar: WorkCalendar = PrivateAttr()
    red_case_days: int = Field(
        30,
        ge=1,
        validation_alias="HOTLINE_RED_CASE_DAYS",
        description="days after signing a case may stay red (no construction) before supervision",
    )

    @model_validator(mode="after")
    def _categories_consistent(self) -> HotlineSettings:
        if len(set(self.categories)) != len(self.categories):
            raise ValueError("HOTLINE_CATEGORIES has duplicates")
        if EVENT_CATEGORY not in self.categories:
            raise ValueError(f"HOTLINE_CATEGORIES must include {EVENT_CATEGORY!r} (event tickets)")
        unknown = sorted(set(self.sla) - set(self.categories))
        if unknown:
            raise ValueError(f"HOTLINE_SLA names categories not configured: {unknown}")
        for start, end in self.office_hours:
            if start >= end:
                raise ValueError(f"HOTLINE_OFFICE_HOURS: {start} is not before {end}")
        if sorted(self.escalation_hours) != self.escalation_hours or any(
            h <= 0 for h in self.escalation_hours
        ):
            raise ValueError("HOTLINE_ESCALATION_HOURS must be positive and increasing")
        self._calendar = WorkCalendar(
            time_zone=self.time_zone,
            office_hours=self.office_hours,
            extra_years=self._calendar_years(),
        )
        this_year = business_date(utcnow(), self.time_zone).year
        missing = [
            y for y in range(self.calendar_from, this_year + 1) if not self._calendar.covers(y)
        ]
        if missing:
            raise ValueError(
                f"the working-day calendar has no data for {missing}: update chinesecalendar "
                "or give the years in HOTLINE_CALENDAR_FILE"
            )
        return self

    def _calendar_years(self) -> dict[int, YearDays]:
        if self.calendar_file is None:
            return {}
        try:
            raw = json.loads(self.calendar_file.read_text())
            return {int(year): YearDays.model_validate(v) for year, v in raw.items()}
        except (OSError, ValueError, AttributeError, ValidationError) as exc:
            raise ValueError(f"HOTLINE_CALENDAR_FILE {self.calendar_file}: {exc}") from exc

    @property
    def calendar(self) -> WorkCalendar:
        """Working days and office hours of the base, in the platform's time zone."""
        return self._calendar

    def calendar_coverage(self) -> Coverage:
        """How far the working-day calendar reaches, from `calendar_from` without a gap."""
        return self._calendar.coverage(self.calendar_from)

    def due(self, ticket: Clocked, breach: Breach) -> datetime | None:
        """A clock's deadline as it stands (`domain.due` with the ticket's category's limits
        and the calendar)."""
        return domain.due(ticket, self.sla_for(ticket.category), self._calendar, breach)

    def limit_ends(self, category: str, breach: Breach, start: datetime) -> datetime:
        """When the category's limit of a clock, started at `start`, runs out."""
        return self._calendar.due(start, self.sla_for(category).limit(breach))

    def sla_for(self, category: str) -> Sla:
        """The SLA of a category (the default when it has none of its own)."""
        return self.sla.get(category, self.default_sla)

    def name_of(self, category: str) -> str:
        """A category's display name."""
        return self.category_names.get(category) or category.replace("_", " ").capitalize()
