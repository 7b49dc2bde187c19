"""Who did what: every service answers `GET /api/v1/audit` with the trail of its records.

The trail is written by the outbox (outbox.py): each event a change records adds a line
in the same transaction, with the request's caller (or `system`, for what a service does
by itself: an event's consequence, a periodic job) and the request id."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from enclave_shared.auth import Principal, Role, require
from enclave_shared.db import AuditEntry
from enclave_shared.deps import PageDep, RuntimeDep, SessionDep, paged, set_total
from enclave_shared.errors import Invalid

router = APIRouter(prefix="/api/v1", tags=["audit"])
Reader = Annotated[
    Principal,
    Depends(require(Role.ENCLAVE_OPERATOR, Role.ZONE_OFFICER, Role.HOTLINE_AGENT, Role.ASSESSOR)),
]


class AuditEntryPublic(BaseModel):
    """One change: which record, what happened (the event type), who, when, which request."""

    entity: str = Field(description="the record's name: project, talent, case, ticket, …")
    id: str = Field(description="the record's id")
    action: str = Field(description="the event the change recorded")
    event_id: str
    actor: str | None = Field(description="the caller's subject; none for the service itself")
    role: str = Field(description="the caller's role, or `system`")
    request_id: str | None
    at: datetime
    data: dict[str, Any] = Field(description="the event's payload: the record as changed")


@router.get("/audit")
async def audit_trail(
    session: SessionDep,
    runtime: RuntimeDep,
    response: Response,
    page: PageDep,
    _reader: Reader,
    entity: Annotated[str | None, Query(max_length=64)] = None,
    id: Annotated[str | None, Query(max_length=200)] = None,
    actor: Annotated[str | None, Query(max_length=200)] = None,
    from_: Annotated[date | None, Query(alias="from")] = None,
    to: date | None = None,
) -> list[AuditEntryPublic]:
    """The history of a record (`entity` and `id`), or of an actor, or of a period (business
    dates, both ends included), oldest first."""
    if from_ is not None and to is not None and from_ > to:
        raise Invalid(f"from ({from_}) is after to ({to})", field="from")
    zone = ZoneInfo(runtime.settings.time_zone)
    query = select(AuditEntry).order_by(AuditEntry.id)
    if entity is not None:
        query = query.where(AuditEntry.entity == entity)
    if id is not None:
        query = query.where(AuditEntry.entity_id == id)
    if actor is not None:
        query = query.where(AuditEntry.actor == actor)
    if from_ is not None:
        query = query.where(AuditEntry.at >= datetime.combine(from_, time(), zone))
    if to is not None:
        query = query.where(AuditEntry.at < datetime.combine(to + timedelta(days=1), time(), zone))
    rows, total = await paged(session, query, page)
    set_total(response, total)
    return [
        AuditEntryPublic(
            entity=r.entity,
            id=r.entity_id,
            action=r.action,
            event_id=r.event_id,
            actor=r.actor,
            role=r.role,
            request_id=r.request_id,
            at=r.at,
            data=json.loads(r.data),
        )
        for r in rows
    ]
