"""Unit tests of the pure scoring functions and of the scheme's validation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from enclave_shared.errors import Invalid

from services.assessment.domain.indicators import INDICATORS
from services.assessment.domain.scheme import (
    BonusItem,
    FundRule,
    IndicatorRule,
    RewardBasis,
    Scheme,
    validate_scheme,
)
from services.assessment.domain.scoring import (
    Evidence,
    assess,
    cap_bonus,
    fund_of,
    plain,
    progress_of,
    score_bonus_item,
    score_indicator,
)
from tests.assessment.helpers import example_scheme

D = Decimal


def linear(target: int, points: int) -> IndicatorRule:
    return IndicatorRule(key="agreements_gba", target=D(target), points=D(points))


def test_linear_rule_is_proportional_and_capped_at_full_points():
    rule = linear(19, 12)
    assert score_indicator(rule, D(0)) == (D("0.0000"), D("0.00"))
    assert score_indicator(rule, D(10)) == (D("0.5263"), D("6.32"))  # 12 * 0.5263 = 6.3156
    assert score_indicator(rule, D(19)) == (D("1.0000"), D("12.00"))
    assert score_indicator(rule, D(40)) == (D("1.0000"), D("12.00"))  # capped


def test_rounding_is_half_up():
    assert progress_of(D(1), D(8)) == D("0.1250")
    assert progress_of(D(1), D(3)) == D("0.3333")
    assert progress_of(D(2), D(3)) == D("0.6667")
    # 5 * 0.1250 = 0.625 -> 0.63 (half up, not banker's 0.62)
    assert score_indicator(linear(8, 5), D(1))[1] == D("0.63")
    assert plain(D("10.0000")) == D(10) and str(plain(D("10.0000"))) == "10"


def test_a_reached_target_is_full_progress_however_small_the_target():
    # actual / target would overflow the Decimal context here: a 500 on the preview
    tiny = IndicatorRule(key="premises", target=D("1E-1000000"), points=D(3))
    assert score_indicator(tiny, D(5)) == (D("1.0000"), D("3.00"))
    assert score_indicator(tiny, D(0)) == (D("0.0000"), D("0.00"))


def test_steps_rule_gives_the_highest_step_reached():
    rule = IndicatorRule.model_validate(
        {
            "key": "outcomes_transferred",
            "target": 3,
            "points": 8,
            "rule": "steps",
            "steps": [{"at": 1, "points": 3}, {"at": 2, "points": 6}, {"at": 3, "points": 8}],
        }
    )
    assert [score_indicator(rule, D(n))[1] for n in range(5)] == [
        D("0.00"),
        D("3.00"),
        D("6.00"),
        D("8.00"),
        D("8.00"),
    ]
    assert score_indicator(rule, D(2))[0] == D("0.6667")  # progress stays linear


def test_bonus_item_counts_above_the_floor_up_to_its_cap():
    item = BonusItem(
        key="x", indicator="talents_high_level", above=D(49), points_per_unit=D("0.1"), cap=D(2)
    )
    assert score_bonus_item(item, D(40)) == D("0.00")
    assert score_bonus_item(item, D(49)) == D("0.00")
    assert score_bonus_item(item, D(60)) == D("1.10")
    assert score_bonus_item(item, D(69)) == D("2.00")
    assert score_bonus_item(item, D(500)) == D("2.00")  # item cap


def test_overall_bonus_cap():
    assert cap_bonus([D("1.10"), D("2.00"), D("2.00")], D(5)) == D("5.00")
    assert cap_bonus([D("1.10"), D("2.00")], D(5)) == D("3.10")
    assert cap_bonus([D("1.10"), D("2.00"), D("2.00")], None) == D("5.10")


def test_fund_reward_on_progress_or_on_score():
    rule = FundRule(reward_pool=D(2_000_000))
    fund = fund_of(rule, progress=D("0.668836"), total=D("72.15"))
    assert (fund.base, fund.reward, fund.total) == (D(4_000_000), D(1_337_672), D(5_337_672))
    by_score = fund_of(
        FundRule(reward_pool=D(1_000_001), reward_basis=RewardBasis.SCORE),
        progress=D(0),
        total=D("72.15"),
    )
    assert by_score.share == D("0.721500")
    assert by_score.reward == D(721_501)  # 721500.7215 rounds to the yuan
    over = fund_of(
        FundRule(reward_pool=D(100), reward_basis=RewardBasis.SCORE),
        progress=D(0),
        total=D("104.00"),
    )
    assert over.reward == D(100)  # total above 100 earns the whole pool, no more
    assert FundRule().base == D(4_000_000)  # the default base operating fund


def test_example_scheme_on_known_actuals():
    """The hand calculation of the example scheme (same actuals as the end-to-end test).

    self_construction (15): premises 1/1 -> 3.00; team 4/5 = 0.8 -> 2.40; annual plan 1/1
        -> 3.00; monthly plans 9/12 = 0.75 -> 2.25; plan items done on time 36/48 = 0.75
        -> 2.25; score 12.90
    rd_cooperation (20): GBA agreements 19/19 -> 12.00; outcomes 2/3 = 0.6667, steps (2 -> 6)
        -> 6.00; score 18.00; points*progress = 12 + 8 * 0.6667 = 17.3336
    incubation (25): settled 3/6 = 0.5 -> 5.00; matured 4/10 = 0.4 -> 2.00; HQ 5/10 = 0.5
        -> 3.00; SLA tickets 12/20 = 0.6, steps (10 -> 2) -> 2.00; score 12.00;
        points*progress = 5 + 2 + 3 + 4 * 0.6 = 12.4
    talent_introduction (25): high-level 60/49 -> capped 15.00; researchers 30/300 = 0.1
        -> 1.00; score 16.00
    activities (15): activities 6/12 -> 3.00; managers 10/20 -> 1.50; entrepreneurs 20/20
        -> 3.00; skilled workers 500/2000 = 0.25 -> 0.75; score 8.25
    dimensions: 12.90 + 18.00 + 12.00 + 16.00 + 8.25 = 67.15
    bonus: extra talents 0.1 * (60 - 49) = 1.10; honours min(2, 3) = 2.00; platforms 2.00;
        extra settled 0; sum 5.10, capped at 5 -> 5.00;  total 72.15
    progress: (12.9 + 17.3336 + 12.4 + 16 + 8.25) / 100 = 0.668836
    fund: base 4,000,000 + round(2,000,000 * 0.668836) = 1,337,672 -> 5,337,672
    """
    scheme = Scheme.model_validate(example_scheme())
    validate_scheme(scheme)
    actuals = {k: D(v) for k, v in EXAMPLE_ACTUALS.items()}
    evidence = {k: Evidence(source=i.source) for k, i in INDICATORS.items()}
    scored = assess(scheme, actuals, evidence)
    assert {k: d.score for k, d in scored.dimensions.items()} == EXAMPLE_DIMENSIONS
    assert scored.bonus_uncapped == D("5.10")
    assert scored.bonus == D("5.00")
    assert scored.total == D("72.15")
    assert scored.progress == D("0.668836")
    assert (scored.fund.base, scored.fund.reward, scored.fund.total) == (
        D(4_000_000),
        D(1_337_672),
        D(5_337_672),
    )


EXAMPLE_ACTUALS = {
    "premises": 1,
    "team": 4,
    "annual_work_plan": 1,
    "monthly_work_plans": 9,
    "plan_items_done_on_time": 36,
    "agreements_gba": 19,
    "outcomes_transferred": 2,
    "enterprises_settled": 3,
    "projects_matured": 4,
    "hq_enterprises": 5,
    "tickets_resolved_within_sla": 12,
    "talents_high_level": 60,
    "talents_researchers": 30,
    "activities_held": 6,
    "trainings_managers": 10,
    "trainings_entrepreneurs": 20,
    "trainings_skilled_workers": 500,
    "honours": 3,
    "platforms_created": 2,
}
EXAMPLE_DIMENSIONS = {
    "self_construction": D("12.90"),
    "rd_cooperation": D("18.00"),
    "incubation": D("12.00"),
    "talent_introduction": D("16.00"),
    "activities": D("8.25"),
}


def _broken(mutate) -> Scheme:  # type: ignore[no-untyped-def]
    body = example_scheme()
    mutate(body)
    return Scheme.model_validate(body)


@pytest.mark.parametrize(
    ("mutate", "field", "words"),
    [
        (
            lambda b: b["dimensions"].pop("activities"),
            "dimensions",
            "lacks dimension(s): activities",
        ),
        (lambda b: b["dimensions"]["activities"].update(weight=5), "dimensions", "add up to 90"),
        (
            lambda b: b["dimensions"]["activities"]["indicators"][0].update(points=5),
            "dimensions.activities",
            "add up to 14",
        ),
        (
            lambda b: b["dimensions"]["incubation"]["indicators"][1].update(key="unicorns"),
            "dimensions.incubation.indicators[1].key",
            "unknown indicator 'unicorns'",
        ),
        (
            lambda b: b["dimensions"]["incubation"]["indicators"][1].update(target=-10),
            "dimensions.incubation.indicators[1].target",
            "must be positive, not -10",
        ),
        (
            lambda b: b["dimensions"]["incubation"]["indicators"][1].update(key="hq_enterprises"),
            "dimensions.incubation.indicators[2].key",
            "'hq_enterprises' appears twice",
        ),
        (
            lambda b: b["bonus"][0].update(indicator="medals"),
            "bonus[0].indicator",
            "unknown indicator 'medals'",
        ),
        (
            lambda b: b["dimensions"]["rd_cooperation"]["indicators"][1].update(steps=[]),
            "dimensions.rd_cooperation.indicators[1].steps",
            "lists none",
        ),
    ],
)
def test_scheme_validation_names_the_problem(mutate, field, words):  # type: ignore[no-untyped-def]
    with pytest.raises(Invalid) as err:
        validate_scheme(_broken(mutate))
    assert err.value.field == field
    assert words in err.value.message
