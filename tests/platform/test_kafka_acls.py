"""Apache Kafka with SASL/SCRAM (scripts/kafka.sh): each service is a user of its own, the
broker's ACLs (derived from the services' handlers) let it write only its topics and read
only what it consumes; a client without the right password gets nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import (
    GroupAuthorizationFailedError,
    KafkaConnectionError,
    KafkaError,
    TopicAuthorizationFailedError,
)
from enclave_shared.kafka import client_kwargs, grant_acls, platform_acls, service_acls
from enclave_shared.settings import KafkaClientSettings, Profile, ServiceSettings, topic_for

from tests.platform.sample import consumer_spec, producer_spec
from tests.platform.test_consumer import titles
from tests.support import eventually, run_service

sasl = pytest.mark.sasl


def _password_file(user: str) -> Path:
    return Path(os.environ["KAFKA_SASL_CREDENTIALS_DIR"]) / f"{user}.password"


def _as(user: str, bootstrap: str, password: str | None = None) -> KafkaClientSettings:
    if password is not None:
        return KafkaClientSettings(
            kafka_bootstrap_servers=bootstrap,
            kafka_sasl_username=user,
            kafka_sasl_password=password,
        )
    return KafkaClientSettings(
        kafka_bootstrap_servers=bootstrap,
        kafka_sasl_username=user,
        kafka_sasl_password_file=_password_file(user),
    )


async def _grant(bootstrap: str, prefix: str) -> None:
    await grant_acls(_as("admin", bootstrap), platform_acls(prefix))


def test_the_acls_follow_the_services_handlers():
    acls = platform_acls("p")
    reads = {(a.principal, a.name) for a in acls if a.operation == "read" and a.resource == "topic"}
    writes = {(a.principal, a.name) for a in acls if a.operation == "write"}
    assert writes == {
        (f"User:{s}", t)
        for s in ("console", "incubation", "intake", "hotline", "assessment")
        for t in (f"p.{s}", f"p.{s}.dlq")
    }
    assert reads == {
        ("User:incubation", "p.intake"),  # intake's answer: the project transferred
        ("User:intake", "p.incubation"),
        ("User:hotline", "p.intake"),
        ("User:assessment", "p.incubation"),
        ("User:assessment", "p.intake"),
        ("User:assessment", "p.hotline"),
        ("User:assessment", "p.assessment"),  # it handles its own events too
    }
    groups = {(a.principal, a.name, a.prefixed) for a in acls if a.resource == "group"}
    assert ("User:intake", "p.intake", True) in groups
    assert all(principal == f"User:{name[2:]}" for principal, name, _ in groups)
    # a service that consumes nothing reads nothing
    assert not [a for a in service_acls("p", "console", []) if a.operation == "read"]


@sasl
async def test_services_with_their_own_users_pass_events_through_the_broker(
    make_settings, kafka_bootstrap, topic_prefix
):
    await _grant(kafka_bootstrap, topic_prefix)
    producer = await make_settings(
        "incubation",
        kafka_sasl_username="incubation",
        kafka_sasl_password_file=_password_file("incubation"),
    )
    consumer = await make_settings(
        "intake", kafka_sasl_username="intake", kafka_sasl_password_file=_password_file("intake")
    )
    async with (
        run_service(producer_spec, producer) as writer,
        run_service(consumer_spec, consumer) as reader,
    ):
        created = await writer.client.post(
            "/notes",
            json={"project_id": "p1", "title": "through the ACLs"},
            headers=writer.auth("enclave_operator"),
        )
        assert created.status_code == 201, created.text

        async def arrived() -> bool:
            return [t for _, t in await titles(reader)] == ["through the ACLs"]

        await eventually(arrived)
        assert (await reader.client.get("/readyz")).status_code == 200


@sasl
async def test_a_service_writing_another_services_topic_is_refused(kafka_bootstrap, topic_prefix):
    await _grant(kafka_bootstrap, topic_prefix)
    own, other = topic_for(topic_prefix, "incubation"), topic_for(topic_prefix, "intake")
    producer = AIOKafkaProducer(**client_kwargs(_as("incubation", kafka_bootstrap)), acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(own, b"its own topic")
        with pytest.raises(TopicAuthorizationFailedError):
            await producer.send_and_wait(other, b"a forged intake event")
        with pytest.raises(TopicAuthorizationFailedError):
            await producer.send_and_wait(f"{other}.dlq", b"into intake's dead letters")
    finally:
        await producer.stop()


@sasl
async def test_a_service_reads_only_what_it_consumes_in_its_own_groups(
    kafka_bootstrap, topic_prefix
):
    await _grant(kafka_bootstrap, topic_prefix)
    hotline_topic = topic_for(topic_prefix, "hotline")  # incubation consumes nothing of it
    await _read_refused(kafka_bootstrap, hotline_topic, None, TopicAuthorizationFailedError)
    intake = topic_for(topic_prefix, "intake")  # a topic incubation may read, in its own group
    await _read_refused(kafka_bootstrap, intake, intake, GroupAuthorizationFailedError)


async def _read_refused(
    bootstrap: str, topic: str, group_id: str | None, error: type[Exception]
) -> None:
    """Incubation reading `topic` (in `group_id`; None: without a group) is refused with
    `error`."""
    reader = AIOKafkaConsumer(
        topic,
        **client_kwargs(_as("incubation", bootstrap)),
        group_id=group_id,
        auto_offset_reset="earliest",
    )
    try:
        with pytest.raises(error):
            await reader.start()
            await reader.getmany(timeout_ms=5000)
    finally:
        await reader.stop()


@sasl
async def test_a_client_with_a_wrong_or_no_password_is_refused(
    make_settings, kafka_bootstrap, topic_prefix
):
    await _grant(kafka_bootstrap, topic_prefix)
    no_credentials = KafkaClientSettings(
        kafka_bootstrap_servers=kafka_bootstrap, kafka_security_protocol="PLAINTEXT"
    )
    cases = [
        (_as("incubation", kafka_bootstrap, password="not-the-password"), False),
        (no_credentials, False),
        (_as("nobody", kafka_bootstrap, password="x"), False),
        (_as("incubation", kafka_bootstrap), True),  # the right password: the broker is there
    ]
    for settings, accepted in cases:
        admin = AIOKafkaAdminClient(**client_kwargs(settings), request_timeout_ms=5000)
        try:
            if accepted:
                await admin.start()
                assert topic_for(topic_prefix, "incubation") not in await admin.list_topics()
            else:
                with pytest.raises(KafkaConnectionError):
                    await admin.start()
        finally:
            await admin.close()
    wrong = await make_settings(
        "incubation", kafka_sasl_username="incubation", kafka_sasl_password="not-the-password"
    )
    with pytest.raises(KafkaError):
        async with run_service(producer_spec, wrong):
            pass  # start-up (topics) fails: a service with a wrong password never runs


def test_credentials_come_from_settings_and_the_embedded_profile_takes_none(tmp_path):
    secret = tmp_path / "intake.password"
    secret.write_text("s3cret\n")
    settings = KafkaClientSettings(
        kafka_bootstrap_servers="b:9092",
        kafka_sasl_username="intake",
        kafka_sasl_password_file=secret,
    )
    assert client_kwargs(settings) == {
        "bootstrap_servers": "b:9092",
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": "intake",
        "sasl_plain_password": "s3cret",
    }
    assert "s3cret" not in repr(settings)
    with pytest.raises(ValueError, match="KAFKA_SASL_PASSWORD_FILE"):
        KafkaClientSettings(kafka_sasl_username="intake", kafka_sasl_password_file=None)
    with pytest.raises(ValueError, match="KAFKA_SASL_USERNAME"):
        KafkaClientSettings(kafka_security_protocol="SASL_PLAINTEXT", kafka_sasl_username="")
    secret.write_text("")
    with pytest.raises(ValueError, match="empty"):
        client_kwargs(settings)
    embedded = ServiceSettings(
        profile=Profile.EMBEDDED, kafka_sasl_username="intake", kafka_sasl_password="x"
    )
    assert client_kwargs(embedded) == {
        "bootstrap_servers": embedded.kafka_bootstrap_servers,
        "security_protocol": "PLAINTEXT",
    }
