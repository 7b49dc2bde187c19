"""Transactional outbox, at the call site: an `OutboxSession` records events that commit with
the state change (a relay, `relay.py`, publishes them after the commit).

    session.record(ProjectMatured(...))   # staged in this transaction
    await session.commit()                # state and events written together; relay woken
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session, SessionTransaction

from enclave_shared import catalog
from enclave_shared.context import actor, correlation_id
from enclave_shared.db import AuditEntry, OutboxEvent, utcnow
from enclave_shared.events import CloudEvent, Payload, new_event
from enclave_shared.settings import topic_for


@dataclass(frozen=True)
class Outbox:
    """Where a service's sessions put the events they record, and whom a commit that wrote
    events wakes (the relay)."""

    topic_prefix: str
    wake: Callable[[], None] | None = None


class NoOutbox(RuntimeError):
    """Events were recorded in a session opened without an outbox."""


class OutboxSyncSession(Session):
    """The sync session under an `OutboxSession`: holds the events staged in its transaction."""

    def __init__(self, *args: Any, outbox: Outbox | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outbox = outbox
        self.staged: list[tuple[SessionTransaction | None, dict[str, str]]] = []
        self.wrote_events = False


class OutboxSession(AsyncSession):
    """A service's session: a database session that carries the service's outbox."""

    sync_session_class = OutboxSyncSession
    sync_session: OutboxSyncSession

    def record(self, payload: Payload, *, causation: CloudEvent | None = None) -> CloudEvent:
        """Add an event to the outbox in this session's transaction; it is published after
        the commit. Pass `causation` when an event causes this one.

        The row is staged, then written with the transaction's other staged rows by one
        executemany INSERT as the transaction (or the savepoint it was recorded in)
        commits; as ORM objects each would cost an INSERT ... RETURNING of its own on
        SQLite. What a rolled-back transaction or savepoint staged is dropped with it."""
        sync = self.sync_session
        if sync.outbox is None:
            raise NoOutbox(
                f"{payload.event_type} recorded in a session without an outbox: open sessions "
                "with session_factory(engine, outbox)"
            )
        envelope = new_event(payload, causation=causation)
        if not sync.in_transaction():
            sync.begin()  # staged rows belong to a transaction, whose end settles them
        row = {
            "event_id": envelope.id,
            "event_type": envelope.type,
            "topic": topic_for(sync.outbox.topic_prefix, payload.producer),
            "key": payload.subject(),
            "body": envelope.to_bytes().decode(),
        }
        sync.staged.append((sync.get_nested_transaction(), row))
        return envelope


def session_factory(
    engine: AsyncEngine, outbox: Outbox | None = None
) -> async_sessionmaker[OutboxSession]:
    """The one session factory a service uses, for HTTP requests and consumers alike."""
    return async_sessionmaker(engine, class_=OutboxSession, expire_on_commit=False, outbox=outbox)


# Core INSERTs on the tables, not the ORM's bulk insert of the mapped classes: the same
# statement, without the ORM's per-call set-up (a third of a create request's CPU went
# through `_BulkORMInsert`).
_INSERT_OUTBOX = insert(OutboxEvent.__table__)  # type: ignore[arg-type]
_INSERT_AUDIT = insert(AuditEntry.__table__)  # type: ignore[arg-type]


@sa_event.listens_for(OutboxSyncSession, "before_commit")
def _write_staged_events(session: OutboxSyncSession) -> None:
    if session.staged:
        rows = [row for _, row in session.staged]
        connection = session.connection()
        connection.execute(_INSERT_OUTBOX, rows)
        connection.execute(_INSERT_AUDIT, [_audit_entry(row) for row in rows])
        session.staged.clear()
        session.wrote_events = True


def _audit_entry(row: dict[str, str]) -> dict[str, object]:
    """The trail's line for an event a change recorded: by whom (the request's caller, or
    the service itself), which request, on which record."""
    who = actor.get()
    envelope = json.loads(row["body"])
    model = catalog.BY_TYPE.get(row["event_type"])
    entity = model.subject_field.removesuffix("_id") if model is not None else "unknown"
    return {
        "entity": entity,
        "entity_id": row["key"],
        "action": row["event_type"],
        "event_id": row["event_id"],
        "actor": who.sub,
        "role": who.role,
        "request_id": correlation_id.get(),
        "at": utcnow(),
        "data": json.dumps(envelope.get("data"), ensure_ascii=False),
    }


@sa_event.listens_for(OutboxSyncSession, "after_transaction_end")
def _drop_uncommitted_events(session: OutboxSyncSession, transaction: SessionTransaction) -> None:
    # What a transaction staged and did not write by its end was rolled back with it.
    if transaction.parent is None:
        session.staged.clear()
        session.wrote_events = False
    elif session.staged:
        session.staged[:] = [(t, row) for t, row in session.staged if t is not transaction]


@sa_event.listens_for(OutboxSyncSession, "after_commit")
def _wake_relay_after_commit(session: OutboxSyncSession) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the relay can see nothing before the transaction commits
    if session.wrote_events:
        session.wrote_events = False
        if session.outbox is not None and session.outbox.wake is not None:
            session.outbox.wake()
