"""A partition's end is the offset after its last record, on either broker: the embedded
one (Tansu 0.6) reports the last batch's first offset + 1 from ListOffsets."""

from __future__ import annotations

import asyncio

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from enclave_shared.kafka import client_kwargs, end_offset_total, end_offsets, ensure_topics

from tests.support import kafka_connection, unique


async def test_the_end_counts_every_record_of_the_last_batch(make_settings):
    settings = await make_settings("incubation", topic_partitions=1)
    topic = unique("t.batches.")
    await ensure_topics(settings, [topic])
    producer = AIOKafkaProducer(**client_kwargs(settings), acks="all", linger_ms=200)
    await producer.start()
    try:
        for _ in range(2):  # two batches of five (one request each: linger)
            sent = [await producer.send(topic, b"x", partition=0) for _ in range(5)]
            await asyncio.gather(*sent)
        assert [s.result().offset for s in sent] == [5, 6, 7, 8, 9]
    finally:
        await producer.stop()
    assert await end_offset_total(settings, topic) == 10
    tp = TopicPartition(topic, 0)
    consumer = AIOKafkaConsumer(
        **client_kwargs(kafka_connection(settings.kafka_bootstrap_servers)),
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        consumer.assign([tp])
        assert await end_offsets(consumer, [tp]) == {tp: 10}
    finally:
        await consumer.stop()
