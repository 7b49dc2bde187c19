"""Tickets the hotline opens from intake events: once per business fact."""

from __future__ import annotations

from datetime import date

from enclave_shared.catalog.incubation import IntakePath
from enclave_shared.catalog.intake import (
    ConstructionStarted,
    MeetingKind,
    MeetingMissed,
    OutcomeTransferred,
)
from enclave_shared.events import Payload, new_event

from services.hotline.jobs import sweep_once
from services.hotline.models import WatchedCase
from tests.hotline.support import Clock, agent, hotline, hotline_events
from tests.support import eventually, produce_raw
from tests.unit.hotline.support import settled


async def send(settings, *payloads: Payload | bytes) -> None:
    """Put intake events on the intake topic (bytes: an exact envelope, sent again)."""
    messages = []
    for p in payloads:
        raw = p if isinstance(p, bytes) else new_event(p).to_bytes()
        messages.append((b"key", raw))
    await produce_raw(settings.kafka_bootstrap_servers, f"{settings.topic_prefix}.intake", messages)


async def tickets(svc, **params) -> list[dict]:
    r = await svc.client.get("/api/v1/tickets", params=params, headers=agent(svc))
    assert r.status_code == 200
    return r.json()


async def test_enterprise_settled_opens_one_landing_followup(make_settings):
    async with hotline(make_settings) as (svc, settings, _clock):
        first = new_event(settled()).to_bytes()
        # the same event twice, and the same fact under a second event id
        await send(settings, first, first, settled())
        marker = MeetingMissed(
            case_id="C9", project_id="P9", kind=MeetingKind.INSPECTION, due_on=date(2026, 3, 15)
        )
        await send(settings, marker)  # applied after the three above: then they are all in
        await eventually(lambda: _count(svc, case_id="C9"))
        found = await tickets(svc, case_id="C1")
        assert len(found) == 1
        ticket = found[0]
        assert ticket["kind"] == "landing_followup" and ticket["channel"] == "event"
        assert ticket["category"] == "other" and ticket["status"] == "opened"
        assert ticket["enterprise_id"] == "Gazelle Tech" and ticket["project_id"] == "P1"
        assert ticket["history"][0]["actor_role"] == "system"
        assert "Gazelle Tech" in ticket["description"]
        events = await hotline_events(svc, 2)
        opened = sorted(e["data"]["kind"] for e in events)
        assert opened == ["landing_followup", "supervision"]
        for e in events:
            assert e["causationid"]  # caused by the intake event


async def test_missed_meeting_opens_one_supervision_ticket_per_meeting(make_settings):
    async with hotline(make_settings) as (svc, settings, _clock):
        missed = MeetingMissed(
            case_id="C2", project_id="P2", kind=MeetingKind.COORDINATION, due_on=date(2026, 4, 30)
        )
        again = MeetingMissed(
            case_id="C2", project_id="P2", kind=MeetingKind.COORDINATION, due_on=date(2026, 4, 30)
        )
        later = MeetingMissed(
            case_id="C2", project_id="P2", kind=MeetingKind.COORDINATION, due_on=date(2026, 5, 31)
        )
        raw = new_event(missed).to_bytes()
        await send(settings, raw, raw, again, later)
        await eventually(lambda: _count(svc, 2, case_id="C2"))
        found = await tickets(svc, case_id="C2")
        assert [t["kind"] for t in found] == ["supervision", "supervision"]
        assert sorted("2026-04-30" in t["description"] for t in found) == [False, True]
        await send(settings, again)
        await send(
            settings,
            MeetingMissed(
                case_id="C3",
                project_id="P3",
                kind=MeetingKind.OBSERVATION,
                due_on=date(2026, 6, 30),
            ),
        )
        await eventually(lambda: _count(svc, case_id="C3"))
        assert len(await tickets(svc, case_id="C2")) == 2


async def test_case_still_red_after_the_configured_days_gets_one_supervision_ticket(
    make_settings,
):
    async with hotline(make_settings, red_case_days=30) as (svc, settings, clock):
        clock.now = Clock().now.replace(year=2026, month=3, day=10)
        await send(
            settings,
            settled("R1", date(2026, 3, 1)),  # stays red
            settled("R1", date(2026, 3, 1)),  # the same fact again
            OutcomeTransferred(
                case_id="R2",
                project_id="P2",
                path=IntakePath.ORDER,
                enterprise="Local Steel",
                signed_on=date(2026, 3, 5),
            ),
            settled("Y1", date(2026, 3, 1)),  # turns yellow in time
            ConstructionStarted(
                case_id="Y1", project_id="P1", started_on=date(2026, 3, 20), days_to_construction=19
            ),
        )
        await eventually(lambda: _started(svc, "Y1"))
        assert (await sweep_once(svc.runtime)).red_case_tickets == []

        clock.now = clock.now.replace(day=31)  # R1: 30 days after signing, still red
        first = await sweep_once(svc.runtime)
        assert len(first.red_case_tickets) == 1
        assert (await sweep_once(svc.runtime)).red_case_tickets == []  # once per case

        clock.now = clock.now.replace(month=4, day=4)  # R2: 30 days after 5 March
        second = await sweep_once(svc.runtime)
        assert len(second.red_case_tickets) == 1
        red = [t for t in await tickets(svc, kind="supervision")]
        assert sorted(t["case_id"] for t in red) == ["R1", "R2"]
        r1 = next(t for t in red if t["case_id"] == "R1")
        assert "still red" in r1["description"] and r1["enterprise_id"] == "Gazelle Tech"
        assert r1["opened_at"].startswith("2026-03-31")

        # construction starting later is noted on the supervision ticket
        await send(
            settings,
            ConstructionStarted(case_id="R1", project_id="P1", started_on=date(2026, 4, 5)),
        )
        await eventually(lambda: _has_note(svc, r1["id"]))
        clock.now = clock.now.replace(month=6)
        assert (await sweep_once(svc.runtime)).red_case_tickets == []


async def _count(svc, n: int = 1, **params) -> bool:
    return len(await tickets(svc, **params)) >= n


async def _started(svc, case_id: str) -> bool:
    async with svc.runtime.sessions() as session:
        case = await session.get(WatchedCase, case_id)
        return case is not None and case.construction_started_on is not None


async def _has_note(svc, ticket_id: str) -> bool:
    r = await svc.client.get(f"/api/v1/tickets/{ticket_id}", headers=agent(svc))
    return any("construction started" in n["text"] for n in r.json()["notes"])
