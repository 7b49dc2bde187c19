"""Routes that move a ticket through its lifecycle: lock it, move it, commit, show it stored."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from enclave_shared.auth import Principal
from enclave_shared.deps import ClockDep, SessionDep
from enclave_shared.outbox import OutboxSession
from fastapi import APIRouter, Body

from services.hotline import handlers, lifecycle
from services.hotline.api import present, reloaded
from services.hotline.config import HotlineSettings
from services.hotline.deps import Agent, Caller, SettingsDep
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


async def _moved(
    session: OutboxSession,
    settings: HotlineSettings,
    ticket_id: str,
    user: Principal,
    move: Callable[[Ticket], Awaitable[object]],
) -> TicketPublic:
    """The ticket locked, moved by `move`, committed and shown as stored."""
    ticket = await handlers.get(session, ticket_id=ticket_id, user=user, for_update=True)
    await move(ticket)
    await session.commit()
    return present(await reloaded(session, ticket_id, user), settings, user)


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
    at = body.at if body else None
    return await _moved(
        session,
        settings,
        ticket_id,
        user,
        lambda t: lifecycle.accept(ticket=t, user=user, now=clock(), at=at),
    )


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
    return await _moved(
        session,
        settings,
        ticket_id,
        user,
        lambda t: lifecycle.route(
            session, ticket=t, user=user, department=body.department, now=clock(), at=body.at
        ),
    )


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
    return await _moved(
        session,
        settings,
        ticket_id,
        user,
        lambda t: lifecycle.resolve(
            session,
            ticket=t,
            user=user,
            summary=body.summary,
            settings=settings,
            now=clock(),
            at=body.at,
        ),
    )


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
    return await _moved(
        session,
        settings,
        ticket_id,
        user,
        lambda t: lifecycle.reject(
            ticket=t, user=user, reason=body.reason, now=clock(), at=body.at
        ),
    )


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
    return await _moved(
        session,
        settings,
        ticket_id,
        user,
        lambda t: lifecycle.close(
            ticket=t, user=user, comment=closing.comment, now=clock(), at=closing.at
        ),
    )


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
    return await _moved(
        session,
        settings,
        ticket_id,
        user,
        lambda t: lifecycle.add_note(ticket=t, user=user, text=body.text, now=clock()),
    )
