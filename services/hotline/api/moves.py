"""Routes that move a ticket through its lifecycle: the handler locks and moves it; the
route commits and shows it as stored."""

from __future__ import annotations

from typing import Annotated

from enclave_shared.auth import Principal
from enclave_shared.deps import ClockDep, SessionDep
from enclave_shared.outbox import OutboxSession
from fastapi import APIRouter, Body

from services.hotline.config import HotlineSettings
from services.hotline.deps import Agent, Caller, SettingsDep
from services.hotline.handlers import lifecycle, tickets
from services.hotline.models import Ticket
from services.hotline.schemas import (
    MoveBody,
    NoteCreate,
    TicketClosing,
    TicketPublic,
    TicketRejection,
    TicketResolution,
    TicketRouting,
)

router = APIRouter(prefix="/api/v1", tags=["hotline"])


async def _committed(
    session: OutboxSession, moved: Ticket, settings: HotlineSettings, user: Principal
) -> TicketPublic:
    """Commit the move and show the ticket as stored."""
    await session.commit()
    stored = await tickets.reloaded(session, ticket_id=moved.id, user=user)
    return TicketPublic.of(stored, settings, user)


@router.post("/tickets/{ticket_id}/acceptance", response_model=TicketPublic)
async def accept_ticket(
    ticket_id: str,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    user: Agent,
    body: Annotated[MoveBody | None, Body()] = None,
) -> TicketPublic:
    """受理: opened → accepted (`at`: when, default now)."""
    moved = await lifecycle.accept(
        session, ticket_id=ticket_id, user=user, now=clock(), at=body.at if body else None
    )
    return await _committed(session, moved, settings, user)


@router.post("/tickets/{ticket_id}/routing", response_model=TicketPublic)
async def route_ticket(
    ticket_id: str,
    body: TicketRouting,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    user: Agent,
) -> TicketPublic:
    """分流: accepted/routed → routed to a department (an opened ticket is accepted first)."""
    moved = await lifecycle.route(
        session,
        ticket_id=ticket_id,
        user=user,
        department=body.department,
        now=clock(),
        at=body.at,
    )
    return await _committed(session, moved, settings, user)


@router.post("/tickets/{ticket_id}/resolution", response_model=TicketPublic)
async def resolve_ticket(
    ticket_id: str,
    body: TicketResolution,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    user: Agent,
) -> TicketPublic:
    """routed → resolved, with a summary; emits TicketResolved with `within_sla`."""
    moved = await lifecycle.resolve(
        session,
        ticket_id=ticket_id,
        user=user,
        summary=body.summary,
        settings=settings,
        now=clock(),
        at=body.at,
    )
    return await _committed(session, moved, settings, user)


@router.post("/tickets/{ticket_id}/rejection", response_model=TicketPublic)
async def reject_ticket(
    ticket_id: str,
    body: TicketRejection,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    user: Agent,
) -> TicketPublic:
    """opened/accepted/routed → rejected, with a reason."""
    moved = await lifecycle.reject(
        session, ticket_id=ticket_id, user=user, reason=body.reason, now=clock(), at=body.at
    )
    return await _committed(session, moved, settings, user)


@router.post("/tickets/{ticket_id}/closure", response_model=TicketPublic)
async def close_ticket(
    ticket_id: str,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    user: Caller,
    body: Annotated[TicketClosing | None, Body()] = None,
) -> TicketPublic:
    """resolved → closed, by an agent or by the enterprise that raised the ticket."""
    closing = body or TicketClosing()
    moved = await lifecycle.close(
        session,
        ticket_id=ticket_id,
        user=user,
        comment=closing.comment,
        now=clock(),
        at=closing.at,
    )
    return await _committed(session, moved, settings, user)


@router.post("/tickets/{ticket_id}/notes", status_code=201, response_model=TicketPublic)
async def add_note(
    ticket_id: str,
    body: NoteCreate,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    user: Agent,
) -> TicketPublic:
    """A supervisor's (督办) note on a ticket."""
    moved = await lifecycle.add_note(
        session, ticket_id=ticket_id, user=user, text=body.text, now=clock()
    )
    return await _committed(session, moved, settings, user)
