"""Builders of input events and small helpers shared by the assessment tests."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime
from typing import Any

from enclave_shared.catalog.hotline import TicketResolved
from enclave_shared.catalog.incubation import (
    ActivityHeld,
    AgreementSigned,
    HqEnterpriseRegistered,
    IntakePath,
    PlanMonthClosed,
    ProjectMatured,
    TalentLevel,
    TalentRecruited,
    TrainingCompleted,
    TrainingTrack,
)
from enclave_shared.catalog.intake import EnterpriseSettled, OutcomeTransferred
from enclave_shared.events import Payload, new_event
from sqlalchemy import func, select

from services.assessment.main import EXAMPLE_SCHEME
from services.assessment.models import Fact
from tests.support import eventually, produce_raw

Message = tuple[str, bytes, bytes]  # (producer, key, value)


def example_scheme() -> dict[str, Any]:
    """The shipped example scheme, as a JSON body."""
    body: dict[str, Any] = json.loads(EXAMPLE_SCHEME.read_text())
    return copy.deepcopy(body)


def message(payload: Payload) -> Message:
    """A payload wrapped in a fresh envelope, ready for its producer's topic."""
    return payload.producer, payload.subject().encode(), new_event(payload).to_bytes()


async def send(settings: Any, messages: list[Message]) -> None:
    """Write the messages to their producers' topics, in order."""
    by_topic: dict[str, list[tuple[bytes | None, bytes | None]]] = {}
    for producer, key, value in messages:
        by_topic.setdefault(f"{settings.topic_prefix}.{producer}", []).append((key, value))
    for topic, batch in by_topic.items():
        await produce_raw(settings.kafka_bootstrap_servers, topic, batch)


async def assessor_get(svc: Any, url: str) -> Any:
    """GET `url` as the assessor, which must answer 200; its body."""
    resp = await svc.client.get(url, headers=svc.auth("assessor"))
    assert resp.status_code == 200, resp.text
    return resp.json()


async def put_scheme(svc: Any, year: int) -> None:
    """Put the example scheme for the year, as the assessor."""
    resp = await svc.client.put(
        f"/api/v1/schemes/{year}", json=example_scheme(), headers=svc.auth("assessor")
    )
    assert resp.status_code == 200, resp.text


async def until_inbox(svc: Any, n: int, *, own: int = 0) -> None:
    """Wait until n events of the other services (and `own` of its own) have been applied."""

    async def check() -> bool:
        return await inbox_count(svc) >= n and await inbox_count(svc, own=True) >= own

    await eventually(check)


async def rebuild_settings(make_settings: Any, new_database: Any, live: Any) -> Any:
    """Settings for a rebuild of the live service: a fresh database, another consumer group."""
    return await make_settings(
        "assessment",
        database_url=await new_database("assessment_rebuild"),
        group_name=f"{live.topic_prefix}.assessment.rebuild-1",
    )


async def fact_count(svc: Any) -> int:
    """How many facts the service has stored (all years)."""
    async with svc.runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Fact)) or 0)


async def inbox_count(svc: Any, *, own: bool = False) -> int:
    """How many events the consumer has applied: other services' events, or its own."""
    from enclave_shared.db import InboxEvent

    mine = InboxEvent.event_type.startswith("enclave.assessment.")
    async with svc.runtime.sessions() as session:
        query = select(func.count()).select_from(InboxEvent).where(mine if own else ~mine)
        return int(await session.scalar(query) or 0)


def plan_month(closing_id: str, month: str, *, done_on_time: int) -> Message:
    """A month's work plan closed with its items all done, `done_on_time` of them in time."""
    year, number = int(month[:4]), int(month[5:])
    closed_on = date(year + number // 12, number % 12 + 1, 1)
    return message(
        PlanMonthClosed(
            closing_id=closing_id,
            month=month,
            closed_on=closed_on,
            results="reviewed",
            items=done_on_time,
            done=done_on_time,
            done_on_time=done_on_time,
            late=0,
            dropped=0,
        )
    )


def talent(n: str, day: date, level: TalentLevel = TalentLevel.HIGH_LEVEL) -> Message:
    return message(TalentRecruited(talent_id=n, level=level, field="materials", recruited_on=day))


def agreement(n: str, day: date, *, in_gba: bool = True) -> Message:
    return message(
        AgreementSigned(
            agreement_id=n, partner=f"partner {n}", kind="enterprise", in_gba=in_gba, signed_on=day
        )
    )


def outcome(n: str, day: date) -> Message:
    return message(
        OutcomeTransferred(case_id=n, project_id=f"p-{n}", path=IntakePath.ORDER, signed_on=day)
    )


def settled(n: str, day: date) -> Message:
    return message(
        EnterpriseSettled(case_id=n, project_id=f"p-{n}", path=IntakePath.DIRECTED, signed_on=day)
    )


def matured(n: str, day: date, path: IntakePath = IntakePath.ORDER) -> Message:
    return message(
        ProjectMatured(
            project_id=n,
            title=f"project {n}",
            path=path,
            industry_chain="black_talc",
            matured_on=day,
        )
    )


def hq(n: str, day: date) -> Message:
    return message(HqEnterpriseRegistered(enterprise_id=n, name=f"firm {n}", registered_on=day))


def ticket(n: str, day: date, *, within_sla: bool = True) -> Message:
    return message(
        TicketResolved(
            ticket_id=n,
            category="permits",
            within_sla=within_sla,
            resolved_at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
            resolved_on=day,
        )
    )


def activity(n: str, day: date) -> Message:
    return message(
        ActivityHeld(
            activity_id=n, kind="talent_welcome", title=f"event {n}", attendance=30, held_on=day
        )
    )


def training(n: str, day: date, track: TrainingTrack, count: int) -> Message:
    return message(TrainingCompleted(record_id=n, track=track, count=count, completed_on=day))
