"""Inputs of the assessment's unit tests: a small scheme worked out by hand, facts as events."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from enclave_shared.events import CloudEvent, Payload, new_event
from enclave_shared.outbox import OutboxSession

from services.assessment.consumers import HANDLERS
from services.assessment.domain.scheme import Scheme

YEAR = 2021
DAY = date(2021, 6, 1)
NOW = datetime(2021, 6, 1, 9, 0, tzinfo=UTC)
D = Decimal


def small_scheme_body() -> dict[str, Any]:
    """Five dimensions (10 + 20 + 30 + 25 + 15 = 100), six indicators, two bonus items."""
    return {
        "title": "small",
        "dimensions": {
            "self_construction": {
                "weight": 10,
                "indicators": [{"key": "team", "target": 5, "points": 10}],
            },
            "rd_cooperation": {
                "weight": 20,
                "indicators": [{"key": "agreements_gba", "target": 4, "points": 20}],
            },
            "incubation": {
                "weight": 30,
                "indicators": [
                    {"key": "enterprises_settled", "target": 2, "points": 10},
                    {
                        "key": "tickets_resolved_within_sla",
                        "target": 3,
                        "points": 20,
                        "rule": "steps",
                        "steps": [{"at": 1, "points": 5}, {"at": 3, "points": 20}],
                    },
                ],
            },
            "talent_introduction": {
                "weight": 25,
                "indicators": [{"key": "talents_high_level", "target": 3, "points": 25}],
            },
            "activities": {
                "weight": 15,
                "indicators": [{"key": "trainings_managers", "target": 40, "points": 15}],
            },
        },
        "bonus": [
            {"key": "honours", "indicator": "honours", "points_per_unit": 1, "cap": 2},
            {
                "key": "extra_talents",
                "indicator": "talents_high_level",
                "above": 3,
                "points_per_unit": "0.5",
                "cap": 1,
            },
        ],
        "bonus_cap": 2,
        "fund": {"base": 1_000_000, "reward_pool": 300_000, "reward_basis": "progress"},
    }


def small_scheme() -> Scheme:
    return Scheme.model_validate(small_scheme_body())


async def consume(session: OutboxSession, payload: Payload) -> CloudEvent:
    """Apply another service's event as the consumer would: through the HANDLERS map."""
    event = new_event(payload)
    await HANDLERS[type(payload)](session, payload, event)
    return event
