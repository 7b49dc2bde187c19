"""The outbox relay: publishes committed outbox events to Kafka in id order."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from sqlalchemy import Row, Table, bindparam, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from enclave_shared import tracing
from enclave_shared.db import SQLITE_BEGIN, OutboxEvent, advisory_lock_key, padded, utcnow
from enclave_shared.kafka import EventProducer
from enclave_shared.metrics import EVENTS_PUBLISHED, OUTBOX_BACKLOG, OUTBOX_RELAY_FAILURES

log = logging.getLogger(__name__)

FAILING_AFTER = 3
"""Consecutive failed passes after which the relay reports itself failing (`/readyz`)."""

BACKOFF_MAX_S = 60.0
"""The longest pause between two failed passes."""

STRUCTURED_HEADERS = [("content-type", b"application/cloudevents+json; charset=UTF-8")]
"""The CloudEvents Kafka binding's structured mode: the header that says so."""

LINGER_S = 0.002
"""After a pass that drained the outbox, how long a wake-up waits for concurrent commits to
land before the next pass reads them: passes of one row each cost a transaction apiece (on
SQLite on the writers' one connection). Set to 0 in an A/B (issue 18's fifth round): no
latency gained, so kept."""

PendingRow = Row[int, str, str, str, str]  # id, topic, key, body, event_type

# The relay's statements, built once: building the marking again each pass was over a
# quarter of the relay's samples in a profile (issue 18, docs/performance.md).
_OUTBOX: Table = OutboxEvent.__table__  # type: ignore[assignment]
_PENDING = _OUTBOX.c.published_at.is_(None)
_COUNT_PENDING = select(func.count()).select_from(_OUTBOX).where(_PENDING)
_MARK_PUBLISHED = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id.in_(bindparam("ids", expanding=True)))
    .values(published_at=bindparam("now", type_=_OUTBOX.c.published_at.type))
)


class OutboxRelay:
    """Publishes outbox events in id order; woken right after a commit, polling as a fallback.

    The fallback poll finds rows another process committed (a replica that does not hold
    the lock, a command-line tool): every `poll_s` while events flow, the wait doubling with
    each quiet pass up to `idle_poll_s` (an idle relay costs next to nothing), `poll_s`
    again after a wake-up or a pass that sent something.

    On PostgreSQL the relay works on one connection of its own, which holds a session
    advisory lock, so one replica publishes at a time and per-key order holds with several
    replicas; if the connection breaks the lock goes with it and another replica takes
    over. Any failed pass closes that connection, so a relay cut off from Kafka lets a
    replica that can reach it publish. A send that fails leaves the rows unpublished and
    the next pass sends them again: delivery is at-least-once, consumers dedupe. Rows sent
    whose marking failed (a read-only database, a full disk) are not sent again by this
    relay: only their marking is retried, with a growing pause (the next pass's read is in
    the marking's transaction, so nothing new is sent until it succeeds), and the relay
    reports itself failing.
    """

    def __init__(
        self,
        *,
        service: str,
        engine: AsyncEngine,
        producer: EventProducer,
        poll_s: float,
        idle_poll_s: float | None = None,
        batch_size: int = 500,
    ) -> None:
        self.service = service
        self._engine = engine
        self._producer = producer
        self._poll_s = poll_s
        # A quiet relay's fallback poll doubles from poll_s up to this (None: poll_s).
        self._idle_poll_s = max(poll_s, idle_poll_s or poll_s)
        self._batch_size = batch_size
        self._read_pending = (
            select(
                _OUTBOX.c.id, _OUTBOX.c.topic, _OUTBOX.c.key, _OUTBOX.c.body, _OUTBOX.c.event_type
            )
            .where(_PENDING)
            .order_by(_OUTBOX.c.id)
            .limit(batch_size)
        )
        self._wakeup = asyncio.Event()
        self._lock_key = advisory_lock_key(f"outbox:{service}")
        self._conn: AsyncConnection | None = None
        self._leader = False
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._failed_client: AIOKafkaProducer | None = None  # to renew before the next send
        self._sent_unmarked: set[int] = set()  # acknowledged by Kafka, marking failed
        self.failures = 0
        self.last_error = ""

    def wake(self) -> None:
        """Ask the relay to run a pass now (called after every commit that wrote events)."""
        self._wakeup.set()

    def start(self) -> None:
        """Run the relay loop in the background."""
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name=f"outbox-relay-{self.service}")

    def health(self) -> str:
        """ "ok", or why the relay has failed its last passes (a readiness check)."""
        if self.failures < FAILING_AFTER:
            return "ok"
        return f"failing: {self.failures} passes in a row, last: {self.last_error}"

    async def stop(self, grace_s: float = 10.0) -> None:
        """Stop the loop, publish what is still pending within `grace_s` (best effort: what
        is left stays in the outbox for the next start), release the lock."""
        self._stopping = True  # the loop ends at its next turn even if a cancel is lost
        if self._task is not None:
            self._task.cancel()
            # asyncio.wait: the loop's end (its CancelledError) is not raised here, and a
            # cancel of our caller is (a `suppress(CancelledError)` would swallow it).
            await asyncio.wait([self._task])
            self._task = None
        try:
            async with asyncio.timeout(grace_s):
                while await self.publish_pending():
                    pass
        except Exception as exc:
            log.warning(
                "outbox not flushed at shutdown (%s); it is published at the next start",
                type(exc).__name__,
            )
        await self._drop_connection()

    async def _run(self) -> None:
        backoff = 0.1
        wait, woken_up = self._poll_s, True
        while not self._stopping:
            try:
                sent = await self.publish_pending()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.failures += 1
                self.last_error = f"{type(exc).__name__}: {exc}"[:300]
                log.warning(
                    "outbox relay pass failed (%s); retrying in %.1fs",
                    self.last_error,
                    backoff,
                    exc_info=not isinstance(exc, KafkaError),
                )
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, BACKOFF_MAX_S)
                continue
            backoff = 0.1
            self.failures = 0
            if sent:
                # The next pass at once: it marks these rows and reads, in one transaction,
                # what was committed while they were on their way.
                woken_up = True
                continue
            # Quiet (nothing sent, no wake-up since the last wait): the next wait doubles.
            wait = self._poll_s if woken_up else min(wait * 2, self._idle_poll_s)
            # Not asyncio.wait_for: on Python 3.11 it returns a wait that completed in the
            # same turn as its cancellation and swallows the cancel (tests/unit/platform/
            # test_relay_stop.py).
            woken = asyncio.ensure_future(self._wakeup.wait())
            try:
                await asyncio.wait([woken], timeout=wait)
            finally:
                woken.cancel()
            woken_up = self._wakeup.is_set()
            if woken_up:
                await asyncio.sleep(LINGER_S)  # commits in flight join this pass
            self._wakeup.clear()

    async def publish_pending(self) -> int:
        """One pass: mark what the last pass sent, publish up to a batch of pending events,
        in order; return how many were sent.

        The marking of a pass's rows is the next pass's first statement, in the transaction
        that reads what to send next (one transaction a pass, and the next send does not
        wait for a transaction of its own); the relay's loop runs that pass at once after
        one that sent, and `stop` runs passes until one sends nothing. Rows sent and not
        yet marked are never sent again by this relay; a crash before their marking has
        them sent again by the next (at-least-once: consumers dedupe)."""
        if self._failed_client is not None:
            # Renewed here, with no connection (and so no leader lock) held: while the
            # broker is away a replica that reaches it publishes instead.
            await self._producer.renew(self._failed_client)
            self._failed_client = None
        step = "mark" if self._sent_unmarked else "read"
        try:
            async with self._connection() as conn:
                if conn is None:
                    return 0
                marked = sorted(self._sent_unmarked)
                rows, backlog = await self._mark_and_read(conn, marked)
            self._sent_unmarked.difference_update(marked)
            OUTBOX_BACKLOG.labels(self.service).set(backlog)
            if not rows:
                return 0
            step = "send"
            await self._send(rows)
            self._sent_unmarked.update(row.id for row in rows)
        except BaseException:
            OUTBOX_RELAY_FAILURES.labels(self.service, step).inc()
            await self._drop_connection()
            raise
        for row in rows:
            EVENTS_PUBLISHED.labels(self.service, row.event_type).inc()
        OUTBOX_BACKLOG.labels(self.service).set(backlog - len(rows))
        return len(rows)

    async def _send(self, rows: Sequence[PendingRow]) -> None:
        """Send in order and wait for every acknowledgement; a failed send has the
        producer renewed before the next pass (the rows stay unpublished and are sent
        again then)."""
        if not rows:
            return
        client = self._producer.client
        try:
            sends = []
            for row in rows:
                with tracing.sending(row.body):  # nothing unless traced
                    sends.append(
                        await client.send(
                            row.topic,
                            value=row.body.encode(),
                            key=row.key.encode(),
                            headers=[*STRUCTURED_HEADERS],  # traced: a traceparent is added
                        )
                    )
            await asyncio.gather(*sends)
        except KafkaError:
            self._failed_client = client
            raise

    async def _mark_and_read(
        self, conn: AsyncConnection, sent: list[int]
    ) -> tuple[Sequence[PendingRow], int]:
        """In one transaction: mark the events `sent` published, then read up to a batch of
        unpublished events in id order and how many are waiting."""
        # A read alone takes no write lock on SQLite.
        await conn.execution_options(**{SQLITE_BEGIN: "BEGIN IMMEDIATE" if sent else "BEGIN"})
        async with conn.begin():
            if sent:
                await self._mark_published(conn, sent)
            rows = (await conn.execute(self._read_pending)).all()
            backlog = len(rows)
            if backlog == self._batch_size:
                backlog = await conn.scalar(_COUNT_PENDING) or 0
        return rows, backlog

    async def _mark_published(self, conn: AsyncConnection, ids: list[int]) -> None:
        """Mark the events `ids` published, in the caller's transaction."""
        await conn.execute(_MARK_PUBLISHED, {"ids": padded(ids), "now": utcnow()})

    @contextlib.asynccontextmanager
    async def _connection(self) -> AsyncIterator[AsyncConnection | None]:
        """SQLite: a pooled connection for each step, held briefly (one writer at a time
        anyway). PostgreSQL: the relay's own connection, if it holds the leader lock."""
        if self._engine.dialect.name != "postgresql":
            async with self._engine.connect() as conn:
                yield conn
            return
        if self._conn is None:
            self._conn = await self._engine.connect()
        if not self._leader:
            async with self._conn.begin():
                self._leader = bool(
                    await self._conn.scalar(
                        text("SELECT pg_try_advisory_lock(:k)"), {"k": self._lock_key}
                    )
                )
        yield self._conn if self._leader else None

    async def _drop_connection(self) -> None:
        """Close the relay's connection for good; on PostgreSQL that releases the leader lock.

        Invalidated, not returned to the pool: a pooled connection would keep its session,
        and with it the lock, leaving every other connection (replica) a standby."""
        conn, self._conn, self._leader = self._conn, None, False
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.invalidate()
            with contextlib.suppress(Exception):
                await conn.close()

    async def republish_if_broker_lost(self, end_offset_total: Callable[[], Awaitable[int]]) -> int:
        """Mark every event unpublished when the topic holds fewer than we sent.

        For the embedded broker only, which keeps nothing on disk: after its restart the
        topic is empty, and consumers that had not yet read our events would never see
        them. Sending the history again is safe because every consumer is idempotent.
        The count of published rows is read first and the topic's end offsets after it:
        whatever a replica publishes in between only raises the end offsets, so a broker
        that kept everything is never taken for one that forgot.
        """
        async with self._engine.connect() as conn:
            published = OutboxEvent.published_at.is_not(None)
            sent = await conn.scalar(select(func.count()).where(published)) or 0
        held = await end_offset_total()
        if held >= sent:
            return 0
        async with self._engine.begin() as conn:
            await conn.execute(update(OutboxEvent).values(published_at=None))
        log.warning("topic holds %d of %d sent events: re-publishing the outbox", held, sent)
        return int(sent)
