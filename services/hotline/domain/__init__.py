"""The hotline's rules that hold without a database: its closed sets, the ticket lifecycle,
the time limits, who sees and works which tickets, masking, and the dating of moves.
Working time (holidays, make-up days, office hours) is in `domain.worktime`."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Protocol

from enclave_shared.auth import Principal, Role
from enclave_shared.errors import Conflict, Invalid
from pydantic import BaseModel

from services.hotline.domain.worktime import Limit, WorkCalendar


class Status(StrEnum):
    """A ticket's place in its lifecycle."""

    OPENED = "opened"
    ACCEPTED = "accepted"
    ROUTED = "routed"  # 派单: waiting for the department to sign for it
    SIGNED = "signed"  # 签收: the department is handling it (办理)
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"


class Channel(StrEnum):
    """How the ticket reached the hotline."""

    PHONE = "phone"
    WEB = "web"
    WALK_IN = "walk_in"
    EVENT = "event"


class RequestType(StrEnum):
    """What the caller wants (诉求类型)."""

    CONSULT = "consult"  # 咨询
    HELP = "help"  # 求助
    COMPLAINT = "complaint"  # 投诉
    REPORT = "report"  # 举报
    SUGGESTION = "suggestion"  # 建议
    PRAISE = "praise"  # 表扬


class RevisitResult(StrEnum):
    """What a revisit call (回访) found."""

    SATISFIED = "satisfied"  # 满意
    BASICALLY_SATISFIED = "basically_satisfied"  # 基本满意
    DISSATISFIED = "dissatisfied"  # 不满意
    UNREACHABLE = "unreachable"  # 未联系上 (one attempt)


SATISFIED = (RevisitResult.SATISFIED, RevisitResult.BASICALLY_SATISFIED)


class ExtensionStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class Kind(StrEnum):
    """Who raised the ticket: a caller, or the hotline itself from an event."""

    REQUEST = "request"
    LANDING_FOLLOWUP = "landing_followup"  # an enterprise settled: follow its landing
    SUPERVISION = "supervision"  # a case stays red, or a "three ones" meeting was missed


class Breach(StrEnum):
    """Which SLA a ticket missed."""

    ACCEPT = "accept"
    SIGN = "sign"
    RESOLVE = "resolve"


REMINDER = 0
"""Escalation level 0 is the reminder (催办); 1 supervision (督办); 2 and up 提级督办."""

OPEN_STATUSES = (Status.OPENED, Status.ACCEPTED, Status.ROUTED, Status.SIGNED)
"""Tickets still waiting for the hotline: the sweep watches these."""

SYSTEM = "system"
"""The actor role of what the hotline does by itself (event tickets, escalations)."""
SWEEPER = "sla-sweep"


@dataclass(frozen=True)
class SystemActor:
    """The hotline acting by itself (the sweep, an event's consequence): `name` is who in the
    history (the sweep, the event type); its moves are dated by the clock, never given."""

    name: str
    role: str = SYSTEM


Actor = Principal | SystemActor

# action -> (statuses it may start from, status it leads to; None: it stays where it is)
MOVES: dict[str, tuple[frozenset[Status], Status | None]] = {
    "accept": (frozenset({Status.OPENED}), Status.ACCEPTED),
    "route": (frozenset({Status.ACCEPTED, Status.ROUTED}), Status.ROUTED),
    "sign": (frozenset({Status.ROUTED}), Status.SIGNED),
    "return": (frozenset({Status.ROUTED}), Status.ACCEPTED),
    "request_extension": (frozenset({Status.SIGNED}), Status.SIGNED),
    "decide_extension": (frozenset({Status.SIGNED}), Status.SIGNED),
    "resolve": (frozenset({Status.SIGNED}), Status.RESOLVED),
    "revisit": (frozenset({Status.RESOLVED}), Status.RESOLVED),  # or closed, or sent back
    "close": (frozenset({Status.RESOLVED}), Status.CLOSED),
    "reject": (frozenset({Status.OPENED, Status.ACCEPTED, Status.ROUTED}), Status.REJECTED),
    # The hotline closes what it opened itself for a case intake withdrew or voided.
    "stop": (
        frozenset({Status.OPENED, Status.ACCEPTED, Status.ROUTED, Status.SIGNED}),
        Status.CLOSED,
    ),
    # The sweep's reminders and supervision are recorded in the history; the state stays.
    "remind": (frozenset(OPEN_STATUSES), None),
    "escalate": (frozenset(OPEN_STATUSES), None),
}

VERBS = {
    "request_extension": "ask more time for",
    "decide_extension": "decide on more time for",
}
"""How a refusal names a move whose code is not a verb."""

AGENT_MOVES = (
    "accept", "route", "sign", "return", "request_extension", "resolve", "revisit",
    "close", "reject",
)  # fmt: skip
"""The moves the console offers (reopen follows a revisit; decisions a pending request)."""


def allowed_moves(status: str, *, extension_pending: bool) -> list[str]:
    """The moves a ticket in `status` allows now; routing an opened ticket accepts it too
    and resolving a routed one signs it first, so both are offered there as well."""
    moves = [m for m in AGENT_MOVES if status in MOVES[m][0]]
    if status == Status.OPENED:
        moves.append("route")
    if status == Status.ROUTED:
        moves.insert(moves.index("return") + 1, "resolve")
    if extension_pending:
        moves = [m for m in moves if m != "request_extension"] + ["decide_extension"]
    return moves


def next_status(ticket_id: str, status: str, action: str) -> Status:
    """Where `action` takes a ticket in `status`; 409 when the lifecycle does not allow it."""
    allowed, to = MOVES[action]
    if status not in allowed:
        raise Conflict(
            f"ticket {ticket_id} is {status}: cannot {VERBS.get(action, action)} it "
            f"(only when {' or '.join(sorted(allowed))})",
            field="status",
        )
    return Status(status) if to is None else to


class Sla(BaseModel):
    """A category's time limits (时限), in working time: to accept a ticket (from opening), for
    the department to sign for it (from routing), to resolve it (from opening, or from being
    sent back)."""

    accept: Limit
    sign: Limit
    resolve: Limit

    def limit(self, breach: Breach) -> Limit:
        """The limit of one clock."""
        return {Breach.ACCEPT: self.accept, Breach.SIGN: self.sign}.get(breach, self.resolve)


def breaches(status: str) -> list[Breach]:
    """The clocks running for a ticket in `status`: accept while opened, sign while routed,
    resolve until resolved."""
    clocks = {Status.OPENED: [Breach.ACCEPT], Status.ROUTED: [Breach.SIGN]}.get(Status(status), [])
    return [*clocks, Breach.RESOLVE] if status in OPEN_STATUSES else []


class Clocked(Protocol):
    """What a deadline is read from: a ticket's row."""

    category: str
    opened_at: datetime
    routed_at: datetime | None
    accept_due_at: datetime | None
    sign_due_at: datetime | None
    resolve_due_at: datetime | None


def due(ticket: Clocked, sla: Sla, calendar: WorkCalendar, breach: Breach) -> datetime | None:
    """A clock's deadline as it stands: stored when a move set it, else from the category's
    limit (tickets opened from events are given no settings, so theirs start unset)."""
    stored = {
        Breach.ACCEPT: ticket.accept_due_at,
        Breach.SIGN: ticket.sign_due_at,
        Breach.RESOLVE: ticket.resolve_due_at,
    }[breach]
    if stored is not None:
        return stored
    start = ticket.routed_at if breach is Breach.SIGN else ticket.opened_at
    return None if start is None else calendar.due(start, sla.limit(breach))


def level_name(level: int) -> str:
    """催办, 督办, 提级督办 (level 2 and up)."""
    return "reminder" if level == REMINDER else "supervision" if level == 1 else "escalation"


def mask_number(number: str | None) -> str | None:
    """A callback number as lists and other roles show it: `138****1234`."""
    if not number:
        return number
    if len(number) >= 8:
        return number[:3] + "*" * (len(number) - 7) + number[-4:]
    return "*" * max(len(number) - 2, 1) + number[-2:]


def mask_name(name: str | None) -> str | None:
    """A caller's name as other roles see it: its first character, the rest starred."""
    if not name:
        return name
    return name[0] + "*" * max(len(name) - 1, 1)


def sees_caller(user: Principal) -> bool:
    """Only the hotline agent handling a ticket sees the caller's name and number in full
    (and only on the ticket itself: lists and exports mask them)."""
    return user.role is Role.HOTLINE_AGENT


AGENTS = frozenset({Role.HOTLINE_AGENT, Role.ADMIN})
READS_ALL = AGENTS | {Role.DISTRICT_LEADER}
"""Who sees every ticket: agents and admin, who work them, and the district leader, who reads
them (the routes refuse its writes, `enclave_shared.auth.require`)."""


def is_agent(user: Principal) -> bool:
    """Whether the caller has the hotline's own view: every ticket, with its notes.

    True for agents and admin and for the district leader (read-only everywhere); an
    enterprise sees only its own tickets. Who may *date* a move is `works_tickets`."""
    return user.role in READS_ALL


def works_tickets(user: Principal) -> bool:
    """Agents (and admin) work every ticket: they may give a move its business time."""
    return user.role in AGENTS


def new_ticket_id() -> str:
    """A ticket number short enough to read out on the phone; random, so replicas agree."""
    return f"HL-{secrets.token_hex(5).upper()}"


def aware(moment: datetime) -> datetime:
    """A timestamp from outside (an event's time) as aware UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def business_time(
    at: datetime | None,
    *,
    user: Principal,
    now: datetime,
    field: str,
    previous: tuple[str, datetime] | None = None,
) -> datetime:
    """When a move happened: `at` as an agent recorded it, else now.

    A business time may not lie in the future nor before the ticket's previous move
    (`previous`: its action and time; escalations are the sweep's observations at its clock,
    not moves, so they do not count).
    """
    if at is None:
        return now
    if not works_tickets(user):
        raise Invalid(f"only agents give {field}; an enterprise's moves are dated now", field=field)
    try:
        at = aware(at).astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00+05:00, which UTC cannot hold
        raise Invalid(f"{field} is out of range in UTC", field=field) from None
    if at > now:
        raise Invalid(
            f"{field} {at.isoformat()} is in the future (now {now.isoformat()})", field=field
        )
    if previous is not None and at < aware(previous[1]):
        action, when = previous
        raise Invalid(
            f"{field} {at.isoformat()} is before the ticket's previous move "
            f"({action} at {aware(when).isoformat()})",
            field=field,
        )
    return at


def business_start(day: date, sent: datetime) -> datetime:
    """When a fact of `day` opens its ticket: the event's time, or the start of `day` (UTC)
    when the fact was recorded later (historic data), so the ticket carries the business date.

    The day the event was sent is its UTC date: an event handler is given no settings, so
    not the platform's time zone (see docs/hotline.md)."""
    sent = aware(sent)
    return sent if day >= sent.date() else datetime.combine(day, time(), tzinfo=UTC)
