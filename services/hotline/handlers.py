"""Ticket rules: who sees what, opening (by a caller or for a fact), reading; one ticket per fact.

Routes, the intake-event handlers (intake_events.py) and the supervision sweep call these
functions; none of them commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

from enclave_shared.auth import Principal, Role
from enclave_shared.catalog.hotline import TicketOpened
from enclave_shared.deps import PageParams, paged
from enclave_shared.errors import Invalid, NotFound
from enclave_shared.events import CloudEvent
from enclave_shared.outbox import OutboxSession
from sqlalchemy import Select, select

from services.hotline.config import EVENT_CATEGORY, HotlineSettings
from services.hotline.models import Ticket, TicketMove
from services.hotline.schemas import Channel, Kind, Status

MAX_SUB = 200  # the reporter column's width
AGENTS = frozenset({Role.HOTLINE_AGENT, Role.ADMIN})
SYSTEM = "system"

OPEN_STATUSES = (Status.OPENED, Status.ACCEPTED, Status.ROUTED)


def new_ticket_id() -> str:
    """A ticket number short enough to read out on the phone; random, so replicas agree."""
    return f"HL-{secrets.token_hex(5).upper()}"


def is_agent(user: Principal) -> bool:
    """Agents (and admin) see and work every ticket."""
    return user.role in AGENTS


def may_see(user: Principal, ticket: Ticket) -> bool:
    """Enterprises see only the tickets they opened themselves."""
    if is_agent(user):
        return True
    return user.role is Role.ENTERPRISE and user.sub is not None and ticket.reporter_sub == user.sub


def visible_tickets(user: Principal) -> Select[Ticket]:
    """The tickets the caller may see, as a query to filter further (may_see, in SQL)."""
    query = select(Ticket)
    return query if is_agent(user) else query.where(Ticket.reporter_sub == (user.sub or ""))


def aware(moment: datetime) -> datetime:
    """A timestamp from outside (an event's time) as aware UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def business_time(
    ticket: Ticket | None, *, user: Principal, at: datetime | None, now: datetime, field: str
) -> datetime:
    """When a move happened: `at` as an agent recorded it, else now.

    A business time may not lie in the future nor before the ticket's previous move
    (escalations are the sweep's observations at its clock, not moves, so they do not count).
    """
    if at is None:
        return now
    if not is_agent(user):
        raise Invalid(f"only agents give {field}; an enterprise's moves are dated now", field=field)
    try:
        at = aware(at).astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00+05:00, which UTC cannot hold
        raise Invalid(f"{field} is out of range in UTC", field=field) from None
    if at > now:
        raise Invalid(
            f"{field} {at.isoformat()} is in the future (now {now.isoformat()})", field=field
        )
    previous = [m for m in ticket.history if m.action != "escalate"] if ticket else []
    if previous and at < aware(previous[-1].at):
        last = previous[-1]
        raise Invalid(
            f"{field} {at.isoformat()} is before the ticket's previous move "
            f"({last.action} at {aware(last.at).isoformat()})",
            field=field,
        )
    return at


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
    reporter_sub: str | None,
    actor_role: str,
    actor: str | None,
    at: datetime,
    recorded_at: datetime,
    fact_key: str | None = None,
    causation: CloudEvent | None = None,
) -> Ticket:
    ticket = Ticket(
        id=new_ticket_id(),
        kind=kind.value,
        channel=channel.value,
        category=category,
        description=description,
        status=Status.OPENED.value,
        enterprise_id=enterprise_id,
        project_id=project_id,
        case_id=case_id,
        reporter_sub=reporter_sub,
        fact_key=fact_key,
        opened_at=at,
        updated_at=recorded_at,
        history=[
            TicketMove(
                action="open",
                from_status=None,
                to_status=Status.OPENED.value,
                actor_role=actor_role,
                actor=actor,
                at=at,
            )
        ],
        escalations=[],
        notes=[],
    )
    session.add(ticket)
    session.record(
        TicketOpened(
            ticket_id=ticket.id,
            channel=channel.value,
            category=category,
            case_id=case_id,
            project_id=project_id,
            opened_at=at,
            kind=kind.value,
            enterprise_id=enterprise_id,
        ),
        causation=causation,
    )
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
) -> Ticket:
    """Open a ticket for a caller (an enterprise on the web, or an agent taking a call).

    An agent may date the call (`opened_at`, not in the future); an enterprise opens now.
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
    at = business_time(None, user=user, at=opened_at, now=now, field="opened_at")
    return await _open(
        session,
        kind=Kind.REQUEST,
        channel=channel or (Channel.WEB if user.role is Role.ENTERPRISE else Channel.PHONE),
        category=category,
        description=description,
        enterprise_id=enterprise_id,
        project_id=project_id,
        case_id=case_id,
        reporter_sub=user.sub,
        actor_role=user.role.value,
        actor=user.sub,
        at=at,
        recorded_at=now,
    )


async def get(
    session: OutboxSession, *, ticket_id: str, user: Principal, for_update: bool = False
) -> Ticket:
    """One ticket the caller may see; 404 otherwise (not revealing others' tickets)."""
    query = select(Ticket).where(Ticket.id == ticket_id)
    if for_update:
        query = query.with_for_update()
    ticket = await session.scalar(query)
    if ticket is None or not may_see(user, ticket):
        raise NotFound(f"ticket {ticket_id} not found", field="id")
    return ticket


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
) -> tuple[Sequence[Ticket], int]:
    """The tickets the caller may see, filtered, oldest first; and their total."""
    conditions = []
    if case_id is not None:
        conditions.append(Ticket.case_id == case_id)
    if project_id is not None:
        conditions.append(Ticket.project_id == project_id)
    if enterprise_id is not None:
        conditions.append(Ticket.enterprise_id == enterprise_id)
    if status:
        conditions.append(Ticket.status.in_([s.value for s in status]))
    if category is not None:
        conditions.append(Ticket.category == category)
    if kind is not None:
        conditions.append(Ticket.kind == kind.value)
    return await paged(session, visible_tickets(user).where(*conditions).order_by(Ticket.seq), page)


# --- tickets from intake events -----------------------------------------------------------


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
        reporter_sub=None,
        actor_role=SYSTEM,
        actor=actor,
        at=at,
        recorded_at=recorded_at or at,
        fact_key=fact_key,
        causation=causation,
    )
