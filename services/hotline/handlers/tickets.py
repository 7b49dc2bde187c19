"""Tickets: who sees which, opening (by a caller, or one ticket per business fact), reading.

An enterprise sees the tickets about it: those it opened, those opened for it (`enterprise_id`
its account), and every ticket about a case or project intake gave its account (`CaseOwner`),
whoever opened it; it attaches its own tickets to those cases and projects only (403)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from enclave_shared.auth import Principal, Role
from enclave_shared.catalog.hotline import TicketOpened
from enclave_shared.corrections import standing
from enclave_shared.deps import PageParams, paged
from enclave_shared.errors import Forbidden, Invalid
from enclave_shared.events import CloudEvent
from enclave_shared.outbox import OutboxSession
from enclave_shared.queries import found, where_given
from sqlalchemy import ColumnElement, Select, false, or_, select
from sqlalchemy.orm import InstrumentedAttribute, raiseload

from services.hotline.config import EVENT_CATEGORY, HotlineSettings
from services.hotline.domain import (
    SYSTEM,
    Breach,
    Channel,
    Kind,
    RequestType,
    Status,
    business_time,
    is_agent,
    new_ticket_id,
)
from services.hotline.domain.worktime import CalendarMissing
from services.hotline.models import CaseOwner, Escalation, Ticket, TicketMove

MAX_SUB = 200  # the reporter column's width
ROWS_ONLY = [
    raiseload(rel)
    for rel in (
        Ticket.history,
        Ticket.notes,
        Ticket.escalations,
        Ticket.extensions,
        Ticket.revisits,
    )
]
"""Query options for counts over many tickets: their rows, not their collections."""


def visible_tickets(user: Principal) -> Select[Ticket]:
    """The tickets the caller may see, as a query to filter further: agents, admin and the
    district leader all; zone officers those about a case; an enterprise those it opened,
    those opened for it, and those about a case or project its account owns."""
    query = select(Ticket)
    if is_agent(user):
        return query
    if user.role is Role.ZONE_OFFICER:
        return query.where(Ticket.case_id.is_not(None))
    if user.role is not Role.ENTERPRISE or not user.sub:
        return query.where(false())
    mine = user.sub
    owned = select(CaseOwner).where(CaseOwner.account == mine)
    return query.where(
        or_(
            Ticket.reporter_sub == mine,
            Ticket.enterprise_id == mine,
            Ticket.case_id.in_(owned.with_only_columns(CaseOwner.case_id)),
            Ticket.project_id.in_(owned.with_only_columns(CaseOwner.project_id)),
        )
    )


async def _ensure_owned(
    session: OutboxSession,
    account: str,
    field: str,
    value: str | None,
    column: InstrumentedAttribute[str],
) -> None:
    """403 unless the case (or project) `value` is known to the hotline as `account`'s."""
    if value is None:
        return
    owners = set((await session.scalars(select(CaseOwner.account).where(column == value))).all())
    if account in owners:
        return
    what = "case" if field == "case_id" else "project"
    if owners - {None}:
        why = f"{what} {value} belongs to another enterprise"
    else:
        why = f"{what} {value} is not known to the hotline as yours (intake gave it no account)"
    raise Forbidden(
        f"{field}: {why}; an enterprise attaches tickets to its own case or project only",
        field=field,
    )


def opened_between(
    time_zone: str, opened_from: date | None, opened_to: date | None
) -> list[ColumnElement[bool]]:
    """WHERE clauses for the tickets opened from `opened_from` to `opened_to` (business dates
    in `time_zone`, both included; either end open); 422 when `from` is after `to`."""
    if opened_from is not None and opened_to is not None and opened_from > opened_to:
        raise Invalid(f"from {opened_from} is after to {opened_to}", field="from")
    zone = ZoneInfo(time_zone)
    conditions: list[ColumnElement[bool]] = []
    if opened_from is not None:
        conditions.append(Ticket.opened_at >= datetime.combine(opened_from, time(), zone))
    if opened_to is not None and opened_to < date.max:
        next_day = datetime.combine(opened_to + timedelta(days=1), time(), zone)
        conditions.append(Ticket.opened_at < next_day)
    return conditions


def fill_deadlines(ticket: Ticket, settings: HotlineSettings) -> None:
    """Store the deadlines a ticket's clocks run to (before a move reads or moves them)."""
    ticket.accept_due_at = settings.due(ticket, Breach.ACCEPT)
    ticket.resolve_due_at = settings.due(ticket, Breach.RESOLVE)
    ticket.resolve_started_at = ticket.resolve_started_at or ticket.opened_at


def previous_move(ticket: Ticket) -> tuple[str, datetime] | None:
    """The ticket's last move (action, time) that a later move may not predate."""
    moves = [m for m in ticket.history if m.action not in ("escalate", "remind")]
    return (moves[-1].action, moves[-1].at) if moves else None


async def _open(
    session: OutboxSession,
    *,
    kind: Kind,
    channel: Channel,
    category: str,
    description: str,
    enterprise_id: str | None,
    project_id: str | None,
    case_id: str | None,
    opened_at: datetime,
    actor_role: str,
    actor: str | None,
    recorded_at: datetime,
    reporter_sub: str | None = None,
    fact_key: str | None = None,
    causation: CloudEvent | None = None,
    request_type: RequestType | None = None,
    caller_name: str | None = None,
    callback_number: str | None = None,
) -> Ticket:
    """Open a ticket: its TicketOpened is built first, and the row from it (one source)."""
    opened = TicketOpened(
        ticket_id=new_ticket_id(),
        kind=kind.value,
        channel=channel.value,
        category=category,
        case_id=case_id,
        project_id=project_id,
        enterprise_id=enterprise_id,
        opened_at=opened_at,
        request_type=request_type.value if request_type else None,
    )
    ticket = Ticket(
        **opened.model_dump(exclude={"ticket_id"}),
        id=opened.ticket_id,
        description=description,
        status=Status.OPENED.value,
        reporter_sub=reporter_sub,
        fact_key=fact_key,
        caller_name=caller_name,
        callback_number=callback_number,
        resolve_started_at=opened_at,
        routings=0,
        reopen_count=0,
        revisit_attempts=0,
        updated_at=recorded_at,
        history=[
            TicketMove(
                action="open",
                from_status=None,
                to_status=Status.OPENED.value,
                actor_role=actor_role,
                actor=actor,
                at=opened_at,
            )
        ],
        escalations=[],
        notes=[],
        extensions=[],
        revisits=[],
    )
    session.add(ticket)
    session.record(opened, causation=causation)
    return ticket


async def create(
    session: OutboxSession,
    *,
    settings: HotlineSettings,
    user: Principal,
    category: str,
    description: str,
    channel: Channel | None,
    case_id: str | None,
    project_id: str | None,
    enterprise_id: str | None,
    now: datetime,
    opened_at: datetime | None = None,
    request_type: RequestType | None = None,
    caller_name: str | None = None,
    callback_number: str | None = None,
) -> Ticket:
    """Open a ticket for a caller (an enterprise on the web, or an agent taking a call).

    An agent may date the call (`opened_at`, not in the future); an enterprise opens now.
    The request type defaults to consultation (咨询).
    """
    if category not in settings.categories:
        raise Invalid(
            f"category {category!r} is not one of: {', '.join(settings.categories)}",
            field="category",
        )
    if channel is Channel.EVENT:
        raise Invalid(
            "channel 'event' is for tickets the hotline opens itself; use phone or web",
            field="channel",
        )
    if user.sub is not None and len(user.sub) > MAX_SUB:
        raise Invalid(f"the token's sub is longer than {MAX_SUB} characters", field="sub")
    if user.role is Role.ENTERPRISE:
        if not user.sub:
            raise Invalid("an enterprise token needs a sub (the enterprise account)", field="sub")
        if enterprise_id is not None and enterprise_id != user.sub:
            raise Invalid("an enterprise reports only as itself", field="enterprise_id")
        enterprise_id = user.sub
        await _ensure_owned(session, user.sub, "case_id", case_id, CaseOwner.case_id)
        await _ensure_owned(session, user.sub, "project_id", project_id, CaseOwner.project_id)
    ticket = await _open(
        session,
        kind=Kind.REQUEST,
        channel=channel or (Channel.WEB if user.role is Role.ENTERPRISE else Channel.PHONE),
        category=category,
        description=description,
        enterprise_id=enterprise_id,
        project_id=project_id,
        case_id=case_id,
        opened_at=business_time(opened_at, user=user, now=now, field="opened_at"),
        reporter_sub=user.sub,
        actor_role=user.role.value,
        actor=user.sub,
        recorded_at=now,
        request_type=request_type or RequestType.CONSULT,
        caller_name=caller_name,
        callback_number=callback_number,
    )
    try:
        fill_deadlines(ticket, settings)
    except CalendarMissing as exc:
        raise CalendarMissing(exc.year, field="opened_at") from None
    return ticket


async def open_for_fact(
    session: OutboxSession,
    *,
    fact_key: str,
    kind: Kind,
    description: str,
    case_id: str,
    project_id: str | None,
    enterprise_id: str | None,
    actor: str,
    at: datetime,
    recorded_at: datetime | None = None,
    causation: CloudEvent | None = None,
) -> Ticket | None:
    """Open the one ticket a business fact calls for (at `at`); None when it already has one."""
    if await session.scalar(select(Ticket.id).where(Ticket.fact_key == fact_key)) is not None:
        return None
    return await _open(
        session,
        kind=kind,
        channel=Channel.EVENT,
        category=EVENT_CATEGORY,
        description=description,
        enterprise_id=enterprise_id,
        project_id=project_id,
        case_id=case_id,
        opened_at=at,
        actor_role=SYSTEM,
        actor=actor,
        recorded_at=recorded_at or at,
        fact_key=fact_key,
        causation=causation,
    )


async def get(
    session: OutboxSession, *, ticket_id: str, user: Principal, for_update: bool = False
) -> Ticket:
    """One ticket the caller may see; 404 otherwise (not revealing others' tickets)."""
    query = visible_tickets(user).where(Ticket.id == ticket_id)
    if for_update:
        query = query.with_for_update(of=Ticket)
    return found(await session.scalar(query), "ticket", ticket_id)


async def reloaded(session: OutboxSession, *, ticket_id: str, user: Principal) -> Ticket:
    """The ticket as stored: after a commit its collections are read again."""
    session.expire_all()
    return await get(session, ticket_id=ticket_id, user=user)


async def get_all(
    session: OutboxSession,
    *,
    user: Principal,
    page: PageParams,
    case_id: str | None = None,
    project_id: str | None = None,
    enterprise_id: str | None = None,
    status: Sequence[Status] = (),
    category: str | None = None,
    kind: Kind | None = None,
    request_type: RequestType | None = None,
    department: str | None = None,
    include_void: bool = False,
    opened: Sequence[ColumnElement[bool]] = (),
    resolved: bool | None = None,
    escalated: bool | None = None,
) -> tuple[Sequence[Ticket], int]:
    """The tickets the caller may see, filtered (`opened`: `opened_between`'s clauses;
    `resolved`, `escalated`: as the figures count them), oldest first (void ones only with
    `include_void`); and their total."""
    conditions = [*standing(Ticket, include_void), *opened]
    if resolved is not None:
        conditions.append(
            Ticket.resolved_at.is_not(None) if resolved else Ticket.resolved_at.is_(None)
        )
    if escalated is not None:
        supervised = Ticket.id.in_(escalated_ids())
        conditions.append(supervised if escalated else ~supervised)
    if status:
        conditions.append(Ticket.status.in_([s.value for s in status]))
    conditions += where_given(
        (Ticket.case_id, case_id),
        (Ticket.project_id, project_id),
        (Ticket.enterprise_id, enterprise_id),
        (Ticket.category, category),
        (Ticket.kind, kind),
        (Ticket.request_type, request_type),
        (Ticket.department, department),
    )
    return await paged(session, visible_tickets(user).where(*conditions).order_by(Ticket.seq), page)


def escalated_ids() -> Select[str]:
    """The tickets supervised (督办) at least once: a missed limit at level 1 or higher (a
    reminder, level 0, is not)."""
    return select(Escalation.ticket_id).where(Escalation.level >= 1)


def public_tickets() -> Select[Ticket]:
    """What anyone may read through Open311: the requests callers raised (not the tickets
    the hotline opens itself from events about cases, nor those voided)."""
    return select(Ticket).where(Ticket.kind == Kind.REQUEST.value, *standing(Ticket))


async def get_public(session: OutboxSession, *, ticket_id: str) -> Ticket:
    """One ticket anyone may read (Open311); 404 otherwise."""
    ticket = await session.scalar(public_tickets().where(Ticket.id == ticket_id))
    return found(ticket, "ticket", ticket_id)


async def get_newest(
    session: OutboxSession,
    *,
    user: Principal | None,
    limit: int,
    ids: Sequence[str] = (),
    categories: Sequence[str] = (),
    opened_from: datetime | None = None,
    opened_to: datetime | None = None,
    statuses: Sequence[Status] = (),
) -> Sequence[Ticket]:
    """The tickets the caller may see (`None`: anyone), filtered, newest first, at most
    `limit` (Open311; void tickets left out)."""
    conditions = standing(Ticket)
    if ids:
        conditions.append(Ticket.id.in_(ids))
    if categories:
        conditions.append(Ticket.category.in_(categories))
    if opened_from is not None:
        conditions.append(Ticket.opened_at >= opened_from)
    if opened_to is not None:
        conditions.append(Ticket.opened_at <= opened_to)
    if statuses:
        conditions.append(Ticket.status.in_([s.value for s in statuses]))
    query = (public_tickets() if user is None else visible_tickets(user)).where(*conditions)
    newest = query.order_by(Ticket.opened_at.desc(), Ticket.seq.desc()).limit(limit)
    return (await session.scalars(newest)).all()
