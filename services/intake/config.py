"""The intake service's own settings: ledger templates, quiet days, the wall, the baseline."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from enclave_shared.catalog.incubation import IntakePath
from enclave_shared.settings import ServiceSettings
from pydantic import BaseModel, Field, field_validator


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
    timezone: str = Field("Asia/Shanghai", validation_alias="INTAKE_TIMEZONE")
    missed_meeting_lookback_days: int | None = Field(
        92,
        ge=1,
        validation_alias="INTAKE_MISSED_MEETING_LOOKBACK_DAYS",
        description="announce only meetings missed within this many days (a quarter, the "
        "longest period, by default); older overdue meetings are still listed",
    )
    entry_conditions: list[str] = Field(
        default_factory=lambda: list(DEFAULT_ENTRY_CONDITIONS),
        validation_alias="INTAKE_ENTRY_CONDITIONS",
    )
    entry_process: list[str] = Field(
        default_factory=lambda: list(DEFAULT_ENTRY_PROCESS), validation_alias="INTAKE_ENTRY_PROCESS"
    )

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

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


def intake_settings(settings: ServiceSettings) -> IntakeSettings:
    """The runtime's settings as IntakeSettings (plain ServiceSettings get the defaults)."""
    if isinstance(settings, IntakeSettings):
        return settings
    return IntakeSettings(**settings.model_dump())
