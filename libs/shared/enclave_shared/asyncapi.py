"""JSON Schemas and an AsyncAPI 3 document generated from the event catalog.

The document names the brokers (`servers`) and carries the Kafka bindings: each topic's
partitions, replicas and configuration, each message's key, and the consumer group and
client id a service receives with."""

from __future__ import annotations

from typing import Any

from enclave_shared import catalog
from enclave_shared.events import CloudEvent, Payload
from enclave_shared.settings import ServiceSettings, topic_for

KAFKA_BINDING = "0.5.0"
STRUCTURED_CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8"
SERVERS: dict[str, Any] = {
    "compose": {
        "host": "kafka:9092",
        "protocol": "kafka",
        "protocolVersion": "4.1",
        "title": "Apache Kafka (KRaft) of deploy/docker-compose.yml and deploy/k8s",
        "description": "The real profile: one node in compose (replication 1); a cluster "
        "under Kubernetes (KAFKA_BOOTSTRAP_SERVERS, replication 3, min.insync.replicas 2).",
        "bindings": {"kafka": {"bindingVersion": KAFKA_BINDING}},
    },
    "embedded": {
        "host": "127.0.0.1:9092",
        "protocol": "kafka",
        "title": "The embedded broker of `make run`",
        "description": "Tansu, in memory: the development profile (nothing kept on disk).",
        "bindings": {"kafka": {"bindingVersion": KAFKA_BINDING}},
    },
}
_DEFAULTS = ServiceSettings.model_fields


def _default(name: str) -> int:
    value: int = _DEFAULTS[name].default
    return value


def _headers(extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The Kafka headers: the CloudEvents binding's structured mode says so in one."""
    properties: dict[str, Any] = {
        "content-type": {"type": "string", "const": STRUCTURED_CONTENT_TYPE},
        **(extra or {}),
    }
    return {"type": "object", "properties": properties, "required": sorted(properties)}


def _dead_letter_headers() -> dict[str, Any]:
    """Why the message is there; its own headers (content-type, when it had one) kept."""
    properties: dict[str, Any] = {
        name: {"type": "string", "description": what} for name, what in DEAD_LETTER_HEADERS.items()
    }
    properties["content-type"] = {"type": "string", "description": "the original's, if any"}
    properties["dlq.truncated"] = {
        "type": "string",
        "description": "present when the copy was cut to the size limit: the original size",
    }
    return {"type": "object", "properties": properties, "required": sorted(DEAD_LETTER_HEADERS)}


def _key(model: type[Payload]) -> dict[str, Any]:
    return {
        "kafka": {
            "key": {
                "type": "string",
                "description": f"the event's subject, its {model.subject_field}: one "
                "aggregate's events keep their order on one partition",
            },
            "bindingVersion": KAFKA_BINDING,
        }
    }


DEAD_LETTER_HEADERS = {
    "dlq.original.topic": "the topic the message was read from",
    "dlq.original.partition": "its partition",
    "dlq.original.offset": "its offset",
    "dlq.consumer": "the consumer that gave up on it",
    "dlq.error": "why",
}


def payload_schema(model: type[Payload]) -> dict[str, Any]:
    """The JSON Schema of one payload."""
    return model.model_json_schema(ref_template="#/components/schemas/{model}")


def asyncapi_document(
    service: str,
    consumes: list[type[Payload]],
    topic_prefix: str = "enclave",
    *,
    partitions: int | None = None,
    replicas: int | None = None,
    min_insync_replicas: int | None = None,
) -> dict[str, Any]:
    """The service's AsyncAPI 3 document: the channel it sends on, those it receives from,
    and its dead-letter channel (topic sizes: the settings' defaults unless given)."""
    topic_binding = {
        "partitions": partitions or _default("topic_partitions"),
        "replicas": replicas or _default("kafka_replication_factor"),
        "topicConfiguration": {
            # what enclave_shared.kafka.topic_configs creates every topic with
            "retention.ms": -1,
            "retention.bytes": -1,
            "min.insync.replicas": min_insync_replicas or _default("kafka_min_insync_replicas"),
        },
        "bindingVersion": KAFKA_BINDING,
    }
    group = f"{topic_prefix}.{service}"  # ServiceSettings.consumer_group
    sends = catalog.produced_by(service)
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages_by_channel: dict[str, dict[str, Any]] = {}
    for model in [*sends, *consumes]:
        channel = topic_for(topic_prefix, model.producer)
        name = model.event_type.removeprefix("enclave.").replace(".", "_")
        messages_by_channel.setdefault(channel, {})[name] = {
            "name": model.event_type,
            "title": model.__name__,
            "summary": (model.__doc__ or "").strip(),
            "contentType": "application/cloudevents+json",
            "headers": _headers(),
            "bindings": _key(model),
            "payload": {
                "allOf": [
                    {"$ref": "#/components/schemas/CloudEvent"},
                    {
                        "type": "object",
                        "properties": {
                            "type": {"const": model.event_type},
                            "data": {"$ref": f"#/components/schemas/{model.__name__}"},
                        },
                    },
                ]
            },
        }
    for channel, messages in messages_by_channel.items():
        channels[channel] = {
            "address": channel,
            "messages": messages,
            "bindings": {"kafka": {"topic": channel, **topic_binding}},
        }
    own = topic_for(topic_prefix, service)
    if sends:
        operations[f"send_{service}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{own}"},
            "messages": [
                {"$ref": f"#/channels/{own}/messages/{m}"} for m in messages_by_channel[own]
            ],
        }
    for channel in messages_by_channel:
        if channel == own:
            continue
        mine = [m for m in consumes if topic_for(topic_prefix, m.producer) == channel]
        operations[f"receive_{channel.replace('.', '_')}"] = {
            "action": "receive",
            "channel": {"$ref": f"#/channels/{channel}"},
            "bindings": {
                "kafka": {
                    "groupId": {"type": "string", "enum": [group]},
                    "clientId": {"type": "string", "enum": [f"{group}.consumer"]},
                    "bindingVersion": KAFKA_BINDING,
                }
            },
            "messages": [
                {
                    "$ref": f"#/channels/{channel}/messages/"
                    f"{m.event_type.removeprefix('enclave.').replace('.', '_')}"
                }
                for m in mine
            ],
        }
    dlq = f"{own}.dlq"
    channels[dlq] = {
        "address": dlq,
        "description": "Events this service could not process, as received, with the reason in "
        "the headers dlq.error, dlq.original.topic, dlq.original.partition, "
        "dlq.original.offset and dlq.consumer.",
        "messages": {
            "dead_letter": {
                "name": "dead-letter",
                "summary": "The received message, value and key unchanged (a copy over the "
                "size limit is cut, and says so in dlq.truncated).",
                "headers": _dead_letter_headers(),
                "payload": {},
                "bindings": {
                    "kafka": {
                        "key": {"type": "string", "description": "the original message's key"},
                        "bindingVersion": KAFKA_BINDING,
                    }
                },
            }
        },
        "bindings": {"kafka": {"topic": dlq, **topic_binding}},
    }
    operations[f"send_{service}_dead_letters"] = {
        "action": "send",
        "channel": {"$ref": f"#/channels/{dlq}"},
        "messages": [{"$ref": f"#/channels/{dlq}/messages/dead_letter"}],
    }
    schemas: dict[str, Any] = {"CloudEvent": CloudEvent.model_json_schema()}
    for model in [*sends, *consumes]:
        schema = payload_schema(model)
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    return {
        "asyncapi": "3.0.0",
        "info": {"title": f"Talent enclave — {service} events", "version": "1.0.0"},
        "servers": SERVERS,
        "defaultContentType": "application/cloudevents+json",
        "channels": channels,
        "operations": operations,
        "components": {"schemas": schemas},
    }
