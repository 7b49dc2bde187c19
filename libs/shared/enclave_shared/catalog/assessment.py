"""Events the assessment service publishes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

from enclave_shared.events import Payload


class AssessmentPublished(Payload):
    """A year's assessment was published: scores frozen, funds allocated."""

    producer: ClassVar[str] = "assessment"
    event_type: ClassVar[str] = "enclave.assessment.published.v1"
    subject_field: ClassVar[str] = "year"

    year: int
    dimensions: dict[str, Decimal]
    bonus: Decimal
    total: Decimal
    fund_base: Decimal
    fund_reward: Decimal
    fund_total: Decimal
    published_on: date


EVENTS: list[type[Payload]] = [AssessmentPublished]
