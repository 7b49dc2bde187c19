"""What the hotline pages compute from a ticket: its SLA state and time left, the moves its
state allows, and the business time an agent types (China time) as the service takes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from services.console.clients.hotline import Ticket
from services.console.formatting import SITE_ZONE

DUE_SOON = 0.25
"""An open ticket with less than this share of its window left to its next deadline is
shown as due soon (an hour of a 4-hour acceptance, 30 hours of a 120-hour resolution)."""

OPEN = frozenset({"opened", "accepted", "routed"})
SLA_STATES = ("on_track", "due_soon", "overdue", "met", "missed")

# The hotline's lifecycle (docs/hotline.md): the moves each status allows. The service
# refuses any other (409); the page offers only these. Routing an opened ticket accepts it
# first, so an opened ticket may be routed straight away.
MOVES_BY_STATUS: dict[str, tuple[str, ...]] = {
    "opened": ("accept", "route", "reject"),
    "accepted": ("route", "reject"),
    "routed": ("route", "resolve", "reject"),
    "resolved": ("close",),
    "closed": (),
    "rejected": (),
}


@dataclass(frozen=True)
class SlaView:
    """A ticket's SLA as the queue shows it."""

    state: str | None  # one of SLA_STATES; None for a rejected ticket (no SLA to keep)
    due_at: datetime | None  # the next deadline of an open ticket
    days: int = 0
    hours: int = 0
    minutes: int = 0

    @property
    def overdue(self) -> bool:
        return self.state in ("overdue", "missed")


def sla_of(ticket: Ticket, now: datetime) -> SlaView:
    """An open ticket: time left to its next deadline (acceptance while opened, then
    resolution); a resolved or closed one: whether it was resolved in time."""
    if ticket.status in OPEN:
        due = ticket.accept_due_at if ticket.status == "opened" else ticket.resolve_due_at
        left = due - now
        soon = (due - ticket.opened_at) * DUE_SOON
        state = "overdue" if left < timedelta(0) else "due_soon" if left < soon else "on_track"
        minutes = int(abs(left).total_seconds() // 60)
        return SlaView(state, due, minutes // 1440, minutes % 1440 // 60, minutes % 60)
    if ticket.status in ("resolved", "closed"):
        return SlaView("met" if ticket.within_sla else "missed", None)
    return SlaView(None, None)


def moves_of(ticket: Ticket) -> tuple[str, ...]:
    """The moves the ticket's status allows (a note can always be added)."""
    return (*MOVES_BY_STATUS.get(ticket.status, ()), "note")


def business_time(typed: str) -> str | None:
    """A date and time typed in China time (datetime-local) as ISO 8601 with its offset;
    None when left empty. Raises ValueError for text that is not a date and time."""
    if not typed.strip():
        return None
    moment = datetime.fromisoformat(typed.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SITE_ZONE)
    return moment.isoformat()
