"""What the hotline pages compute from a ticket: its time-limit state and the working time
left, the moves its state allows, and the business time an agent types (China time) as the
service takes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.console.clients.hotline import Ticket
from services.console.formatting import SITE_ZONE

DUE_SOON_HOURS = 3.5
"""An open ticket with less than this many working hours (half a working day) left to its
running deadline is shown as due soon."""

OPEN = frozenset({"opened", "accepted", "routed", "signed"})
SLA_STATES = ("on_track", "due_soon", "overdue", "met", "missed")

# The moves' order on the ticket page; which of them a ticket offers is the service's word
# (`Ticket.moves`, from its state), so the page offers exactly what the service accepts.
MOVE_ORDER = (
    "accept", "route", "sign", "return", "request_extension", "decide_extension", "resolve",
    "revisit", "close", "reject",
)  # fmt: skip


@dataclass(frozen=True)
class SlaView:
    """A ticket's time limit as the queue shows it: the running clock's deadline and the
    working time left to it (or past it)."""

    state: str | None  # one of SLA_STATES; None for a rejected ticket (no limit to keep)
    due_at: datetime | None  # the running deadline of an open ticket
    clock: str | None = None  # accept, sign or resolve
    hours: float = 0.0  # working hours left, or overdue

    @property
    def overdue(self) -> bool:
        return self.state in ("overdue", "missed")


def sla_of(ticket: Ticket, now: datetime) -> SlaView:
    """An open ticket: working time left to its running deadline (the service counts it on
    the working-day calendar); a resolved or closed one: whether it was resolved in time.
    `now` is kept for the pages' clock; the service's count is at its own clock."""
    if ticket.status in OPEN and ticket.due_at is not None:
        left = ticket.working_hours_left or 0.0
        overdue = ticket.due_at < now if ticket.working_hours_left is None else left < 0
        state = "overdue" if overdue else "due_soon" if left < DUE_SOON_HOURS else "on_track"
        return SlaView(state, ticket.due_at, ticket.running_clock, abs(left))
    if ticket.status in ("resolved", "closed"):
        return SlaView("met" if ticket.within_sla else "missed", None)
    return SlaView(None, None)


def moves_of(ticket: Ticket) -> tuple[str, ...]:
    """The moves the service says the ticket's state allows, in the page's order (a note
    can always be added)."""
    return (*(m for m in MOVE_ORDER if m in ticket.moves), "note")


def business_time(typed: str) -> str | None:
    """A date and time typed in China time (datetime-local) as ISO 8601 with its offset;
    None when left empty. Raises ValueError for text that is not a date and time."""
    if not typed.strip():
        return None
    moment = datetime.fromisoformat(typed.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SITE_ZONE)
    return moment.isoformat()
