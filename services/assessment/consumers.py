"""The events the assessment consumes, each mapped to the handler that applies it.

From the other services: the facts behind the event-derived indicators. From its own topic:
the scheme versions and manual entries it sent, which a rebuild (a fresh database and
another consumer group) gets back from the event history along with the facts; the
instance that wrote them already has them and skips them.
"""

from __future__ import annotations

from enclave_shared.catalog.assessment import ManualIndicatorEntered, SchemeVersioned
from enclave_shared.consumer import Handler
from enclave_shared.events import CloudEvent, Payload
from enclave_shared.outbox import OutboxSession

from services.assessment import handlers
from services.assessment.domain.facts import COUNTED_EVENTS, REVISED_BY, WITHDRAWALS


async def on_counted_event(session: OutboxSession, payload: Payload, event: CloudEvent) -> None:
    """Another service's business fact: count it for the indicators it feeds."""
    await handlers.count_facts(session, payload=payload, event=event)


async def on_revision(session: OutboxSession, payload: Payload, event: CloudEvent) -> None:
    """A correction, a void or a withdrawal: the facts count in their latest version."""
    await handlers.revise(session, payload=payload, event=event)


async def on_scheme_versioned(
    session: OutboxSession, payload: SchemeVersioned, event: CloudEvent
) -> None:
    """A scheme version from the topic."""
    await handlers.replay_scheme_version(session, payload=payload, event=event)


async def on_manual_entered(
    session: OutboxSession, payload: ManualIndicatorEntered, event: CloudEvent
) -> None:
    """A manual entry from the topic."""
    await handlers.replay_manual_entry(session, payload=payload, event=event)


HANDLERS: dict[type[Payload], Handler] = {
    **{model: on_counted_event for model in COUNTED_EVENTS},
    **{model: on_revision for model in [*REVISED_BY, *WITHDRAWALS]},
    SchemeVersioned: on_scheme_versioned,
    ManualIndicatorEntered: on_manual_entered,
}
