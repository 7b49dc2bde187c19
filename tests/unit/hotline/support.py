"""Helpers for the hotline's tests: callers, settings, a ticket opened by hand, and the
intake payloads its consumer reads (the broker suite in tests/hotline uses them too)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from enclave_shared.auth import Principal, Role
from enclave_shared.catalog.incubation import IntakePath
from enclave_shared.catalog.intake import (
    CaseAccountAssigned,
    EnterpriseSettled,
    OutcomeTransferred,
)
from enclave_shared.outbox import OutboxSession

from services.hotline.config import HotlineSettings
from services.hotline.domain.worktime import WorkCalendar
from services.hotline.handlers import intake_events, tickets
from services.hotline.models import Ticket

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
AGENT = Principal(role=Role.HOTLINE_AGENT, sub="agent-li")
ADMIN = Principal(role=Role.ADMIN, sub="root")


def enterprise(sub: str = "ent-1") -> Principal:
    return Principal(role=Role.ENTERPRISE, sub=sub)


def package_last_year() -> int:
    """The last year the installed chinesecalendar knows (its own data, no calendar file)."""
    return WorkCalendar(time_zone="Asia/Shanghai", office_hours=[]).coverage(2021).until.year


def clock_on(day: date) -> time_machine.travel:
    """The process's clock (`datetime.now`, `time.time`) at 09:00 China time on `day`, running
    on from there: what the start-up check of the calendar in HotlineSettings reads."""
    return time_machine.travel(datetime.combine(day, time(9), ZoneInfo("Asia/Shanghai")))


def settings() -> HotlineSettings:
    """The default configuration in the platform's time zone (Asia/Shanghai)."""
    return HotlineSettings(service="hotline", time_zone="Asia/Shanghai")


async def opened(
    session: OutboxSession, user: Principal = AGENT, now: datetime = NOW, **fields: Any
) -> Ticket:
    """A ticket opened by `user` (tax, by default), not yet committed."""
    values: dict[str, Any] = {
        "category": "tax",
        "description": "invoice quota too low",
        "channel": None,
        "case_id": None,
        "project_id": None,
        "enterprise_id": None,
        **fields,
    }
    return await tickets.create(session, settings=settings(), user=user, now=now, **values)


async def owns(
    session: OutboxSession, account: str | None, case_id: str = "C1", project_id: str = "P1"
) -> None:
    """Intake gave case `case_id` (of project `project_id`) to `account`, as its event says."""
    assigned = CaseAccountAssigned(
        case_id=case_id, project_id=project_id, enterprise_account=account
    )
    await intake_events.assign_owner(session, assigned=assigned)


def types(events: list[Any]) -> list[str]:
    return [e.type for e in events]


def settled(case_id: str = "C1", signed_on: date = date(2026, 3, 1)) -> EnterpriseSettled:
    """The settlement of case `case_id` as intake reports it."""
    return EnterpriseSettled(
        case_id=case_id,
        project_id="P1",
        path=IntakePath.DIRECTED,
        enterprise="Gazelle Tech",
        signed_on=signed_on,
    )


def transferred(
    case_id: str, project_id: str = "P1", enterprise: str = "Local Steel"
) -> OutcomeTransferred:
    """An order project's outcome transferred into case `case_id`, signed on 1 March 2026."""
    return OutcomeTransferred(
        case_id=case_id,
        project_id=project_id,
        path=IntakePath.ORDER,
        enterprise=enterprise,
        signed_on=date(2026, 3, 1),
    )
