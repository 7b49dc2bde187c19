"""Routes that correct a ticket (`PATCH`, the changed fields and a reason) or void one
entered by mistake (`DELETE`, with a reason in the query or the body). Nothing is deleted."""

from __future__ import annotations

from enclave_shared.corrections import VoidReason
from enclave_shared.deps import ClockDep, SessionDep
from fastapi import APIRouter

from services.hotline.deps import Agent, SettingsDep
from services.hotline.domain import sees_caller
from services.hotline.handlers import corrections, tickets
from services.hotline.schemas import TicketCorrection, TicketPublic

router = APIRouter(prefix="/api/v1", tags=["hotline"])


@router.patch("/tickets/{ticket_id}", response_model=TicketPublic)
async def correct_ticket(
    ticket_id: str,
    body: TicketCorrection,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    user: Agent,
) -> TicketPublic:
    """Correct a ticket's category or request type (the changed fields, with a reason)."""
    row = await corrections.correct_ticket(
        session, ticket_id=ticket_id, body=body, settings=settings, now=clock()
    )
    await session.commit()
    stored = await tickets.reloaded(session, ticket_id=row.id, user=user)
    return TicketPublic.of(stored, settings, user, now=clock(), full_caller=sees_caller(user))


@router.delete("/tickets/{ticket_id}", response_model=TicketPublic)
async def void_ticket(
    ticket_id: str,
    reason: VoidReason,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    user: Agent,
) -> TicketPublic:
    """Void a ticket entered by mistake: it stays, marked void, out of lists and figures."""
    row = await corrections.void_ticket(session, ticket_id=ticket_id, reason=reason, now=clock())
    await session.commit()
    stored = await tickets.reloaded(session, ticket_id=row.id, user=user)
    return TicketPublic.of(stored, settings, user, now=clock(), full_caller=sees_caller(user))
