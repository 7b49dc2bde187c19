"""Routes that move a ticket through its lifecycle: the handler locks and moves it; the
route commits and shows it as stored. The department's moves (sign, return, extension
request) are recorded by the hotline agent on the department's behalf."""

from __future__ import annotations

from typing import Annotated

from enclave_shared.app import Clock
from enclave_shared.auth import Principal
from enclave_shared.deps import ClockDep, SessionDep
from enclave_shared.errors import Invalid
from enclave_shared.outbox import OutboxSession
from fastapi import APIRouter, Body

from services.hotline.config import HotlineSettings
from services.hotline.deps import Agent, Caller, SettingsDep
from services.hotline.domain import sees_caller
from services.hotline.domain.worktime import Limit
from services.hotline.handlers import extensions, lifecycle, revisits, tickets
from services.hotline.models import Ticket
from services.hotline.schemas import (
    ExtensionDecision,
    ExtensionRequest,
    MoveBody,
    NoteCreate,
    RevisitCreate,
    TicketClosing,
    TicketPublic,
    TicketRejection,
    TicketResolution,
    TicketReturn,
    TicketRouting,
)

router = APIRouter(prefix="/api/v1", tags=["hotline"])


async def _committed(
    session: OutboxSession,
    moved: Ticket,
    settings: HotlineSettings,
    user: Principal,
    clock: Clock,
) -> TicketPublic:
    """Commit the move and show the ticket as stored."""
    await session.commit()
    stored = await tickets.reloaded(session, ticket_id=moved.id, user=user)
    return TicketPublic.of(stored, settings, user, now=clock(), full_caller=sees_caller(user))


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
        session,
        ticket_id=ticket_id,
        user=user,
        settings=settings,
        now=clock(),
        at=body.at if body else None,
    )
    return await _committed(session, moved, settings, user, clock)


@router.post("/tickets/{ticket_id}/routing", response_model=TicketPublic)
async def route_ticket(
    ticket_id: str,
    body: TicketRouting,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    user: Agent,
) -> TicketPublic:
    """派单: accepted/routed → routed to a department (an opened ticket is accepted first)."""
    moved = await lifecycle.route(
        session,
        ticket_id=ticket_id,
        user=user,
        department=body.department,
        settings=settings,
        now=clock(),
        at=body.at,
    )
    return await _committed(session, moved, settings, user, clock)


@router.post("/tickets/{ticket_id}/signing", response_model=TicketPublic)
async def sign_ticket(
    ticket_id: str,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    user: Agent,
    body: Annotated[MoveBody | None, Body()] = None,
) -> TicketPublic:
    """签收: routed → signed, for the department (in time or not, against its sign limit)."""
    moved = await lifecycle.sign(
        session,
        ticket_id=ticket_id,
        user=user,
        settings=settings,
        now=clock(),
        at=body.at if body else None,
    )
    return await _committed(session, moved, settings, user, clock)


@router.post("/tickets/{ticket_id}/return", response_model=TicketPublic)
async def return_ticket(
    ticket_id: str,
    body: TicketReturn,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    user: Agent,
) -> TicketPublic:
    """退单: routed → accepted, with the department's reason; the hotline routes it again."""
    moved = await lifecycle.give_back(
        session,
        ticket_id=ticket_id,
        user=user,
        reason=body.reason,
        settings=settings,
        now=clock(),
        at=body.at,
    )
    return await _committed(session, moved, settings, user, clock)


@router.post("/tickets/{ticket_id}/extension-requests", response_model=TicketPublic)
async def request_extension(
    ticket_id: str,
    body: ExtensionRequest,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    user: Agent,
) -> TicketPublic:
    """延期申请: a signed ticket's department asks for `hours` or `days` more working time."""
    if (body.hours is None) == (body.days is None):
        raise Invalid("give either hours or days", field="days")
    moved = await extensions.request(
        session,
        ticket_id=ticket_id,
        user=user,
        reason=body.reason,
        extra=Limit(hours=body.hours, days=body.days),
        settings=settings,
        now=clock(),
        at=body.at,
    )
    return await _committed(session, moved, settings, user, clock)


@router.post("/tickets/{ticket_id}/extension-decision", response_model=TicketPublic)
async def decide_extension(
    ticket_id: str,
    body: ExtensionDecision,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    user: Agent,
) -> TicketPublic:
    """延期审批: approve (the resolve deadline moves) or refuse the pending request."""
    moved = await extensions.decide(
        session,
        ticket_id=ticket_id,
        user=user,
        approve=body.approve,
        note=body.note,
        settings=settings,
        now=clock(),
        at=body.at,
    )
    return await _committed(session, moved, settings, user, clock)


@router.post("/tickets/{ticket_id}/resolution", response_model=TicketPublic)
async def resolve_ticket(
    ticket_id: str,
    body: TicketResolution,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    user: Agent,
) -> TicketPublic:
    """办结: signed → resolved (a routed ticket is signed first); emits TicketResolved."""
    moved = await lifecycle.resolve(
        session,
        ticket_id=ticket_id,
        user=user,
        summary=body.summary,
        settings=settings,
        now=clock(),
        at=body.at,
    )
    return await _committed(session, moved, settings, user, clock)


@router.post("/tickets/{ticket_id}/revisits", response_model=TicketPublic)
async def revisit_ticket(
    ticket_id: str,
    body: RevisitCreate,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    user: Agent,
) -> TicketPublic:
    """回访: satisfied/basically satisfied close it; dissatisfied sends it back (发回重办);
    unreachable counts an attempt (and closes it after the last)."""
    moved = await revisits.revisit(
        session,
        ticket_id=ticket_id,
        user=user,
        result=body.result,
        note=body.note,
        settings=settings,
        now=clock(),
        at=body.at,
    )
    return await _committed(session, moved, settings, user, clock)


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
        session,
        ticket_id=ticket_id,
        user=user,
        reason=body.reason,
        settings=settings,
        now=clock(),
        at=body.at,
    )
    return await _committed(session, moved, settings, user, clock)


@router.post("/tickets/{ticket_id}/closure", response_model=TicketPublic)
async def close_ticket(
    ticket_id: str,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    user: Caller,
    body: Annotated[TicketClosing | None, Body()] = None,
) -> TicketPublic:
    """resolved → closed without a revisit: an agent gives the reason (`comment`); the
    enterprise that raised the ticket closes it by confirming."""
    closing = body or TicketClosing()
    moved = await lifecycle.close(
        session,
        ticket_id=ticket_id,
        user=user,
        comment=closing.comment,
        settings=settings,
        now=clock(),
        at=closing.at,
    )
    return await _committed(session, moved, settings, user, clock)


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
    return await _committed(session, moved, settings, user, clock)
