"""Routes that move a ticket through its lifecycle: the handler locks and moves it; the
desk (`deps.Desk`) commits and shows it as stored. The department's moves (sign, return, extension
request) are recorded by the hotline agent on the department's behalf."""

from __future__ import annotations

from typing import Annotated

from enclave_shared.errors import Invalid
from fastapi import APIRouter, Body

from services.hotline.deps import AgentDesk, CallerDesk
from services.hotline.domain.worktime import Limit
from services.hotline.handlers import extensions, lifecycle, revisits
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


OptionalMove = Annotated[MoveBody | None, Body()]
"""A move with nothing to say but, perhaps, its business time."""


@router.post("/tickets/{ticket_id}/acceptance", response_model=TicketPublic)
async def accept_ticket(ticket_id: str, desk: AgentDesk, body: OptionalMove = None) -> TicketPublic:
    """受理: opened → accepted (`at`: when, default now)."""
    return await desk.move(lifecycle.accept, ticket_id, body)


@router.post("/tickets/{ticket_id}/routing", response_model=TicketPublic)
async def route_ticket(ticket_id: str, body: TicketRouting, desk: AgentDesk) -> TicketPublic:
    """派单: accepted/routed → routed to a department (an opened ticket is accepted first)."""
    return await desk.move(lifecycle.route, ticket_id, body, department=body.department)


@router.post("/tickets/{ticket_id}/signing", response_model=TicketPublic)
async def sign_ticket(ticket_id: str, desk: AgentDesk, body: OptionalMove = None) -> TicketPublic:
    """签收: routed → signed, for the department (in time or not, against its sign limit)."""
    return await desk.move(lifecycle.sign, ticket_id, body)


@router.post("/tickets/{ticket_id}/return", response_model=TicketPublic)
async def return_ticket(ticket_id: str, body: TicketReturn, desk: AgentDesk) -> TicketPublic:
    """退单: routed → accepted, with the department's reason; the hotline routes it again."""
    return await desk.move(lifecycle.give_back, ticket_id, body, reason=body.reason)


@router.post("/tickets/{ticket_id}/extension-requests", response_model=TicketPublic)
async def request_extension(
    ticket_id: str, body: ExtensionRequest, desk: AgentDesk
) -> TicketPublic:
    """延期申请: a signed ticket's department asks for `hours` or `days` more working time."""
    if (body.hours is None) == (body.days is None):
        raise Invalid("give either hours or days", field="days")
    extra = Limit(hours=body.hours, days=body.days)
    return await desk.move(extensions.request, ticket_id, body, reason=body.reason, extra=extra)


@router.post("/tickets/{ticket_id}/extension-decision", response_model=TicketPublic)
async def decide_extension(
    ticket_id: str, body: ExtensionDecision, desk: AgentDesk
) -> TicketPublic:
    """延期审批: approve (the resolve deadline moves) or refuse the pending request."""
    return await desk.move(extensions.decide, ticket_id, body, approve=body.approve, note=body.note)


@router.post("/tickets/{ticket_id}/resolution", response_model=TicketPublic)
async def resolve_ticket(ticket_id: str, body: TicketResolution, desk: AgentDesk) -> TicketPublic:
    """办结: signed → resolved (a routed ticket is signed first); emits TicketResolved."""
    return await desk.move(lifecycle.resolve, ticket_id, body, summary=body.summary)


@router.post("/tickets/{ticket_id}/revisits", response_model=TicketPublic)
async def revisit_ticket(ticket_id: str, body: RevisitCreate, desk: AgentDesk) -> TicketPublic:
    """回访: satisfied/basically satisfied close it; dissatisfied sends it back (发回重办);
    unreachable counts an attempt (and closes it after the last)."""
    return await desk.move(revisits.revisit, ticket_id, body, result=body.result, note=body.note)


@router.post("/tickets/{ticket_id}/rejection", response_model=TicketPublic)
async def reject_ticket(ticket_id: str, body: TicketRejection, desk: AgentDesk) -> TicketPublic:
    """opened/accepted/routed → rejected, with a reason."""
    return await desk.move(lifecycle.reject, ticket_id, body, reason=body.reason)


@router.post("/tickets/{ticket_id}/closure", response_model=TicketPublic)
async def close_ticket(
    ticket_id: str, desk: CallerDesk, body: Annotated[TicketClosing | None, Body()] = None
) -> TicketPublic:
    """resolved → closed without a revisit: an agent gives the reason (`comment`); the
    enterprise that raised the ticket closes it by confirming."""
    return await desk.move(lifecycle.close, ticket_id, body, comment=body.comment if body else None)


@router.post("/tickets/{ticket_id}/notes", status_code=201, response_model=TicketPublic)
async def add_note(ticket_id: str, body: NoteCreate, desk: AgentDesk) -> TicketPublic:
    """A supervisor's (督办) note on a ticket."""
    moved = await lifecycle.add_note(
        desk.session, ticket_id=ticket_id, user=desk.user, text=body.text, now=desk.clock()
    )
    return await desk.committed(moved)
