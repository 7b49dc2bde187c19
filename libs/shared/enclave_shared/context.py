"""Per-request and per-event context carried through logs, into events and the audit trail."""

from contextvars import ContextVar
from dataclasses import dataclass

correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)


@dataclass(frozen=True)
class Actor:
    """Who is making the current change: a signed-in caller, or the service itself."""

    role: str
    sub: str | None = None


SYSTEM = Actor("system")
"""The actor of changes a service makes by itself: an event's consequence, a periodic job."""

actor: ContextVar[Actor] = ContextVar("actor", default=SYSTEM)
