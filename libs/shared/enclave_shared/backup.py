"""An operator's database tools: migrate a service's database, back it up, restore it.

A backup is a folder: the database (SQLite's online backup, or `pg_dump`'s custom format)
and `manifest.json` with the service's consumer-group offsets as they were committed just
before the copy (every event up to them is in the copy: the consumer commits only after its
transaction). A restore puts the database back, sets the group's offsets back to the
manifest's (the service re-reads what it consumed after the backup, and its inbox skips
what the copy already holds), and marks as published every restored outbox event that is
on the service's topic already, so the relay sends nothing a second time.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.structs import OffsetAndMetadata
from sqlalchemy import MetaData, func, inspect, select, update
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from enclave_shared.db import OutboxEvent, create_engine
from enclave_shared.errors import Conflict, Invalid
from enclave_shared.kafka import client_kwargs, topic_partitions
from enclave_shared.migrations import upgrade
from enclave_shared.settings import ServiceSettings, topic_for

if TYPE_CHECKING:
    from enclave_shared.app import ServiceSpec

MANIFEST = "manifest.json"
JOIN_TIMEOUT_S = 60.0


@dataclass
class Manifest:
    """What a backup folder holds, and the offsets it goes with."""

    service: str
    database: str  # "sqlite" or "postgresql"
    file: str
    taken_at: str
    consumer_group: str
    offsets: dict[str, dict[str, int]] = field(default_factory=dict)  # topic → partition → offset


@dataclass
class Restored:
    """What a restore did."""

    manifest: Manifest
    offsets_rewound: int  # partitions whose committed offset was set back to the backup's
    marked_published: int  # restored outbox events found on the topic already


def settings_for(service: str) -> ServiceSettings:
    """The service's settings from the environment, as the service itself reads them."""
    from enclave_shared.launcher import load_spec

    return load_spec(service).settings_class(service=service)


def migrate(service: str) -> None:
    """Bring the service's database to its newest migration (what its start-up also does)."""
    from enclave_shared.launcher import load_spec

    spec = load_spec(service)
    settings = settings_for(service)
    if settings.database_url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)

    async def run() -> None:
        engine = _engine(settings)
        try:
            await upgrade(engine, spec.migrations, spec.metadata)
        finally:
            await engine.dispose()

    asyncio.run(run())


async def backup(settings: ServiceSettings, out: Path, consumes: list[str]) -> Manifest:
    """Back the service's database up into `out`, the service running or not; `consumes`:
    the topics its consumer reads (consumed_topics)."""
    url = make_url(settings.database_url)
    await asyncio.to_thread(_empty_folder, out)
    # Offsets first: the copy then holds at least every event they cover.
    offsets = await committed_offsets(settings, consumes)
    taken_at = datetime.now(UTC).isoformat(timespec="seconds")
    if _is_sqlite(url):
        file = f"{settings.service}.db"
        await asyncio.to_thread(_sqlite_copy, _sqlite_path(url), out / file)
        kind = "sqlite"
    else:
        file = f"{settings.service}.dump"
        dump = ["pg_dump", "--format=custom", "--no-owner", f"--file={out / file}"]
        await asyncio.to_thread(_run, dump, url)
        kind = "postgresql"
    manifest = Manifest(
        service=settings.service,
        database=kind,
        file=file,
        taken_at=taken_at,
        consumer_group=settings.consumer_group,
        offsets=offsets,
    )
    text = json.dumps(asdict(manifest), indent=2) + "\n"
    await asyncio.to_thread((out / MANIFEST).write_text, text)
    return manifest


async def restore(settings: ServiceSettings, source: Path, *, replace: bool = False) -> Restored:
    """Restore a backup into the service's database; the service must be stopped.

    An empty (or missing) database is required unless `replace`, which drops what it holds.
    """
    manifest = await asyncio.to_thread(read_manifest, source)
    if manifest.service != settings.service:
        raise Invalid(f"{source} is a backup of {manifest.service}, not {settings.service}")
    url = make_url(settings.database_url)
    if (manifest.database == "sqlite") != _is_sqlite(url):
        raise Invalid(f"{source} is a {manifest.database} backup; DATABASE_URL is not")
    if not replace and await _holds_tables(settings, url):
        raise Conflict(
            f"{settings.service}'s database is not empty; restore into a fresh one "
            "or pass --replace"
        )
    if manifest.database == "sqlite":
        await asyncio.to_thread(_sqlite_copy, source / manifest.file, _sqlite_path(url))
    else:
        options = ["--clean", "--if-exists"] if replace else []
        command = ["pg_restore", "--no-owner", "--no-privileges", *options, "--dbname"]
        await asyncio.to_thread(_run, command, url, [str(source / manifest.file)])
    rewound = await rewind_offsets(settings, manifest)
    marked = await mark_published_on_topic(settings)
    return Restored(manifest, rewound, marked)


def read_manifest(source: Path) -> Manifest:
    """The manifest of a backup folder."""
    path = source / MANIFEST
    if not path.is_file():
        raise Invalid(f"{source} holds no backup ({MANIFEST} missing)")
    return Manifest(**json.loads(path.read_text()))


def consumed_topics(spec: ServiceSpec, settings: ServiceSettings) -> list[str]:
    """The topics the service's consumer reads (its group's offsets are on them)."""
    return sorted({topic_for(settings.topic_prefix, m.producer) for m in spec.handlers})


async def committed_offsets(
    settings: ServiceSettings, topics: list[str]
) -> dict[str, dict[str, int]]:
    """The service's consumer group's committed offsets on the topics, by partition."""
    offsets: dict[str, dict[str, int]] = {topic: {} for topic in topics}
    if not topics:
        return offsets
    partitions = [tp for topic in topics for tp in await topic_partitions(settings, topic)]
    consumer = AIOKafkaConsumer(
        **client_kwargs(settings), group_id=settings.consumer_group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        for tp in partitions:
            offset = await consumer.committed(tp)
            if offset is not None and offset >= 0:
                offsets[tp.topic][str(tp.partition)] = offset
    finally:
        await consumer.stop()
    return offsets


async def rewind_offsets(settings: ServiceSettings, manifest: Manifest) -> int:
    """Set the group's committed offsets to the manifest's where they are further on."""
    now = await committed_offsets(settings, sorted(manifest.offsets))
    wanted: dict[TopicPartition, OffsetAndMetadata] = {}
    for topic, committed in now.items():
        for partition, offset in committed.items():
            # A partition the backup had no offset for is read again from its beginning.
            then = manifest.offsets[topic].get(partition, 0)
            if offset != then:
                wanted[TopicPartition(topic, int(partition))] = OffsetAndMetadata(then, "")
    if not wanted:
        return 0
    # Joined as the group's one member (a commit from outside the group is refused by some
    # brokers): a service still running keeps partitions, and the restore is refused.
    consumer = AIOKafkaConsumer(
        *sorted(manifest.offsets),
        **client_kwargs(settings),
        group_id=settings.consumer_group,
        enable_auto_commit=False,
        session_timeout_ms=settings.kafka_session_timeout_ms,
        heartbeat_interval_ms=(settings.kafka_session_timeout_ms or 10000) // 3,
    )
    await consumer.start()
    try:
        deadline = time.monotonic() + JOIN_TIMEOUT_S
        while not set(wanted) <= consumer.assignment():
            if time.monotonic() > deadline:
                raise Conflict(
                    f"{settings.consumer_group} has other members: stop {settings.service} "
                    "before restoring it"
                )
            consumer.pause(*consumer.assignment())
            await consumer.getmany(timeout_ms=500)
        await consumer.commit(wanted)
    finally:
        await consumer.stop()
    return len(wanted)


async def mark_published_on_topic(settings: ServiceSettings) -> int:
    """Mark unpublished outbox events as published when the topic holds them already."""
    engine = _engine(settings)
    try:
        async with engine.connect() as conn:
            pending = OutboxEvent.published_at.is_(None)
            waiting = set((await conn.scalars(select(OutboxEvent.event_id).where(pending))).all())
        if not waiting:
            return 0
        found = waiting & await _event_ids_on(settings, settings.topic)
        if found:
            async with engine.begin() as conn:
                await conn.execute(
                    update(OutboxEvent)
                    .where(OutboxEvent.event_id.in_(found), pending)
                    .values(published_at=func.now())
                )
        return len(found)
    finally:
        await engine.dispose()


async def table_rows(settings: ServiceSettings) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows, in a stable order (to compare a restore with its source)."""
    engine = _engine(settings)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(_read_tables)
    finally:
        await engine.dispose()


def _read_tables(conn: Any) -> dict[str, list[dict[str, Any]]]:
    meta = MetaData()
    meta.reflect(conn)
    tables = {}
    for name, table in sorted(meta.tables.items()):
        rows = [dict(r._mapping) for r in conn.execute(table.select())]
        tables[name] = sorted(rows, key=lambda row: repr(sorted(row.items())))
    return tables


async def _event_ids_on(settings: ServiceSettings, topic: str) -> set[str]:
    partitions = await topic_partitions(settings, topic)
    consumer = AIOKafkaConsumer(
        **client_kwargs(settings), enable_auto_commit=False, auto_offset_reset="earliest"
    )
    await consumer.start()
    ids: set[str] = set()
    try:
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        await consumer.seek_to_beginning(*partitions)
        left = {tp for tp in partitions if ends[tp] > 0}
        while left:
            batch = await consumer.getmany(*left, timeout_ms=1000)
            for tp, records in batch.items():
                for record in records:
                    ids.add(_event_id(record.value))
                if records and records[-1].offset + 1 >= ends[tp]:
                    left.discard(tp)
            for tp in list(left):
                if await consumer.position(tp) >= ends[tp]:
                    left.discard(tp)
    finally:
        await consumer.stop()
    ids.discard("")
    return ids


def _event_id(value: bytes | None) -> str:
    try:
        event = json.loads(value or b"")
    except ValueError:
        return ""
    return str(event.get("id", "")) if isinstance(event, dict) else ""


async def _holds_tables(settings: ServiceSettings, url: URL) -> bool:
    if _is_sqlite(url) and not await asyncio.to_thread(_sqlite_path(url).is_file):
        return False  # a fresh data folder: opening it would make the file
    engine = _engine(settings)
    try:
        async with engine.connect() as conn:
            names: list[str] = await conn.run_sync(lambda c: inspect(c).get_table_names())
    finally:
        await engine.dispose()
    return bool(names)


def _engine(settings: ServiceSettings) -> AsyncEngine:
    return create_engine(
        settings.database_url, sqlite_busy_timeout_ms=settings.sqlite_busy_timeout_ms
    )


def _is_sqlite(url: URL) -> bool:
    return url.drivername.startswith("sqlite")


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise Invalid("an in-memory SQLite database has nothing to back up")
    return Path(url.database)


def _empty_folder(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    if (out / MANIFEST).exists():
        raise Conflict(f"{out} holds a backup already; give an empty folder")


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy while writers go on (pages they change
    during the copy are copied again)."""
    if not source.is_file():
        raise Invalid(f"no database at {source}")
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        dst.close()
        src.close()


def _run(command: list[str], url: URL, trailing: list[str] | None = None) -> None:
    """Run a PostgreSQL client tool on the database (the password in its environment, not
    on its command line, where the process list would show it)."""
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    target = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    ).render_as_string()
    done = subprocess.run(
        [*command, target, *(trailing or [])], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {done.stderr.strip()}")
