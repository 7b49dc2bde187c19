"""HTTP shapes of the assessment service: each `XPublic` is built from its row (or registry
entry) with `model_validate`; the scheme and the score parts are the domain's own values.

Decimals travel as JSON strings so that no number loses a digit on the way: points to two
decimals, progress shares to four, money to the yuan.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator

from services.assessment.domain.indicators import Source
from services.assessment.domain.scheme import Scheme
from services.assessment.domain.scoring import BonusItemScore, DimensionScore, Fund, plain

API = "/api/v1"  # the routes' prefix, and the root of the links the shapes carry


class SchemePublic(BaseModel):
    """A stored scheme version (`frozen` once its year is published)."""

    # `frozen` is not the row's: built from the row, then set; always in the answer
    model_config = ConfigDict(
        from_attributes=True, json_schema_serialization_defaults_required=True
    )

    year: int
    version: int
    created_at: datetime
    created_by: str | None
    frozen: bool = False
    scheme: Scheme = Field(validation_alias=AliasChoices("scheme", "body"))

    @field_validator("scheme", mode="before")
    @classmethod
    def _stored_body(cls, value: Any) -> Any:
        # the row keeps the validated scheme as JSON text
        return Scheme.model_validate_json(value) if isinstance(value, str) else value


class Status(StrEnum):
    """Live preview, or the frozen published result."""

    PREVIEW = "preview"
    PUBLISHED = "published"


class AssessmentPublic(BaseModel):
    """A year's assessment: per indicator, per dimension, bonus, total, funds."""

    year: int
    status: Status
    scheme_version: int
    published_on: date | None = None
    published_at: datetime | None = None
    as_of: date | None = Field(
        None, description="with ?as_of=YYYY-MM: the month's last day, the latest fact counted"
    )
    dimensions: dict[str, DimensionScore]
    bonus: Decimal = Field(description="bonus points after the overall cap")
    bonus_uncapped: Decimal
    bonus_cap: Decimal | None
    bonus_items: dict[str, BonusItemScore]
    total: Decimal = Field(description="sum of dimension scores + bonus")
    progress: Decimal = Field(description="progress on all targets, weighted by points, 6 decimals")
    fund: Fund


class ManualEntryCreate(BaseModel):
    """An assessor's value for a manual indicator, with the evidence behind it."""

    value: Decimal = Field(ge=0, max_digits=16, decimal_places=4)
    evidence: str = Field(min_length=1, max_length=4000, description="what proves the value")


class ManualEntryPublic(BaseModel):
    """A manual entry; the newest per year and indicator is the one in force."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    year: int
    indicator: str
    value: Decimal
    evidence: str
    entered_by: str | None
    entered_at: datetime
    event_id: str

    @field_validator("value", mode="before")
    @classmethod
    def _plain(cls, value: Any) -> Any:
        # the column keeps four decimals: 4.0000 is shown as 4
        return plain(Decimal(value)) if isinstance(value, Decimal | int | str) else value


class FactPublic(BaseModel):
    """A counted fact: which event added how much to which indicator, dated when."""

    model_config = ConfigDict(from_attributes=True)

    indicator: str
    quantity: int
    business_date: date
    subject: str
    event_id: str
    event_type: str


class IndicatorPublic(BaseModel):
    """An entry of the indicator registry."""

    model_config = ConfigDict(from_attributes=True)

    key: str
    source: Source
    label: str


class PublicationPublic(BaseModel):
    """The answer to a publication: the frozen assessment and the event sent."""

    event_id: str
    assessment: AssessmentPublic
