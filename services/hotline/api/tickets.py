"""Routes of the ticket API: open, list, read, stats, figures, categories, the calendar's
reach, the sweep."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from enclave_shared.corrections import IncludeVoid
from enclave_shared.deps import ClockDep, ListPageDep, SessionDep, TodayDep
from fastapi import APIRouter, Query

from services.hotline.deps import Admin, Agent, CallerDesk, Reader, SettingsDep
from services.hotline.domain import Kind, RequestType, Status, sees_caller
from services.hotline.handlers import figures, stats, supervision, tickets
from services.hotline.schemas import (
    CalendarPublic,
    CategoryPublic,
    FiguresReport,
    TicketCreate,
    TicketPublic,
    TicketStats,
)

router = APIRouter(prefix="/api/v1", tags=["hotline"])


@router.post("/tickets", status_code=201, response_model=TicketPublic)
async def open_ticket(body: TicketCreate, desk: CallerDesk) -> TicketPublic:
    """Open a ticket (受理登记: an enterprise on the web; an agent taking a call or a visit)."""
    ticket = await tickets.create(
        desk.session,
        settings=desk.settings,
        user=desk.user,
        category=body.category,
        description=body.description,
        channel=body.channel,
        case_id=body.case_id,
        project_id=body.project_id,
        enterprise_id=body.enterprise_id,
        now=desk.clock(),
        opened_at=body.opened_at,
        request_type=body.request_type,
        caller_name=body.caller_name,
        callback_number=body.callback_number,
    )
    return await desk.committed(ticket)


@router.get("/tickets", response_model=list[TicketPublic])
async def list_tickets(
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    page: ListPageDep,
    user: Reader,
    case_id: str | None = None,
    project_id: str | None = None,
    enterprise_id: str | None = None,
    status: Annotated[list[Status] | None, Query(description="repeat for several")] = None,
    category: str | None = None,
    kind: Kind | None = None,
    request_type: RequestType | None = None,
    department: str | None = None,
    include_void: IncludeVoid = False,
    from_: Annotated[
        date | None, Query(alias="from", description="opened on or after (business date)")
    ] = None,
    to: Annotated[date | None, Query(description="opened on or before (business date)")] = None,
    resolved: Annotated[
        bool | None, Query(description="resolved now (resolved, or closed after it), as counted")
    ] = None,
    escalated: Annotated[
        bool | None, Query(description="supervised (督办, level 1 or higher) at least once")
    ] = None,
) -> list[TicketPublic]:
    """Tickets the caller may see (agents: all; enterprises: their own), oldest first, void
    ones only with `include_void`; the caller's number is masked in lists, for every role."""
    rows, total = await tickets.get_all(
        session,
        user=user,
        page=page.params,
        case_id=case_id,
        project_id=project_id,
        enterprise_id=enterprise_id,
        status=status or (),
        category=category,
        kind=kind,
        request_type=request_type,
        department=department,
        include_void=include_void,
        opened=tickets.opened_between(settings.time_zone, from_, to),
        resolved=resolved,
        escalated=escalated,
    )
    now = clock()
    shown = [TicketPublic.of(t, settings, user, now=now) for t in rows]  # masked, clocked
    return page.shaped(TicketPublic, (shown, total))


@router.get("/tickets/stats", response_model=TicketStats)
async def ticket_stats(
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    _user: Agent,
    from_: Annotated[date | None, Query(alias="from", description="opened on or after")] = None,
    to: Annotated[date | None, Query(description="opened on or before (UTC dates)")] = None,
) -> TicketStats:
    """Counts by status and category, compliance with the limits, median hours to resolve."""
    return await stats.stats(
        session, settings=settings, now=clock(), opened_from=from_, opened_to=to
    )


@router.get("/figures", response_model=FiguresReport)
async def hotline_figures(
    session: SessionDep,
    settings: SettingsDep,
    _user: Agent,
    from_: Annotated[date | None, Query(alias="from", description="opened on or after")] = None,
    to: Annotated[date | None, Query(description="opened on or before (business dates)")] = None,
) -> FiguresReport:
    """按时签收率, 按时办结率, 办结率, 回访率, 满意率, 发回重办率 and the median working time to
    resolve, overall and per department (ranked), of the tickets opened in the period."""
    return await figures.figures(session, settings=settings, opened_from=from_, opened_to=to)


@router.get("/tickets/{ticket_id}", response_model=TicketPublic)
async def get_ticket(
    ticket_id: str, session: SessionDep, settings: SettingsDep, clock: ClockDep, user: Reader
) -> TicketPublic:
    """One ticket with its history (404 for an enterprise's view of another's ticket); the
    hotline agent sees the caller in full here."""
    ticket = await tickets.get(session, ticket_id=ticket_id, user=user)
    return TicketPublic.of(ticket, settings, user, now=clock(), full_caller=sees_caller(user))


@router.get("/categories", response_model=list[CategoryPublic])
async def categories(settings: SettingsDep) -> list[CategoryPublic]:
    """The configured categories and their time limits (public: callers pick one)."""
    return [CategoryPublic.of(code, settings) for code in settings.categories]


@router.get("/calendar", response_model=CalendarPublic)
async def calendar(settings: SettingsDep, today: TodayDep, _user: Agent) -> CalendarPublic:
    """How far the working-day calendar reaches and whether it runs out soon (agents and
    admins: the console's banner; monitoring reads the gauge on /metrics)."""
    return CalendarPublic.of(settings, today)


@router.post("/supervision/sweep")
async def run_sweep(
    session: SessionDep, settings: SettingsDep, clock: ClockDep, _user: Admin
) -> dict[str, object]:
    """Run the supervision sweep now (admin; it also runs every minute)."""
    result = await supervision.supervise(session, settings=settings, now=clock())
    await session.commit()
    result.count_breaches()
    return {
        "escalated": [
            {"ticket_id": t, "breach": b.value, "level": level} for t, b, level in result.escalated
        ],
        "red_case_tickets": result.red_case_tickets,
    }
