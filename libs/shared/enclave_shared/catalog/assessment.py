"""Events the assessment service publishes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import Field

from enclave_shared.events import Payload


class AssessmentPublished(Payload):
    """A year's assessment was published: scores frozen, funds allocated."""

    producer: ClassVar[str] = "assessment"
    event_type: ClassVar[str] = "enclave.assessment.published.v1"
    subject_field: ClassVar[str] = "year"

    year: int
    dimensions: dict[str, Decimal] = Field(
        description="points earned per dimension (each out of its weight); total = sum + bonus"
    )
    bonus: Decimal
    total: Decimal
    fund_base: Decimal
    fund_reward: Decimal
    fund_total: Decimal
    published_on: date
    # Optional extras (additive to v1): events without them still validate.
    weights: dict[str, Decimal] | None = Field(
        None, description="full points per dimension (the scheme's weights, adding up to 100)"
    )
    progress: Decimal | None = Field(
        None, description="points-weighted progress on the targets, 0..1 (basis of the reward)"
    )
    scheme_version: int | None = Field(None, description="the scheme version the scores used")


class SchemeVersioned(Payload):
    """A year's assessment scheme got a new version (every PUT of the scheme)."""

    producer: ClassVar[str] = "assessment"
    event_type: ClassVar[str] = "enclave.assessment.scheme_versioned.v1"
    subject_field: ClassVar[str] = "year"

    year: int
    version: int = Field(ge=1)
    scheme: dict[str, Any] = Field(
        description="the validated scheme document (docs/assessment.md, 'The scheme')"
    )
    created_by: str | None = None
    created_at: datetime


class ManualIndicatorEntered(Payload):
    """An assessor entered a manual indicator's value for a year, with its evidence."""

    producer: ClassVar[str] = "assessment"
    event_type: ClassVar[str] = "enclave.assessment.manual_entered.v1"
    subject_field: ClassVar[str] = "year"

    year: int
    indicator: str
    value: Decimal = Field(ge=0)
    evidence: str
    entered_by: str | None = None
    entered_at: datetime


EVENTS: list[type[Payload]] = [AssessmentPublished, SchemeVersioned, ManualIndicatorEntered]
