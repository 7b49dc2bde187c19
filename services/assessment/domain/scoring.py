"""Pure scoring: a scheme and the actual values give every number of an assessment.

Rounding (ROUND_HALF_UP throughout): an indicator's progress to 4 decimals, an indicator's
or bonus item's points to 2 decimals; dimension scores, the bonus and the total are exact
sums of those rounded numbers, so every figure adds up on the page. Overall progress is the
points-weighted sum of the rounded indicator progress, to 6 decimals; money is rounded to
the yuan (reward = round(pool * share), share shown next to it).

The score shapes below are the assessment's values; `schemas.AssessmentPublic` frames them
with a year and a status, and a publication stores them as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, Field

from services.assessment.domain.indicators import DIMENSION_LABELS, INDICATORS, Source
from services.assessment.domain.scheme import (
    WEIGHTS_TOTAL,
    BonusItem,
    FundRule,
    IndicatorRule,
    RewardBasis,
    Rule,
    Scheme,
)

CENT = Decimal("0.01")
PROGRESS_STEP = Decimal("0.0001")
OVERALL_STEP = Decimal("0.000001")
YUAN = Decimal(1)
ZERO = Decimal(0)


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


def plain(value: Decimal) -> Decimal:
    """The value without trailing zeros and never in exponent form (10, not 1E+1)."""
    value = value.normalize()
    return value.quantize(YUAN) if value == value.to_integral_value() else value


def round_points(value: Decimal) -> Decimal:
    """Points to two decimals."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def round_money(value: Decimal) -> Decimal:
    """Money to the yuan."""
    return value.quantize(YUAN, rounding=ROUND_HALF_UP)


def progress_of(actual: Decimal, target: Decimal) -> Decimal:
    """min(actual / target, 1) to four decimals; the target is positive."""
    # No division once the target is reached: a tiny target (1E-1000000) would overflow it.
    share = Decimal(1) if actual >= target else actual / target
    return share.quantize(PROGRESS_STEP, rounding=ROUND_HALF_UP)


def score_indicator(rule: IndicatorRule, actual: Decimal) -> tuple[Decimal, Decimal]:
    """(progress, points earned) of one indicator."""
    progress = progress_of(actual, rule.target)
    if rule.rule is Rule.LINEAR:
        return progress, round_points(rule.points * progress)
    reached = [step.points for step in rule.steps if actual >= step.at]
    return progress, round_points(max(reached, default=ZERO))


def score_bonus_item(item: BonusItem, actual: Decimal) -> Decimal:
    """min(cap, points_per_unit * max(0, actual - above)), to two decimals."""
    return round_points(min(item.cap, item.points_per_unit * max(ZERO, actual - item.above)))


def cap_bonus(item_scores: list[Decimal], cap: Decimal | None) -> Decimal:
    """The bonus: the items' sum, capped by the scheme's overall cap if it has one."""
    total = sum(item_scores, ZERO)
    return total if cap is None else min(total, round_points(cap))


def fund_of(rule: FundRule, *, progress: Decimal, total: Decimal) -> Fund:
    """Base fund plus round(pool * share); share is the progress or min(total, 100) / 100."""
    if rule.reward_basis is RewardBasis.PROGRESS:
        share = progress
    else:
        share = (min(total, WEIGHTS_TOTAL) / WEIGHTS_TOTAL).quantize(OVERALL_STEP)
    base = round_money(rule.base)
    reward = round_money(rule.reward_pool * share)
    return Fund(
        base=base,
        reward_pool=round_money(rule.reward_pool),
        reward_basis=rule.reward_basis,
        share=share,
        reward=reward,
        total=base + reward,
    )


@dataclass(frozen=True)
class Scored:
    """Every number of an assessment, before it is given a year and a status."""

    dimensions: dict[str, DimensionScore]
    bonus_items: dict[str, BonusItemScore]
    bonus: Decimal
    bonus_uncapped: Decimal
    total: Decimal
    progress: Decimal
    fund: Fund


def assess(
    scheme: Scheme, actuals: Mapping[str, Decimal], evidence: Mapping[str, Evidence]
) -> Scored:
    """Score a scheme against the actual values (missing ones count as 0)."""
    dimensions: dict[str, DimensionScore] = {}
    weighted_progress = ZERO  # sum of points * progress over all indicators
    for dim, rule in scheme.ordered_dimensions():
        indicators: dict[str, IndicatorScore] = {}
        dim_weighted = ZERO
        for ind in rule.indicators:
            actual = actuals.get(ind.key, ZERO)
            progress, score = score_indicator(ind, actual)
            dim_weighted += ind.points * progress
            indicators[ind.key] = IndicatorScore(
                label=INDICATORS[ind.key].label,
                rule=ind.rule,
                target=ind.target,
                points=ind.points,
                actual=actual,
                progress=progress,
                score=score,
                evidence=evidence[ind.key],
            )
        weighted_progress += dim_weighted
        dim_progress = (dim_weighted / rule.weight if rule.weight else ZERO).quantize(
            PROGRESS_STEP, rounding=ROUND_HALF_UP
        )
        dimensions[dim.value] = DimensionScore(
            label=DIMENSION_LABELS[dim],
            weight=rule.weight,
            score=sum((i.score for i in indicators.values()), ZERO),
            progress=dim_progress,
            indicators=indicators,
        )
    bonus_items = {
        item.key: BonusItemScore(
            label=item.label or INDICATORS[item.indicator].label,
            indicator=item.indicator,
            actual=actuals.get(item.indicator, ZERO),
            above=item.above,
            points_per_unit=item.points_per_unit,
            cap=item.cap,
            score=score_bonus_item(item, actuals.get(item.indicator, ZERO)),
            evidence=evidence[item.indicator],
        )
        for item in scheme.bonus
    }
    scores = [b.score for b in bonus_items.values()]
    bonus = cap_bonus(scores, scheme.bonus_cap)
    total = sum((d.score for d in dimensions.values()), ZERO) + bonus
    progress = (weighted_progress / WEIGHTS_TOTAL).quantize(OVERALL_STEP, rounding=ROUND_HALF_UP)
    fund = fund_of(scheme.fund, progress=progress, total=total)
    return Scored(dimensions, bonus_items, bonus, sum(scores, ZERO), total, progress, fund)
