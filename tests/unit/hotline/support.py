"""Helpers for the hotline's unit tier: callers, settings, and a ticket opened by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from enclave_shared.auth import Principal, Role
from enclave_shared.outbox import OutboxSession

from services.hotline.config import HotlineSettings
from services.hotline.handlers import tickets
from services.hotline.models import Ticket

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
AGENT = Principal(role=Role.HOTLINE_AGENT, sub="agent-li")
ADMIN = Principal(role=Role.ADMIN, sub="root")


def enterprise(sub: str = "ent-1") -> Principal:
    return Principal(role=Role.ENTERPRISE, sub=sub)


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


def types(events: list[Any]) -> list[str]:
    return [e.type for e in events]
