"""Routes of the ticket API: open, list, read, stats, categories, the sweep."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from enclave_shared.deps import ClockDep, PageDep, SessionDep, set_total
from fastapi import APIRouter, Query, Response

from services.hotline.deps import Admin, Agent, Caller, Reader, SettingsDep
from services.hotline.domain import Kind, Status
from services.hotline.handlers import stats, supervision, tickets
from services.hotline.schemas import CategoryPublic, TicketCreate, TicketPublic, TicketStats

router = APIRouter(prefix="/api/v1", tags=["hotline"])


@router.post("/tickets", status_code=201, response_model=TicketPublic)
async def open_ticket(
    body: TicketCreate, session: SessionDep, settings: SettingsDep, clock: ClockDep, user: Caller
) -> TicketPublic:
    """Open a ticket (enterprise on the web; agent taking a phone call)."""
    ticket = await tickets.create(
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
    stored = await tickets.reloaded(session, ticket_id=ticket.id, user=user)
    return TicketPublic.of(stored, settings, user)


@router.get("/tickets", response_model=list[TicketPublic])
async def list_tickets(
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    page: PageDep,
    user: Reader,
    case_id: str | None = None,
    project_id: str | None = None,
    enterprise_id: str | None = None,
    status: Annotated[list[Status] | None, Query(description="repeat for several")] = None,
    category: str | None = None,
    kind: Kind | None = None,
) -> list[TicketPublic]:
    """Tickets the caller may see (agents: all; enterprises: their own), oldest first."""
    rows, total = await tickets.get_all(
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
    return [TicketPublic.of(t, settings, user) for t in rows]


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
    return await stats.stats(
        session, settings=settings, now=clock(), opened_from=from_, opened_to=to
    )


@router.get("/tickets/{ticket_id}", response_model=TicketPublic)
async def get_ticket(
    ticket_id: str, session: SessionDep, settings: SettingsDep, user: Reader
) -> TicketPublic:
    """One ticket with its history (404 for an enterprise's view of another's ticket)."""
    ticket = await tickets.get(session, ticket_id=ticket_id, user=user)
    return TicketPublic.of(ticket, settings, user)


@router.get("/categories", response_model=list[CategoryPublic])
async def categories(settings: SettingsDep) -> list[CategoryPublic]:
    """The configured categories and their SLAs (public: callers pick one)."""
    return [CategoryPublic.of(code, settings) for code in settings.categories]


@router.post("/supervision/sweep")
async def run_sweep(
    session: SessionDep, settings: SettingsDep, clock: ClockDep, _user: Admin
) -> dict[str, object]:
    """Run the supervision sweep now (admin; it also runs every minute)."""
    result = await supervision.supervise(session, settings=settings, now=clock())
    await session.commit()
    return {
        "escalated": [{"ticket_id": t, "breach": b.value} for t, b in result.escalated],
        "red_case_tickets": result.red_case_tickets,
    }
