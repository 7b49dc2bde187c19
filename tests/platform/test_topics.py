"""Topics keep the event history for ever, with the configured replication."""

from __future__ import annotations

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from enclave_shared.kafka import client_kwargs, ensure_topics

from tests.platform.sample import producer_spec
from tests.support import kafka_connection, run_service, unique


async def _configs(bootstrap: str, topic: str) -> dict[str, str]:
    admin = AIOKafkaAdminClient(**client_kwargs(kafka_connection(bootstrap)))
    await admin.start()
    try:
        (response,) = await admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, topic)]
        )
        (resource,) = response.resources
        return {entry[0]: entry[1] for entry in resource[4]}
    finally:
        await admin.close()


async def test_a_service_creates_its_topics_to_keep_every_event(make_settings):
    settings = await make_settings("incubation")
    async with run_service(producer_spec, settings):
        for topic in (settings.topic, settings.dead_letter_topic):
            configs = await _configs(settings.kafka_bootstrap_servers, topic)
            assert configs["retention.ms"] == "-1" and configs["retention.bytes"] == "-1"
            assert configs["min.insync.replicas"] == "1"


async def test_a_topic_found_with_other_settings_is_reported(make_settings, caplog):
    settings = await make_settings("incubation")
    topic = unique("t.seven-days.")
    admin = AIOKafkaAdminClient(**client_kwargs(settings))
    await admin.start()
    try:
        await admin.create_topics(
            [NewTopic(topic, 1, 1, topic_configs={"retention.ms": str(7 * 24 * 3600 * 1000)})]
        )
    finally:
        await admin.close()
    differences = await ensure_topics(settings, [topic])
    assert differences == [f"{topic}: retention.ms=604800000 (wanted -1)"]
    assert "retention.ms=604800000 (wanted -1)" in caplog.text
    again = await ensure_topics(
        settings.model_copy(update={"kafka_replication_factor": 3}), [topic]
    )
    assert f"{topic}: replication factor [1] (wanted 3)" in again
