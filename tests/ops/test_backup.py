"""`enclave backup` / `enclave restore`: an online backup of running services restored
into a fresh data folder (or database) holds every table as it was; the restored services
resume from the backup's committed offsets and publish nothing a second time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from enclave_shared import backup
from enclave_shared.kafka import end_offset_total
from enclave_shared.settings import ServiceSettings
from sqlalchemy import func, select

from tests.platform.sample import Applied, consumer_spec, producer_spec
from tests.support import eventually, run_service

pytestmark = pytest.mark.long

ENCLAVE = Path(sys.executable).parent / "enclave"


async def fresh(settings: ServiceSettings, new_database, postgres_url, folder: Path):
    """The same service, topics and group on a new, empty database in a new data folder."""
    if postgres_url is None:
        url = f"sqlite+aiosqlite:///{folder / (settings.service + '.db')}"
    else:
        url = await new_database(settings.service)
    return settings.model_copy(update={"database_url": url, "data_dir": folder})


async def note(svc, title: str) -> None:
    resp = await svc.client.post(
        "/notes", json={"project_id": "p1", "title": title}, headers=svc.auth("admin")
    )
    assert resp.status_code == 201, resp.text


async def count(svc, column) -> int:
    async with svc.runtime.sessions() as session:
        return int(await session.scalar(select(func.count(column))) or 0)


async def test_backup_while_running_then_restore_resumes_without_republishing(
    make_settings, new_database, postgres_url, tmp_path
):
    producer = await make_settings("incubation")
    consumer = await make_settings("intake")
    topic = producer.topic
    consumes = {"incubation": [], "intake": backup.consumed_topics(consumer_spec, consumer)}
    assert consumes["intake"] == [topic]
    async with (
        run_service(producer_spec, producer) as prod,
        run_service(consumer_spec, consumer) as cons,
    ):
        for i in range(5):
            await note(prod, f"before {i}")

        async def consumed_and_committed() -> bool:
            offsets = await backup.committed_offsets(consumer, [topic])
            return sum(offsets.get(topic, {}).values()) == 5

        await eventually(consumed_and_committed)
        # One event committed but not yet published when the backup is taken.
        await prod.runtime.relay.stop()
        await note(prod, "unpublished at the backup")
        taken = {}
        for settings in (producer, consumer):
            taken[settings.service] = await backup.backup(
                settings, tmp_path / settings.service, consumes[settings.service]
            )
        rows = {s.service: await backup.table_rows(s) for s in (producer, consumer)}
        prod.runtime.relay.start()
        # After the backup: published and consumed, so not in the copies.
        await note(prod, "after 1")
        await note(prod, "after 2")
        await eventually(lambda: _equals(count(cons, Applied.id), 8))
    assert (
        taken["intake"].offsets == {topic: {"0": 2, "1": 2, "2": 1}}
        or sum(taken["intake"].offsets[topic].values()) == 5
    )
    assert len(rows["incubation"]["sample_notes"]) == 6
    assert len(rows["intake"]["sample_applied"]) == 5
    published = await end_offset_total(producer, topic)
    assert published == 8

    restored = {}
    for settings in (producer, consumer):
        target = await fresh(settings, new_database, postgres_url, tmp_path / "fresh")
        done = await backup.restore(target, tmp_path / settings.service)
        now = await backup.table_rows(target)
        # Every table as it was, but the outbox event published after the backup: marked.
        marked = [
            row["event_id"]
            for row, was in zip(
                now["outbox_events"], rows[settings.service]["outbox_events"], strict=True
            )
            if row["published_at"] is not None and was["published_at"] is None
        ]
        assert _unmarked(now) == _unmarked(rows[settings.service]), "every table"
        assert len(marked) == done.marked_published
        restored[settings.service] = (target, done)
    assert restored["incubation"][1].marked_published == 1
    assert restored["intake"][1].offsets_rewound >= 1
    assert sum((await backup.committed_offsets(consumer, [topic]))[topic].values()) == 5

    async with (
        run_service(producer_spec, restored["incubation"][0]) as prod,
        run_service(consumer_spec, restored["intake"][0]) as cons,
    ):
        # The consumer re-reads what it took after the backup, from the backup's offsets.
        await eventually(lambda: _equals(count(cons, Applied.id), 8))
        async with cons.runtime.sessions() as session:
            titles = (await session.scalars(select(Applied.title))).all()
        assert sorted(titles) == sorted(
            [f"before {i}" for i in range(5)] + ["unpublished at the backup", "after 1", "after 2"]
        )
        await eventually(consumed_and_committed_all(consumer, topic, 8))
        # The producer's relay runs passes and finds nothing to send again.
        await prod.runtime.relay.publish_pending()
        assert prod.runtime.relay.health() == "ok"
    assert await end_offset_total(producer, topic) == published


def _unmarked(tables):
    outbox = [{**row, "published_at": None} for row in tables["outbox_events"]]
    return {**tables, "outbox_events": outbox}


def consumed_and_committed_all(settings: ServiceSettings, topic: str, total: int):
    async def check() -> bool:
        offsets = await backup.committed_offsets(settings, [topic])
        return sum(offsets.get(topic, {}).values()) == total

    return check


async def _equals(value, expected) -> bool:
    return await value == expected


def cli_env(settings: ServiceSettings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENCLAVE_")}
    env.update(
        DATABASE_URL=settings.database_url,
        KAFKA_BOOTSTRAP_SERVERS=settings.kafka_bootstrap_servers,
        ENCLAVE_TOPIC_PREFIX=settings.topic_prefix,
        ENCLAVE_DATA_DIR=str(settings.data_dir),
        ENCLAVE_PROFILE=str(settings.profile),
    )
    if settings.jwt_public_key_file:
        env["ENCLAVE_JWT_PUBLIC_KEY_FILE"] = str(settings.jwt_public_key_file)
    return env


def enclave(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ENCLAVE), *args], env=env, capture_output=True, text=True, timeout=120
    )


async def test_the_commands_back_up_and_restore_and_refuse_a_database_in_use(
    make_settings, new_database, postgres_url, tmp_path
):
    settings = await make_settings("incubation")
    async with run_service(producer_spec, settings) as svc:
        await note(svc, "kept")
        done = enclave("backup", "incubation", "--out", str(tmp_path / "b"), env=cli_env(settings))
        assert done.returncode == 0, done.stderr
        assert (tmp_path / "b" / backup.MANIFEST).is_file()
        again = enclave("backup", "incubation", "--out", str(tmp_path / "b"), env=cli_env(settings))
        assert again.returncode == 1 and "holds a backup already" in again.stderr
        source = await backup.table_rows(settings)
    # A database that holds tables is not overwritten unless asked.
    refused = enclave("restore", "incubation", "--from", str(tmp_path / "b"), env=cli_env(settings))
    assert refused.returncode == 1 and "not empty" in refused.stderr
    wrong = enclave("restore", "intake", "--from", str(tmp_path / "b"), env=cli_env(settings))
    assert wrong.returncode == 1 and "backup of incubation" in wrong.stderr
    target = await fresh(settings, new_database, postgres_url, tmp_path / "fresh")
    done = enclave("restore", "incubation", "--from", str(tmp_path / "b"), env=cli_env(target))
    assert done.returncode == 0, done.stderr
    assert "outbox event(s) found on the topic already" in done.stdout
    assert _unmarked(await backup.table_rows(target)) == _unmarked(source)
    replaced = enclave(
        "restore", "incubation", "--from", str(tmp_path / "b"), "--replace", env=cli_env(target)
    )
    assert replaced.returncode == 0, replaced.stderr
    assert _unmarked(await backup.table_rows(target)) == _unmarked(source)
