"""JSON Schemas and an AsyncAPI 3 document generated from the event catalog."""

from __future__ import annotations

from typing import Any

from enclave_shared import catalog
from enclave_shared.events import CloudEvent, Payload
from enclave_shared.settings import topic_for


def payload_schema(model: type[Payload]) -> dict[str, Any]:
    """The JSON Schema of one payload."""
    return model.model_json_schema(ref_template="#/components/schemas/{model}")


def asyncapi_document(
    service: str, consumes: list[type[Payload]], topic_prefix: str = "enclave"
) -> dict[str, Any]:
    """The service's AsyncAPI 3 document: the channel it sends on, those it receives from,
    and its dead-letter channel."""
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
            "headers": {"type": "object"},
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
        channels[channel] = {"address": channel, "messages": messages}
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
        "messages": {"dead_letter": {"name": "dead-letter", "payload": {}}},
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
        "defaultContentType": "application/cloudevents+json",
        "channels": channels,
        "operations": operations,
        "components": {"schemas": schemas},
    }
