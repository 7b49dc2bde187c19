"""A year's scheme: dimensions, weights, indicators with targets and rules, bonus items, funds.

Everything is in points of a 100-point sheet, the way the district's measures are written
(e.g. "自身建设 15 分: 办公场地 3 分 …"): the five dimension weights add up to 100, and the
points of a dimension's indicators add up to its weight. Bonus points come on top.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from enclave_shared.errors import Invalid
from pydantic import BaseModel, ConfigDict, Field

from services.assessment.domain.indicators import INDICATORS, Dimension

WEIGHTS_TOTAL = Decimal(100)
DEFAULT_BASE_FUND = Decimal(4_000_000)

_Amount = Field(ge=0, le=Decimal(10) ** 12)
_BonusPoints = Field(ge=0, le=100)


class Rule(StrEnum):
    """How an indicator's actual value becomes points."""

    LINEAR = "linear"  # points * min(actual / target, 1)
    STEPS = "steps"  # the points of the highest step reached


class Step(BaseModel):
    """A threshold: reaching `at` earns `points` (not cumulative)."""

    model_config = ConfigDict(extra="forbid")

    at: Decimal = _Amount
    points: Decimal = _Amount


class IndicatorRule(BaseModel):
    """One indicator of a dimension: its target, its full points and its scoring rule."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(description="an indicator key of the registry (GET /api/v1/indicators)")
    target: Decimal = Field(le=Decimal(10) ** 12, description="must be positive")
    points: Decimal = _Amount
    rule: Rule = Rule.LINEAR
    steps: list[Step] = Field(default_factory=list, max_length=20, description="rule steps only")


class DimensionRule(BaseModel):
    """A dimension: its weight (its full points) and its indicators."""

    model_config = ConfigDict(extra="forbid")

    weight: Decimal = _Amount
    indicators: list[IndicatorRule] = Field(min_length=1)


class BonusItem(BaseModel):
    """A bonus item (加分项目): points per unit of an indicator above a floor, up to a cap."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(min_length=1, max_length=64)
    label: str = Field("", max_length=200)
    indicator: str
    points_per_unit: Decimal = _BonusPoints
    above: Decimal = Field(Decimal(0), ge=0, le=Decimal(10) ** 12)
    cap: Decimal = _BonusPoints


class RewardBasis(StrEnum):
    """What share of the reward pool the operator earns."""

    PROGRESS = "progress"  # pool * weighted progress on the targets (bonus not included)
    SCORE = "score"  # pool * min(total, 100) / 100 (bonus included)


class FundRule(BaseModel):
    """Operating funds: the base fund plus a share of the reward pool."""

    model_config = ConfigDict(extra="forbid")

    base: Decimal = Field(DEFAULT_BASE_FUND, ge=0, le=Decimal(10) ** 12)
    reward_pool: Decimal = Field(Decimal(0), ge=0, le=Decimal(10) ** 12)
    reward_basis: RewardBasis = RewardBasis.PROGRESS


class Scheme(BaseModel):
    """A year's assessment scheme, as PUT to /api/v1/schemes/{year}."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field("", max_length=200)
    dimensions: dict[Dimension, DimensionRule]
    bonus: list[BonusItem] = Field(default_factory=list, max_length=50)
    bonus_cap: Decimal | None = Field(
        None,
        ge=0,
        le=Decimal(10) ** 12,
        description="cap on all bonus points together; none: no cap",
    )
    fund: FundRule = Field(default_factory=FundRule)

    def ordered_dimensions(self) -> list[tuple[Dimension, DimensionRule]]:
        """The dimensions in the registry's order."""
        return [(d, self.dimensions[d]) for d in Dimension if d in self.dimensions]


def validate_scheme(scheme: Scheme) -> None:
    """Check the rules pydantic cannot: completeness, sums, known keys, sane steps."""
    missing = [d.value for d in Dimension if d not in scheme.dimensions]
    if missing:
        raise Invalid(f"the scheme lacks dimension(s): {', '.join(missing)}", field="dimensions")
    weights = sum((rule.weight for rule in scheme.dimensions.values()), Decimal(0))
    if weights != WEIGHTS_TOTAL:
        raise Invalid(
            f"dimension weights add up to {weights}, not {WEIGHTS_TOTAL}", field="dimensions"
        )
    seen: set[str] = set()
    for dim, rule in scheme.ordered_dimensions():
        for i, ind in enumerate(rule.indicators):
            _check_indicator(ind, f"dimensions.{dim.value}.indicators[{i}]", seen)
        points = sum((ind.points for ind in rule.indicators), Decimal(0))
        if points != rule.weight:
            raise Invalid(
                f"the points of dimension {dim.value}'s indicators add up to {points}, "
                f"not its weight {rule.weight}",
                field=f"dimensions.{dim.value}",
            )
    bonus_keys: set[str] = set()
    for i, item in enumerate(scheme.bonus):
        where = f"bonus[{i}]"
        if item.indicator not in INDICATORS:
            raise Invalid(
                f"unknown indicator {item.indicator!r} in bonus item {item.key!r}",
                field=f"{where}.indicator",
            )
        if item.key in bonus_keys:
            raise Invalid(f"bonus item {item.key!r} appears twice", field=f"{where}.key")
        bonus_keys.add(item.key)


def _check_indicator(ind: IndicatorRule, where: str, seen: set[str]) -> None:
    if ind.key not in INDICATORS:
        raise Invalid(
            f"unknown indicator {ind.key!r}; known indicators: {', '.join(sorted(INDICATORS))}",
            field=f"{where}.key",
        )
    if ind.key in seen:
        raise Invalid(f"indicator {ind.key!r} appears twice in the scheme", field=f"{where}.key")
    seen.add(ind.key)
    if ind.target <= 0:
        raise Invalid(
            f"the target of indicator {ind.key!r} must be positive, not {ind.target}",
            field=f"{where}.target",
        )
    if ind.rule is Rule.LINEAR:
        if ind.steps:
            raise Invalid(
                f"indicator {ind.key!r} has steps but its rule is linear", field=f"{where}.steps"
            )
        return
    if not ind.steps:
        raise Invalid(
            f"indicator {ind.key!r} uses rule 'steps' but lists none", field=f"{where}.steps"
        )
    for a, b in zip(ind.steps, ind.steps[1:], strict=False):
        if b.at <= a.at or b.points < a.points:
            raise Invalid(
                f"the steps of indicator {ind.key!r} must rise: 'at' strictly, "
                "'points' never falling",
                field=f"{where}.steps",
            )
    if ind.steps[-1].points > ind.points:
        raise Invalid(
            f"a step of indicator {ind.key!r} gives more than its {ind.points} points",
            field=f"{where}.steps",
        )
