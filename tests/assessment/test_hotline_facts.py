"""The hotline's tickets as the assessment counts them, through the events: the revisits
that found the requester satisfied (tickets_satisfied, once a ticket) and the tickets
resolved within their limit; a ticket counts in its latest version and not at all once
voided, live and after a rebuild from the topics."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import select

from services.assessment.main import SPEC as ASSESSMENT
from services.assessment.models import Source
from tests.assessment.helpers import example_scheme, inbox_count
from tests.hotline.support import START, agent, hotline, open_ticket
from tests.support import RunningService, eventually, run_service

Y = START.year  # the hotline's clock dates the moves, and so the facts


def scheme_with_satisfaction() -> dict[str, Any]:
    """The example scheme with tickets_satisfied weighted in the incubation dimension."""
    body = example_scheme()
    indicators = body["dimensions"]["incubation"]["indicators"]
    for rule in indicators:
        if rule["key"] == "hq_enterprises":
            rule["points"] = 4
    indicators.append({"key": "tickets_satisfied", "target": 4, "points": 2})
    return body


async def move(svc: RunningService, tid: str, what: str, body: dict[str, Any]) -> None:
    resp = await svc.client.post(f"/api/v1/tickets/{tid}/{what}", json=body, headers=agent(svc))
    assert resp.status_code == 200, resp.text


async def resolved(svc: RunningService) -> str:
    """A ticket opened, routed and resolved (within its limit: the clock stands still)."""
    tid: str = (await open_ticket(svc, agent(svc)))["id"]
    await move(svc, tid, "routing", {"department": "tax bureau"})
    await move(svc, tid, "resolution", {"summary": "quota raised"})
    return tid


async def revisit(svc: RunningService, tid: str, result: str) -> None:
    await move(svc, tid, "revisits", {"result": result})


async def facts(svc: RunningService, indicator: str) -> list[str]:
    resp = await svc.client.get(
        f"/api/v1/assessments/{Y}/facts?indicator={indicator}", headers=svc.auth("assessor")
    )
    assert resp.status_code == 200, resp.text
    return sorted(f["subject"] for f in resp.json())


async def satisfaction_actual(svc: RunningService) -> str:
    resp = await svc.client.get(f"/api/v1/assessments/{Y}", headers=svc.auth("assessor"))
    assert resp.status_code == 200, resp.text
    actual: str = resp.json()["dimensions"]["incubation"]["indicators"]["tickets_satisfied"][
        "actual"
    ]
    return actual


@contextlib.asynccontextmanager
async def hotline_and_assessment(
    make_settings: Any, settings: Any
) -> AsyncIterator[tuple[RunningService, RunningService]]:
    """The hotline and the assessment on one broker, the assessment with the scheme of Y."""
    async with (
        hotline(make_settings) as (desk, _hotline_settings, _clock),
        run_service(ASSESSMENT, settings) as svc,
    ):
        resp = await svc.client.put(
            f"/api/v1/schemes/{Y}", json=scheme_with_satisfaction(), headers=svc.auth("assessor")
        )
        assert resp.status_code == 200, resp.text
        yield desk, svc


async def until_applied(svc: RunningService, n: int) -> None:
    """n of the hotline's events applied, and the scheme version (its own topic)."""

    async def check() -> bool:
        return await inbox_count(svc) >= n and await inbox_count(svc, own=True) >= 1

    await eventually(check, timeout=30)


async def test_satisfied_revisits_count_once_a_ticket_through_the_events(make_settings):
    settings = await make_settings("assessment")
    async with hotline_and_assessment(make_settings, settings) as (desk, svc):
        pleased = await resolved(desk)
        await revisit(desk, pleased, "satisfied")
        second_time = await resolved(desk)
        await revisit(desk, second_time, "dissatisfied")  # sent back (发回重办) …
        await move(desk, second_time, "resolution", {"summary": "quota raised again"})
        await revisit(desk, second_time, "basically_satisfied")  # … then basically satisfied
        unreached = await resolved(desk)
        await revisit(desk, unreached, "unreachable")
        # the events the assessment counts from: 4 resolutions and 4 revisits
        await until_applied(svc, 8)
        assert await facts(svc, "tickets_satisfied") == sorted([pleased, second_time])
        assert await satisfaction_actual(svc) == "2"
        within = await facts(svc, "tickets_resolved_within_sla")
        assert within == sorted([pleased, second_time, unreached])


async def test_a_ticket_counts_in_its_latest_version_and_not_once_void_live_and_rebuilt(
    make_settings, new_database
):
    settings = await make_settings("assessment")
    async with hotline_and_assessment(make_settings, settings) as (desk, svc):
        corrected, voided, kept = [await resolved(desk) for _ in range(3)]
        for tid in (corrected, voided, kept):
            await revisit(desk, tid, "satisfied")
        patch = await desk.client.patch(
            f"/api/v1/tickets/{corrected}",
            json={"category": "permits", "reason": "a permit, not a tax matter"},
            headers=agent(desk),
        )
        assert patch.status_code == 200, patch.text
        gone = await desk.client.delete(
            f"/api/v1/tickets/{voided}?reason=a test call", headers=agent(desk)
        )
        assert gone.status_code == 200, gone.text
        await until_applied(svc, 3 * 2 + 2)  # resolutions, revisits, the correction, the void
        assert await facts(svc, "tickets_satisfied") == sorted([corrected, kept])
        assert await facts(svc, "tickets_resolved_within_sla") == sorted([corrected, kept])
        assert await counted_categories(svc, corrected) == {"permits"}
        live = (
            await svc.client.get(f"/api/v1/assessments/{Y}", headers=svc.auth("assessor"))
        ).json()
        assert await satisfaction_actual(svc) == "2"
    rebuild = await make_settings(
        "assessment",
        database_url=await new_database("assessment_rebuild"),
        group_name=f"{settings.topic_prefix}.assessment.rebuild-1",
    )
    async with run_service(ASSESSMENT, rebuild) as again:
        await until_applied(again, 3 * 2 + 2)
        assert await facts(again, "tickets_satisfied") == sorted([corrected, kept])
        assert await facts(again, "tickets_resolved_within_sla") == sorted([corrected, kept])
        assert await counted_categories(again, corrected) == {"permits"}
        rebuilt = await again.client.get(f"/api/v1/assessments/{Y}", headers=again.auth("assessor"))
        assert rebuilt.json() == live


async def counted_categories(svc: RunningService, ticket_id: str) -> set[str]:
    """The category of each of the ticket's counted events, as the assessment holds them."""
    async with svc.runtime.sessions() as session:
        payloads = await session.scalars(select(Source.payload).where(Source.subject == ticket_id))
        return {json.loads(p)["category"] for p in payloads}
