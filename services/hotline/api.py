"""Routes of the hotline API: parse, authorise, call a handler, commit, shape the response."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated

from enclave_shared.auth import Principal
from enclave_shared.deps import ClockDep, PageDep, RuntimeDep, SessionDep, set_total
from enclave_shared.errors import Invalid
from fastapi import APIRouter, Body, Query, Response
from sqlalchemy.ext.asyncio import AsyncSession

from services.hotline import handlers, lifecycle
from services.hotline.config import HotlineSettings
from services.hotline.deps import Admin, Agent, Caller, SettingsDep
from services.hotline.models import Ticket
from services.hotline.schemas import (
    Breach,
    CategoryPublic,
    EscalationPublic,
    Kind,
    MoveBody,
    MovePublic,
    NoteCreate,
    NotePublic,
    Status,
    TicketClosing,
    TicketCreate,
    TicketPublic,
    TicketRejection,
    TicketResolution,
    TicketRouting,
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


async def _reload(session: AsyncSession, ticket_id: str, user: Principal) -> Ticket:
    # after commit the collections are re-read, so the response shows what was stored
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
    return present(await _reload(session, ticket.id, user), settings, user)


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


async def _moved(
    session: AsyncSession,
    settings: HotlineSettings,
    ticket_id: str,
    user: Principal,
    move: Callable[[Ticket], Awaitable[object]],
) -> TicketPublic:
    """The ticket locked, moved by `move`, committed and shown as stored."""
    ticket = await handlers.get(session, ticket_id=ticket_id, user=user, for_update=True)
    await move(ticket)
    await session.commit()
    return present(await _reload(session, ticket_id, user), settings, user)


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
