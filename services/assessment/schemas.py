"""HTTP shapes of the assessment service (the scheme itself is in scheme.py).

Decimals travel as JSON strings so that no number loses a digit on the way: points to two
decimals, progress shares to four, money to the yuan.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, Field

from services.assessment.registry import Source
from services.assessment.scheme import RewardBasis, Rule, Scheme


class SchemePublic(BaseModel):
    """A stored scheme version."""

    year: int
    version: int
    created_at: datetime
    created_by: str | None
    frozen: bool
    scheme: Scheme


class Evidence(BaseModel):
    """What made an actual value: counted events (with a link listing them) or a manual entry."""

    source: Source
    facts: int | None = Field(None, description="events: how many counted facts")
    facts_url: str | None = Field(None, description="events: where to list them, with event ids")
    entry_event_id: str | None = Field(
        None, description="manual: the event id of the entry in force (none: no entry)"
    )
    note: str | None = Field(None, description="manual: the assessor's evidence note")
    entered_by: str | None = None
    entered_at: datetime | None = None


class IndicatorScore(BaseModel):
    """One indicator: target, actual, progress, points earned, and why."""

    label: str
    rule: Rule
    target: Decimal
    points: Decimal = Field(description="full points")
    actual: Decimal
    progress: Decimal = Field(description="min(actual / target, 1), 4 decimals")
    score: Decimal
    evidence: Evidence


class DimensionScore(BaseModel):
    """A dimension: its weight (full points), its score (sum of its indicators' scores)."""

    label: str
    weight: Decimal
    score: Decimal
    progress: Decimal = Field(description="its indicators' progress weighted by points, 4 decimals")
    indicators: dict[str, IndicatorScore]


class BonusItemScore(BaseModel):
    """A bonus item: min(cap, points_per_unit * max(0, actual - above))."""

    label: str
    indicator: str
    actual: Decimal
    above: Decimal
    points_per_unit: Decimal
    cap: Decimal
    score: Decimal
    evidence: Evidence


class Fund(BaseModel):
    """The year's allocation: base plus reward = round(pool * share)."""

    base: Decimal
    reward_pool: Decimal
    reward_basis: RewardBasis
    share: Decimal = Field(description="the share of the pool earned (progress or score / 100)")
    reward: Decimal
    total: Decimal


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

    id: int
    year: int
    indicator: str
    value: Decimal
    evidence: str
    entered_by: str | None
    entered_at: datetime
    event_id: str


class FactPublic(BaseModel):
    """A counted fact: which event added how much to which indicator, dated when."""

    indicator: str
    quantity: int
    business_date: date
    subject: str
    event_id: str
    event_type: str


class IndicatorPublic(BaseModel):
    """An entry of the indicator registry."""

    key: str
    source: Source
    label: str


class PublicationPublic(BaseModel):
    """The answer to a publication: the frozen assessment and the event sent."""

    event_id: str
    assessment: AssessmentPublic
