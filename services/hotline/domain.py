"""The hotline's rules that hold without a database: its closed sets, the ticket lifecycle,
the SLA deadlines, who sees and works which tickets, and the dating of moves."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from enclave_shared.auth import Principal, Role
from enclave_shared.errors import Conflict, Invalid
from pydantic import BaseModel, Field, model_validator


class Status(StrEnum):
    """A ticket's place in its lifecycle."""

    OPENED = "opened"
    ACCEPTED = "accepted"
    ROUTED = "routed"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"


class Channel(StrEnum):
    """How the ticket reached the hotline."""

    PHONE = "phone"
    WEB = "web"
    EVENT = "event"


class Kind(StrEnum):
    """Who raised the ticket: a caller, or the hotline itself from an event."""

    REQUEST = "request"
    LANDING_FOLLOWUP = "landing_followup"  # an enterprise settled: follow its landing
    SUPERVISION = "supervision"  # a case stays red, or a "three ones" meeting was missed


class Breach(StrEnum):
    """Which SLA a ticket missed."""

    ACCEPT = "accept"
    RESOLVE = "resolve"


OPEN_STATUSES = (Status.OPENED, Status.ACCEPTED, Status.ROUTED)
"""Tickets still waiting for the hotline: the sweep watches these."""

SYSTEM = "system"
"""The actor role of what the hotline does by itself (event tickets, escalations)."""
SWEEPER = "sla-sweep"

# action -> (statuses it may start from, status it leads to)
MOVES: dict[str, tuple[frozenset[Status], Status]] = {
    "accept": (frozenset({Status.OPENED}), Status.ACCEPTED),
    "route": (frozenset({Status.ACCEPTED, Status.ROUTED}), Status.ROUTED),
    "resolve": (frozenset({Status.ROUTED}), Status.RESOLVED),
    "close": (frozenset({Status.RESOLVED}), Status.CLOSED),
    "reject": (frozenset({Status.OPENED, Status.ACCEPTED, Status.ROUTED}), Status.REJECTED),
}


def next_status(ticket_id: str, status: str, action: str) -> Status:
    """Where `action` takes a ticket in `status`; 409 when the lifecycle does not allow it."""
    allowed, to = MOVES[action]
    if status not in allowed:
        raise Conflict(
            f"ticket {ticket_id} is {status}: cannot {action} it "
            f"(only when {' or '.join(sorted(allowed))})",
            field="status",
        )
    return to


class Sla(BaseModel):
    """How long a ticket of a category may wait to be accepted and to be resolved."""

    accept_hours: float = Field(gt=0)
    resolve_hours: float = Field(gt=0)

    @model_validator(mode="after")
    def _accept_before_resolve(self) -> Sla:
        if self.accept_hours > self.resolve_hours:
            raise ValueError("accept_hours must not exceed resolve_hours")
        return self

    @property
    def accept(self) -> timedelta:
        """Time allowed from opening to acceptance."""
        return timedelta(hours=self.accept_hours)

    @property
    def resolve(self) -> timedelta:
        """Time allowed from opening to resolution."""
        return timedelta(hours=self.resolve_hours)

    def due_at(self, opened_at: datetime, breach: Breach) -> datetime:
        """When a ticket opened at `opened_at` must be accepted (or resolved) by."""
        return opened_at + (self.accept if breach is Breach.ACCEPT else self.resolve)


def breaches(status: str) -> list[Breach]:
    """The SLAs a ticket in `status` can still miss: an opened one both, later ones resolve."""
    return [Breach.ACCEPT, Breach.RESOLVE] if status == Status.OPENED else [Breach.RESOLVE]


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


def may_see(user: Principal, reporter_sub: str | None, case_id: str | None) -> bool:
    """Enterprises see only the tickets they opened themselves (reported under their sub);
    zone officers the tickets about a case (the case's ledger shows them)."""
    if is_agent(user):
        return True
    if user.role is Role.ZONE_OFFICER:
        return case_id is not None
    return user.role is Role.ENTERPRISE and user.sub is not None and reporter_sub == user.sub


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
