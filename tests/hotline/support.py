"""Helpers for the hotline tests: the service under test, a controlled clock, event checks."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from enclave_shared.catalog.intake import CaseAccountAssigned
from enclave_shared.events import new_event

from services.hotline.config import HotlineSettings
from services.hotline.main import SPEC
from services.hotline.models import CaseOwner
from tests.support import (
    RunningService,
    catalog_events,
    eventually,
    produce_raw,
    run_service,
)
from tests.unit.hotline.support import clock_on

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SH = ZoneInfo("Asia/Shanghai")


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@contextlib.asynccontextmanager
async def hotline(
    make_settings: Any, started_on: date | None = None, **overrides: Any
) -> AsyncIterator[tuple[RunningService, HotlineSettings, Clock]]:
    """The hotline running in-process with its clock under the test's control; `started_on`:
    the day it starts on (its start-up check of the calendar reads the process's clock then)
    and its clock's first morning, 09:00 China time."""
    with contextlib.nullcontext() if started_on is None else clock_on(started_on):
        settings = await make_settings("hotline", settings_class=HotlineSettings, **overrides)
    clock = Clock(START if started_on is None else datetime.combine(started_on, time(9), SH))
    async with run_service(SPEC, settings) as svc:
        svc.runtime.clock = clock
        yield svc, settings, clock


def agent(svc: RunningService, sub: str = "agent-li") -> dict[str, str]:
    return svc.auth("hotline_agent", sub=sub)


def enterprise(svc: RunningService, sub: str = "ent-1") -> dict[str, str]:
    return svc.auth("enterprise", sub=sub)


async def open_ticket(svc: RunningService, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    body = {"category": "tax", "description": "invoice quota too low", **body}
    resp = await svc.client.post("/api/v1/tickets", json=body, headers=headers)
    assert resp.status_code == 201, resp.text
    return resp.json()


async def owned_by(
    svc: RunningService, account: str, case_id: str = "C1", project_id: str = "P1"
) -> None:
    """Intake gives case `case_id` to `account` (its CaseAccountAssigned on the intake topic);
    wait until the hotline has taken it in."""
    settings = svc.runtime.settings
    event = new_event(
        CaseAccountAssigned(case_id=case_id, project_id=project_id, enterprise_account=account)
    )
    await produce_raw(
        settings.kafka_bootstrap_servers,
        f"{settings.topic_prefix}.intake",
        [(case_id.encode(), event.to_bytes())],
    )

    async def stored() -> bool | None:
        async with svc.runtime.sessions() as session:
            owner = await session.get(CaseOwner, case_id)
            return True if owner is not None and owner.account == account else None

    await eventually(stored)


async def hotline_events(
    svc: RunningService, count: int, timeout: float = 30.0
) -> list[dict[str, Any]]:
    """The first `count` events on the hotline topic, each checked against the catalog."""
    events = await catalog_events(svc, "hotline", count, timeout)
    for event in events:
        assert event["subject"] == event["data"]["ticket_id"]
    return events
