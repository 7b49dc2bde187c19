"""The one consumer loop: idempotent batches, offsets after commit, dead letters, retries."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.abc import ConsumerRebalanceListener
from aiokafka.errors import KafkaError
from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from enclave_shared import catalog, tracing
from enclave_shared.context import correlation_id
from enclave_shared.db import InboxEvent, padded
from enclave_shared.dead_letters import DeadLetterSender
from enclave_shared.events import CloudEvent, Payload, PoisonEvent, parse_envelope, parse_payload
from enclave_shared.failures import is_transient
from enclave_shared.kafka import EventProducer, client_kwargs
from enclave_shared.metrics import (
    CONSUMER_LAG,
    CONSUMER_PROGRESS,
    EVENT_RETRIES,
    EVENTS_CONSUMED,
    EVENTS_DUPLICATE,
)
from enclave_shared.outbox import OutboxSession
from enclave_shared.settings import ServiceSettings, topic_for

log = logging.getLogger(__name__)

COMMIT_INTERVAL_S = 0.2

IDLE_AFTER_S = 1.0
"""With no record for this long a consumer long-polls: its fetches wait IDLE_FETCH_WAIT_MS."""

IDLE_FETCH_WAIT_MS = 300
"""An idle consumer's fetch wait. Apache Kafka answers a waiting fetch as soon as data
arrives; Tansu (the embedded broker) within about half the wait (measured: ≤ 150 ms at
300). So an idle service sends ~3 fetches a second instead of 200, and the first event
after a quiet spell still arrives within the target (≤ 300 ms commit → applied)."""

_SEEN = select(InboxEvent.source, InboxEvent.event_id).where(
    InboxEvent.consumer == bindparam("consumer"),
    InboxEvent.event_id.in_(bindparam("ids", expanding=True)),
)
"""Which of a batch's events this consumer has applied (built once, not for every batch)."""

Handler = Callable[[OutboxSession, Any, CloudEvent], Awaitable[None]]
"""An event handler: applies one payload inside the consumer's transaction; never commits."""


@dataclass
class _Item:
    record: ConsumerRecord[bytes, bytes]
    envelope: CloudEvent | None = None
    payload: Payload | None = None
    handler: Handler | None = None
    problem: str | None = None  # set: dead-letter with this reason


class EventConsumer:
    """Consumes the topics that carry the event types in `handlers`, in one consumer group."""

    def __init__(
        self,
        *,
        settings: ServiceSettings,
        sessions: async_sessionmaker[OutboxSession],
        handlers: dict[type[Payload], Handler],
        producer: EventProducer,
        batch_size: int = 500,
    ) -> None:
        self.settings = settings
        self.name = settings.service
        self._sessions = sessions
        self._handlers = {model.event_type: (model, h) for model, h in handlers.items()}
        self._producer = producer
        self._batch_size = batch_size
        self.topics = sorted({topic_for(settings.topic_prefix, m.producer) for m in handlers})
        self._consumer = AIOKafkaConsumer(
            **client_kwargs(settings),
            group_id=settings.consumer_group,
            client_id=f"{settings.consumer_group}.consumer",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            session_timeout_ms=settings.kafka_session_timeout_ms,
            heartbeat_interval_ms=(settings.kafka_session_timeout_ms or 10000) // 3,
            metadata_max_age_ms=5000,
            fetch_max_wait_ms=settings.kafka_fetch_max_wait_ms,
        )
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._uncommitted: dict[TopicPartition, int] = {}
        self._committed_at = time.monotonic()
        self._committing: asyncio.Task[None] | None = None
        self._commit_lock = asyncio.Lock()
        self._progressed_at = time.monotonic()
        self._busy_wait_ms = settings.kafka_fetch_max_wait_ms or 0
        self._idle_wait_ms = max(self._busy_wait_ms, IDLE_FETCH_WAIT_MS)
        self._received_at = time.monotonic()
        self._dead_letters = DeadLetterSender(settings, producer)

    @property
    def assigned(self) -> bool:
        """Whether this replica owns at least one partition (a readiness signal)."""
        return bool(self._consumer.assignment())

    def health(self) -> str:
        """ "ok" while the loop runs, owns partitions and made progress (applied a batch or
        found nothing to do) within the stall limit; otherwise what is wrong."""
        if self._task is None or self._task.done():
            reason = "not started"
            if self._task is not None:
                exc = None if self._task.cancelled() else self._task.exception()
                reason = f"{type(exc).__name__}: {exc}" if exc else "cancelled"
            return f"consumer loop stopped ({reason})"
        if self._dead_letters.failures >= 3:
            return f"dead-letter sends failing ({self._dead_letters.failures} in a row)"
        stalled = time.monotonic() - self._progressed_at
        if stalled > self.settings.consumer_stall_s:
            return f"no progress for {stalled:.0f}s"
        return "ok" if self.assigned else "no partitions assigned"

    def _progressed(self) -> None:
        self._progressed_at = time.monotonic()
        CONSUMER_PROGRESS.labels(self.name).set_to_current_time()

    async def start(self) -> None:
        """Join the group and start consuming in the background."""
        await self._consumer.start()
        self._consumer.subscribe(self.topics, listener=_CommitOnRevoke(self))
        self._task = asyncio.create_task(self._run(), name=f"consumer-{self.name}")

    async def stop(self, grace_s: float = 30.0) -> None:
        """Stop fetching, finish the batch in hand, commit, leave the group."""
        self._stopping.set()
        if self._task is not None and not self._task.done():
            try:
                await asyncio.wait_for(asyncio.shield(self._task), grace_s)
            except TimeoutError:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task
        if self._committing is not None:
            await asyncio.wait([self._committing])  # its errors are its own (logged)
        with contextlib.suppress(KafkaError):
            await self.commit()
        await self._consumer.stop()

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                batches = await self._fetch_unless_stopping()
            except KafkaError:
                log.exception("fetch failed; retrying")
                await asyncio.sleep(1)
                continue
            self._progressed()
            self._tune_fetch_wait(bool(batches))
            if batches:
                # One transaction for the whole fetch, every partition's records in their
                # order (a key lives on one partition): not one transaction per partition
                # in turn, each waiting for the one before.
                await self._process([r for records in batches.values() for r in records])
                self._progressed()
            for tp, records in batches.items():
                self._uncommitted[tp] = records[-1].offset + 1
                highwater = self._consumer.highwater(tp)
                if highwater is not None:
                    CONSUMER_LAG.labels(self.name, tp.topic, tp.partition).set(
                        highwater - records[-1].offset - 1
                    )
            # Offsets trail the transactions by at most COMMIT_INTERVAL_S: a commit per batch
            # would cost a broker round trip each, and what a crash re-delivers the inbox
            # dedupes. The commit runs beside the loop, which goes on fetching and applying.
            if time.monotonic() - self._committed_at >= COMMIT_INTERVAL_S or not batches:
                self._commit_in_background()

    def _tune_fetch_wait(self, received: bool) -> None:
        """Short fetch waits while records flow (Tansu answers a waiting fetch late, so a
        busy consumer polls), long ones once idle (a quiet consumer costs the broker and
        itself next to nothing). aiokafka reads the wait for each fetch request it builds;
        it has no public setter."""
        now = time.monotonic()
        if received:
            self._received_at = now
        idle = now - self._received_at >= IDLE_AFTER_S
        fetcher = getattr(self._consumer, "_fetcher", None)
        if fetcher is not None:
            fetcher._fetch_max_wait_ms = self._idle_wait_ms if idle else self._busy_wait_ms

    async def _fetch_unless_stopping(
        self,
    ) -> dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]]:
        """The next batches, or none when stop() is called first (getmany waits for the
        group's assignment with no timeout, and nothing is applied yet: safe to abandon)."""
        fetch = asyncio.ensure_future(
            self._consumer.getmany(timeout_ms=1000, max_records=self._batch_size)
        )
        stopping = asyncio.ensure_future(self._stopping.wait())
        await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not fetch.done():
            fetch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await fetch
            return {}
        batches: dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]] = fetch.result()
        return batches

    def _commit_in_background(self) -> None:
        """Start a commit of the offsets applied so far unless one is still on its way
        (the offsets applied meanwhile go with the next)."""
        if self._committing is None or self._committing.done():
            self._committed_at = time.monotonic()
            self._committing = asyncio.create_task(self.commit())

    async def commit(self) -> None:
        """Commit the offsets of everything applied so far (after its transaction).

        One commit at a time, in the order called: a later commit never lands before an
        earlier one (which would move a partition's committed offset back)."""
        async with self._commit_lock:
            await self._commit_applied()

    async def _commit_applied(self) -> None:
        if not self._uncommitted:
            return
        owned = self._consumer.assignment()
        offsets = {tp: o for tp, o in self._uncommitted.items() if tp in owned}
        self._uncommitted = {}
        self._committed_at = time.monotonic()
        if not offsets:
            return  # all lost in a rebalance: their new owners re-read, the inbox dedupes
        try:
            await self._consumer.commit(offsets)
        except KafkaError as exc:
            # Keep what is still owned for the next commit (offsets applied since win);
            # a partition lost in a rebalance is re-read by its new owner and deduped.
            still = self._consumer.assignment()
            for tp, offset in offsets.items():
                if tp in still and self._uncommitted.get(tp, -1) < offset:
                    self._uncommitted[tp] = offset
            log.warning("offset commit failed (%s); the owned offsets are committed next", exc)

    async def _process(self, records: Sequence[ConsumerRecord[bytes, bytes]]) -> None:
        items = [self._classify(r) for r in records]
        items = [i for i in items if i.problem is not None or i.handler is not None]
        isolate = False  # first try the whole batch plainly; savepoints only when one fails
        backoff = 0.05
        while True:
            try:
                applied = await self._apply(items, isolate=isolate)
                break
            except _HandlerRefused:
                isolate = True
            except Exception as exc:
                # Handlers' own failures are settled per event; what reaches here is the
                # database or the network, so the batch is retried in place.
                EVENT_RETRIES.labels(self.name).inc()
                log.warning(
                    "batch failed (%s: %s); retrying in %.2fs",
                    type(exc).__name__,
                    exc,
                    backoff,
                    exc_info=not is_transient(exc),
                )
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self.settings.retry_backoff_max_s)
        for item in applied:
            assert item.envelope is not None
            EVENTS_CONSUMED.labels(self.name, item.envelope.type).inc()
        for item in items:
            if item.problem is not None:
                await self._dead_letters.send(item.record, item.problem)

    def _classify(self, record: ConsumerRecord[bytes, bytes]) -> _Item:
        item = _Item(record)
        try:
            item.envelope = parse_envelope(record.value)
            model_and_handler = self._handlers.get(item.envelope.type)
            if model_and_handler is None:
                if item.envelope.type not in catalog.BY_TYPE:
                    raise PoisonEvent(f"unknown event type {item.envelope.type!r}")
                return item  # a catalog event this service does not consume: skip it
            model, item.handler = model_and_handler
            _check_producer(record.topic, item.envelope, model, self.settings.topic_prefix)
            item.payload = parse_payload(item.envelope, model)
        except PoisonEvent as exc:
            item.problem = str(exc)
            item.handler = None
        return item

    async def _apply(self, items: list[_Item], *, isolate: bool) -> list[_Item]:
        """Apply a fetch's batch in one transaction with the inbox rows; return the
        events applied. With `isolate`, each event runs in a savepoint so that one the
        handler refuses is dead-lettered and the rest still commit."""
        to_apply = [i for i in items if i.handler is not None and i.problem is None]
        if not to_apply:
            return []
        applied: list[_Item] = []
        async with self._sessions() as session, session.begin():
            ids = [i.envelope.id for i in to_apply if i.envelope is not None]
            seen = await session.execute(_SEEN, {"consumer": self.name, "ids": padded(ids)})
            done = {(source, id_) for source, id_ in seen.all()}
            for item in to_apply:
                assert item.envelope is not None
                key = (item.envelope.source, item.envelope.id)
                if key in done:
                    EVENTS_DUPLICATE.labels(self.name).inc()
                    continue
                if isolate:
                    if not await self._apply_isolated(session, item):
                        continue
                else:
                    await self._apply_one(session, item, flush=False)
                done.add(key)
                applied.append(item)
            if not isolate:
                await _refusing(session.flush())  # a constraint broken by one of the batch
        return applied

    async def _apply_one(self, session: OutboxSession, item: _Item, *, flush: bool) -> None:
        assert item.envelope is not None and item.handler is not None
        event = item.envelope
        token = correlation_id.set(event.correlationid)
        try:
            with tracing.consuming(self.name, event, item.record.topic):
                await _refusing(item.handler(session, item.payload, event))
            session.add(
                InboxEvent(
                    consumer=self.name,
                    source=event.source,
                    event_id=event.id,
                    event_type=event.type,
                )
            )
            if flush:
                await _refusing(session.flush())
        finally:
            correlation_id.reset(token)

    async def _apply_isolated(self, session: OutboxSession, item: _Item) -> bool:
        assert item.envelope is not None
        try:
            async with session.begin_nested():
                await self._apply_one(session, item, flush=True)
        except _HandlerRefused as refused:
            if await self._applied_elsewhere(session, item.envelope):
                # Another member applied it meanwhile (a rebalance moved the partition
                # while this one held the batch): a duplicate, not a refusal.
                EVENTS_DUPLICATE.labels(self.name).inc()
                return False
            exc = refused.__cause__
            item.problem = f"handler failed: {type(exc).__name__}: {exc}"
            log.error(
                "event %s (%s) dead-lettered: %s",
                item.envelope.id,
                item.envelope.type,
                item.problem,
            )
            return False
        return True

    async def _applied_elsewhere(self, session: OutboxSession, event: CloudEvent) -> bool:
        applied = select(InboxEvent.event_id).where(
            InboxEvent.consumer == self.name,
            InboxEvent.source == event.source,
            InboxEvent.event_id == event.id,
        )
        return (await session.scalar(applied)) is not None


def _check_producer(topic: str, envelope: CloudEvent, model: type[Payload], prefix: str) -> None:
    """An event type is accepted only from its producing service: on that service's topic,
    with that service as its source. Anyone else who reaches the broker is refused."""
    expected_topic = topic_for(prefix, model.producer)
    expected_source = f"/enclave/{model.producer}"
    if topic != expected_topic or envelope.source != expected_source:
        raise PoisonEvent(
            f"wrong producer: {envelope.type} comes from {expected_source} on "
            f"{expected_topic}, not from {envelope.source} on {topic}"
        )


class _HandlerRefused(Exception):
    """A handler raised a non-transient error: the batch is re-run event by event."""


async def _refusing(work: Awaitable[Any]) -> None:
    """Await handler work; a non-transient failure becomes _HandlerRefused."""
    try:
        await work
    except Exception as exc:
        if is_transient(exc):
            raise
        raise _HandlerRefused from exc


class _CommitOnRevoke(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, consumer: EventConsumer) -> None:
        self._consumer = consumer

    async def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        await self._consumer.commit()

    async def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        log.info("%s assigned %s", self._consumer.name, sorted(str(tp) for tp in assigned))
