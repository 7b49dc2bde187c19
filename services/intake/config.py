"""The intake service's settings: ledger templates, quiet days, the baseline (the
wall's texts are records of the service, edited by zone officers, not settings).

"Today" and the date of a moment are the platform's (`ENCLAVE_TIME_ZONE`, `runtime.today()`).
"""

from __future__ import annotations

from datetime import date

from enclave_shared.catalog.incubation import IntakePath
from enclave_shared.settings import ServiceSettings
from pydantic import Field, field_validator

from services.intake.domain import DEFAULT_TEMPLATES, Stage, StageTemplate


class IntakeSettings(ServiceSettings):
    """Settings of the intake service (env vars prefixed INTAKE_, JSON for lists and maps)."""

    baseline_days_to_construction: float = Field(
        60,
        gt=0,
        validation_alias="INTAKE_BASELINE_DAYS_TO_CONSTRUCTION",
        description="signing → construction for other investment projects (about twice <30)",
    )
    ledger_templates: dict[IntakePath, list[StageTemplate]] = Field(
        default_factory=lambda: dict(DEFAULT_TEMPLATES), validation_alias="INTAKE_LEDGER_TEMPLATES"
    )
    quiet_weekdays: list[int] = Field(
        default_factory=list,
        validation_alias="INTAKE_QUIET_WEEKDAYS",
        description="ISO weekdays (1 = Monday … 7 = Sunday) that are quiet days",
    )
    quiet_month_days: list[int] = Field(
        default_factory=list,
        validation_alias="INTAKE_QUIET_MONTH_DAYS",
        description="days of the month (1 to 31) that are quiet days",
    )
    quiet_dates: list[date] = Field(default_factory=list, validation_alias="INTAKE_QUIET_DATES")
    missed_meeting_lookback_days: int | None = Field(
        92,
        ge=1,
        validation_alias="INTAKE_MISSED_MEETING_LOOKBACK_DAYS",
        description="announce only meetings missed within this many days (a quarter, the "
        "longest period, by default); older overdue meetings are still listed",
    )

    @field_validator("quiet_weekdays")
    @classmethod
    def _weekdays(cls, value: list[int]) -> list[int]:
        if any(not 1 <= d <= 7 for d in value):
            raise ValueError("quiet weekdays are ISO weekdays 1 (Monday) to 7 (Sunday)")
        return value

    @field_validator("quiet_month_days")
    @classmethod
    def _month_days(cls, value: list[int]) -> list[int]:
        if any(not 1 <= d <= 31 for d in value):
            raise ValueError("quiet month days are 1 to 31")
        return value

    def template(self, path: IntakePath) -> list[StageTemplate]:
        """The ledger's stage requirements for a path (empty stages when not configured)."""
        configured = {t.stage: t for t in self.ledger_templates.get(path, [])}
        return [configured.get(s, StageTemplate(stage=s, requirements=[])) for s in Stage]
