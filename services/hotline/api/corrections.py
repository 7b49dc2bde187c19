"""Routes that correct a ticket (`PATCH`, the changed fields and a reason) or void one
entered by mistake (`DELETE`, with a reason in the query or the body). Nothing is deleted."""

from __future__ import annotations

from enclave_shared.corrections import VoidReason
from fastapi import APIRouter

from services.hotline.deps import AgentDesk
from services.hotline.handlers import corrections
from services.hotline.schemas import TicketCorrection, TicketPublic

router = APIRouter(prefix="/api/v1", tags=["hotline"])


@router.patch("/tickets/{ticket_id}", response_model=TicketPublic)
async def correct_ticket(ticket_id: str, body: TicketCorrection, desk: AgentDesk) -> TicketPublic:
    """Correct a ticket's category or request type (the changed fields, with a reason)."""
    row = await corrections.correct_ticket(
        desk.session, ticket_id=ticket_id, body=body, settings=desk.settings, now=desk.clock()
    )
    return await desk.committed(row)


@router.delete("/tickets/{ticket_id}", response_model=TicketPublic)
async def void_ticket(ticket_id: str, reason: VoidReason, desk: AgentDesk) -> TicketPublic:
    """Void a ticket entered by mistake: it stays, marked void, out of lists and figures."""
    row = await corrections.void_ticket(
        desk.session, ticket_id=ticket_id, reason=reason, now=desk.clock()
    )
    return await desk.committed(row)
