"""Routes of the hotline API: parse, authorise, call a handler, commit, shape the response."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from enclave_shared.auth import Principal
from enclave_shared.deps import ClockDep, PageDep, RuntimeDep, SessionDep, set_total
from enclave_shared.errors import Invalid
from enclave_shared.outbox import OutboxSession
from fastapi import APIRouter, Query, Response

from services.hotline import handlers
from services.hotline.config import HotlineSettings
from services.hotline.deps import Admin, Agent, Caller, SettingsDep
from services.hotline.models import Ticket
from services.hotline.schemas import (
    Breach,
    CategoryPublic,
    EscalationPublic,
    Kind,
    MovePublic,
    NotePublic,
    Status,
    TicketCreate,
    TicketPublic,
    TicketStats,
)
from services.hotline.supervision import due_at, stats, sweep_once

router = APIRouter(prefix="/api/v1", tags=["hotline"])


def present(ticket: Ticket, settings: HotlineSettings, user: Principal) -> TicketPublic:
    """A ticket as the caller may see it: supervision notes stay with agents."""
    return TicketPublic(
        id=ticket.id,
        status=Status(ticket.status),
        kind=Kind(ticket.kind),
        channel=ticket.channel,
        category=ticket.category,
        description=ticket.description,
        enterprise_id=ticket.enterprise_id,
        project_id=ticket.project_id,
        case_id=ticket.case_id,
        reporter_sub=ticket.reporter_sub,
        department=ticket.department,
        resolution=ticket.resolution,
        rejection_reason=ticket.rejection_reason,
        opened_at=ticket.opened_at,
        accepted_at=ticket.accepted_at,
        routed_at=ticket.routed_at,
        resolved_at=ticket.resolved_at,
        closed_at=ticket.closed_at,
        updated_at=ticket.updated_at,
        accept_due_at=due_at(settings, ticket, Breach.ACCEPT),
        resolve_due_at=due_at(settings, ticket, Breach.RESOLVE),
        within_sla=ticket.within_sla,
        escalations=[
            EscalationPublic.model_validate(e, from_attributes=True) for e in ticket.escalations
        ],
        history=[MovePublic.model_validate(m, from_attributes=True) for m in ticket.history],
        notes=[NotePublic.model_validate(n, from_attributes=True) for n in ticket.notes]
        if handlers.is_agent(user)
        else [],
    )


async def reloaded(session: OutboxSession, ticket_id: str, user: Principal) -> Ticket:
    """The ticket as stored: after a commit its collections are read again."""
    session.expire_all()
    return await handlers.get(session, ticket_id=ticket_id, user=user)


@router.post("/tickets", status_code=201, response_model=TicketPublic)
async def open_ticket(
    body: TicketCreate, session: SessionDep, settings: SettingsDep, clock: ClockDep, user: Caller
) -> TicketPublic:
    """Open a ticket (enterprise on the web; agent taking a phone call)."""
    ticket = await handlers.create(
        session,
        settings=settings,
        user=user,
        category=body.category,
        description=body.description,
        channel=body.channel,
        case_id=body.case_id,
        project_id=body.project_id,
        enterprise_id=body.enterprise_id,
        now=clock(),
        opened_at=body.opened_at,
    )
    await session.commit()
    return present(await reloaded(session, ticket.id, user), settings, user)


@router.get("/tickets", response_model=list[TicketPublic])
async def list_tickets(
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    page: PageDep,
    user: Caller,
    case_id: str | None = None,
    project_id: str | None = None,
    enterprise_id: str | None = None,
    status: Annotated[list[Status] | None, Query(description="repeat for several")] = None,
    category: str | None = None,
    kind: Kind | None = None,
) -> list[TicketPublic]:
    """Tickets the caller may see (agents: all; enterprises: their own), oldest first."""
    tickets, total = await handlers.get_all(
        session,
        user=user,
        page=page,
        case_id=case_id,
        project_id=project_id,
        enterprise_id=enterprise_id,
        status=status or (),
        category=category,
        kind=kind,
    )
    set_total(response, total)
    return [present(t, settings, user) for t in tickets]


@router.get("/tickets/stats", response_model=TicketStats)
async def ticket_stats(
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    _user: Agent,
    from_: Annotated[date | None, Query(alias="from", description="opened on or after")] = None,
    to: Annotated[date | None, Query(description="opened on or before (UTC dates)")] = None,
) -> TicketStats:
    """Counts by status and category, SLA compliance, median hours to resolve."""
    if from_ is not None and to is not None and from_ > to:
        raise Invalid(f"from {from_} is after to {to}", field="from")
    return await stats(session, settings=settings, now=clock(), opened_from=from_, opened_to=to)


@router.get("/tickets/{ticket_id}", response_model=TicketPublic)
async def get_ticket(
    ticket_id: str, session: SessionDep, settings: SettingsDep, user: Caller
) -> TicketPublic:
    """One ticket with its history (404 for an enterprise's view of another's ticket)."""
    return present(await handlers.get(session, ticket_id=ticket_id, user=user), settings, user)


@router.get("/categories", response_model=list[CategoryPublic])
async def categories(settings: SettingsDep) -> list[CategoryPublic]:
    """The configured categories and their SLAs (public: callers pick one)."""
    return [
        CategoryPublic(
            code=c,
            name=settings.name_of(c),
            accept_hours=settings.sla_for(c).accept_hours,
            resolve_hours=settings.sla_for(c).resolve_hours,
        )
        for c in settings.categories
    ]


@router.post("/supervision/sweep")
async def run_sweep(runtime: RuntimeDep, _user: Admin) -> dict[str, object]:
    """Run the supervision sweep now (admin; it also runs every minute)."""
    result = await sweep_once(runtime)
    return {
        "escalated": [{"ticket_id": t, "breach": b.value} for t, b in result.escalated],
        "red_case_tickets": result.red_case_tickets,
    }
