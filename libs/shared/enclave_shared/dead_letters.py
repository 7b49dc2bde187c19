"""Dead letters: the consumer's sender, and the operators' tools to list a service's and
replay chosen ones once the cause is fixed.

A replay sends the message as it was received back to its original topic (with its key);
the consumer then applies it as any other message, and its inbox makes that safe: an event
applied meanwhile is skipped as a duplicate. A truncated copy (`dlq.truncated`) is not the
event any more and is never replayed.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord
from aiokafka.errors import KafkaError, MessageSizeTooLargeError

from enclave_shared.kafka import (
    Connection,
    EventProducer,
    client_kwargs,
    end_offset_total,
    end_offsets,
    topic_partitions,
)
from enclave_shared.metrics import DEAD_LETTER_FAILURES, EVENTS_DEAD_LETTERED
from enclave_shared.settings import ServiceSettings

log = logging.getLogger(__name__)


DEAD_LETTER_KEEP_BYTES = 256 * 1024
"""How much of an event too large to dead-letter whole its dead-letter copy keeps."""


class DeadLetterSender:
    """Sends what a consumer cannot apply to its service's dead-letter topic, as received,
    with why; never blocks a partition for good: a copy too large is truncated, failing
    sends are retried with backoff and counted (`failures`: a readiness signal)."""

    def __init__(self, settings: ServiceSettings, producer: EventProducer) -> None:
        self._settings = settings
        self._producer = producer
        self.failures = 0

    async def send(self, record: ConsumerRecord[bytes, bytes], reason: str) -> None:
        """Dead-letter one message (returns once the broker has it)."""
        name = self._settings.service
        headers = [  # the message's own headers (content-type, …) as received, then why
            *[(k, v) for k, v in record.headers if not _replaced_on_send(k)],
            ("dlq.original.topic", record.topic.encode()),
            ("dlq.original.partition", str(record.partition).encode()),
            ("dlq.original.offset", str(record.offset).encode()),
            ("dlq.consumer", name.encode()),
            ("dlq.error", reason.encode()),
        ]
        value = record.value
        backoff = 0.1
        while True:
            client = self._producer.client
            try:
                await client.send_and_wait(
                    self._settings.dead_letter_topic,
                    value=value,
                    key=record.key,
                    headers=list(headers),  # a traced send appends its traceparent to it
                )
                break
            except MessageSizeTooLargeError:
                # The copy (the original and these headers) is over the limit: keep the
                # head of it, and say so, rather than block the partition for ever.
                size = len(record.value or b"")
                value = (record.value or b"")[:DEAD_LETTER_KEEP_BYTES]
                headers.append(("dlq.truncated", f"{size} bytes, kept {len(value)}".encode()))
            except KafkaError as exc:
                self.failures += 1
                DEAD_LETTER_FAILURES.labels(name).inc()
                log.warning("dead-letter send failed (%s); retrying in %.1fs", exc, backoff)
                if not exc.retriable:
                    await self._producer.renew(client)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self._settings.retry_backoff_max_s)
        self.failures = 0
        EVENTS_DEAD_LETTERED.labels(name).inc()
        log.warning(
            "dead-lettered %s/%d@%d: %s", record.topic, record.partition, record.offset, reason
        )


TRACE_HEADERS = frozenset({"traceparent", "tracestate"})
"""The W3C trace context headers a traced send writes (its own span's); a received
message's are not kept beside them (its trace travels in its CloudEvents envelope)."""


def _replaced_on_send(header: str) -> bool:
    """A received header the dead letter does not keep: why it is there is said anew, and a
    trace context is the dead letter's own send's."""
    return header.startswith("dlq.") or header in TRACE_HEADERS


@dataclass(frozen=True)
class DeadLetter:
    """One message of a dead-letter topic, with what its headers and body say."""

    offset: str  # partition@offset in the dead-letter topic
    event_id: str | None
    event_type: str | None
    reason: str
    original_topic: str
    original_place: str  # partition@offset it was read from
    truncated: str | None
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...]  # the message's own, as received (content-type, …)

    @property
    def replayable(self) -> bool:
        return self.truncated is None and self.value is not None


@dataclass(frozen=True)
class Replay:
    """What a replay did: sent back, left out (truncated), and back in the dead letters."""

    replayed: list[str]
    not_replayable: list[str]
    still_failing: list[str]


async def read_dead_letters(settings: ServiceSettings) -> list[DeadLetter]:
    """Every message the service's dead-letter topic holds, oldest first per partition."""
    records = await _read_all(settings, settings.dead_letter_topic)
    return [_dead_letter(r) for r in records]


async def replay(
    settings: ServiceSettings,
    *,
    ids: Sequence[str] = (),
    every: bool = False,
    dry_run: bool = False,
    wait_s: float = 10.0,
) -> Replay:
    """Send the chosen dead letters (by event id, or every one) back to their topics; then
    watch the dead-letter topic for `wait_s` to count those that fail again."""
    letters = await read_dead_letters(settings)
    # One copy per event: an event that failed again after a replay is in the topic twice.
    latest = {_name(d): d for d in letters}
    chosen = [d for d in latest.values() if every or (d.event_id is not None and d.event_id in ids)]
    sendable = [d for d in chosen if d.replayable]
    report = Replay(
        replayed=[_name(d) for d in sendable],
        not_replayable=[_name(d) for d in chosen if not d.replayable],
        still_failing=[],
    )
    if dry_run or not sendable:
        return report
    before = await end_offset_total(settings, settings.dead_letter_topic)
    producer = AIOKafkaProducer(**client_kwargs(settings), acks="all")
    await producer.start()
    try:
        for letter in sendable:
            await producer.send_and_wait(
                letter.original_topic,
                value=letter.value,
                key=letter.key,
                headers=list(letter.headers),
            )
    finally:
        await producer.stop()
    replayed = {_name(d) for d in sendable}
    deadline = time.monotonic() + wait_s
    again: list[str] = []
    while time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        new = (await read_dead_letters(settings))[before:]
        again = [_name(d) for d in new if _name(d) in replayed]
        if len(again) == len(replayed):
            break
    return Replay(report.replayed, report.not_replayable, again)


def _name(letter: DeadLetter) -> str:
    return letter.event_id or f"{letter.original_topic}/{letter.original_place}"


def _dead_letter(record: ConsumerRecord[bytes, bytes]) -> DeadLetter:
    headers = {k: v.decode(errors="replace") for k, v in record.headers}
    event_id = event_type = None
    truncated = headers.get("dlq.truncated")
    if record.value is not None and truncated is None:
        try:
            body = json.loads(record.value)
        except ValueError:
            body = None
        if isinstance(body, dict):
            event_id = str(body["id"]) if "id" in body else None
            event_type = str(body["type"]) if "type" in body else None
    return DeadLetter(
        offset=f"{record.partition}@{record.offset}",
        event_id=event_id,
        event_type=event_type,
        reason=headers.get("dlq.error", ""),
        original_topic=headers.get("dlq.original.topic", ""),
        original_place="@".join(
            headers.get(f"dlq.original.{part}", "?") for part in ("partition", "offset")
        ),
        truncated=truncated,
        key=record.key,
        value=record.value,
        headers=tuple((k, v) for k, v in record.headers if not k.startswith("dlq.")),
    )


async def _read_all(connection: Connection, topic: str) -> list[ConsumerRecord[bytes, bytes]]:
    consumer = AIOKafkaConsumer(
        **client_kwargs(connection), enable_auto_commit=False, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        partitions = await topic_partitions(connection, topic)
        consumer.assign(partitions)
        ends = await end_offsets(consumer, partitions)  # not ListOffsets alone: see there
        await consumer.seek_to_beginning(*partitions)
        records: list[ConsumerRecord[bytes, bytes]] = []
        pending = {tp for tp in partitions if ends[tp] > 0}
        while pending:
            batches = await consumer.getmany(*pending, timeout_ms=1000)
            for tp, batch in batches.items():
                records.extend(r for r in batch if r.offset < ends[tp])
                if batch and batch[-1].offset + 1 >= ends[tp]:
                    pending.discard(tp)
        return sorted(records, key=lambda r: r.timestamp)
    finally:
        await consumer.stop()
