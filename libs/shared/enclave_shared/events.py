"""The event envelope: CloudEvents 1.0 in structured JSON mode, with a typed payload."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from enclave_shared import tracing
from enclave_shared.context import correlation_id
from enclave_shared.db import utcnow


class Payload(BaseModel):
    """Base of every event payload in the catalog; each subclass names its type and producer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_type: ClassVar[str]
    producer: ClassVar[str]
    subject_field: ClassVar[str]

    def subject(self) -> str:
        """The aggregate id: the Kafka key, so that one aggregate's events keep their order."""
        return str(getattr(self, self.subject_field))


class Corrected(Payload):
    """Base of a record's `….corrected.v1`: the fields that changed, before and after, and
    why. Consumers apply `after` over what they hold: a fact counts in its latest version."""

    reason: str
    before: dict[str, Any] = Field(description="the changed fields' values before")
    after: dict[str, Any] = Field(description="the changed fields' values after")


class Voided(Payload):
    """Base of a record's `….voided.v1`: it was entered by mistake and counts no more."""

    reason: str


class CloudEvent(BaseModel):
    """A CloudEvents 1.0 envelope; `data` is the payload as JSON."""

    model_config = ConfigDict(extra="allow")

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(min_length=1, max_length=64)
    source: str = Field(min_length=1)
    type: str = Field(min_length=1)
    time: datetime
    subject: str | None = None
    datacontenttype: Literal["application/json"] = "application/json"
    correlationid: str | None = None
    causationid: str | None = None
    traceparent: str | None = Field(
        None, description="distributed tracing extension: the W3C trace context it was sent in"
    )
    tracestate: str | None = Field(None, description="distributed tracing extension")
    data: dict[str, Any]

    def to_bytes(self) -> bytes:
        """Structured-mode JSON, readable by any Kafka client."""
        return self.model_dump_json(exclude_none=True).encode()


class PoisonEvent(Exception):
    """A message that can never be processed: it goes to the dead-letter topic."""


def new_event(payload: Payload, *, causation: CloudEvent | None = None) -> CloudEvent:
    """Wrap a payload in an envelope; correlation flows from the request or the causing event."""
    corr = causation.correlationid if causation else None
    return CloudEvent(
        id=str(uuid.uuid4()),
        source=f"/enclave/{payload.producer}",
        type=payload.event_type,
        time=utcnow(),
        subject=payload.subject(),
        correlationid=corr or correlation_id.get(),
        causationid=causation.id if causation else None,
        data=payload.model_dump(mode="json"),
        **tracing.trace_context(),
    )


def parse_envelope(raw: bytes | None) -> CloudEvent:
    """Read an envelope off the wire, or raise PoisonEvent saying why it is not one."""
    if raw is None:
        raise PoisonEvent("empty message (no value)")
    try:
        return CloudEvent.model_validate_json(raw)
    except ValidationError as exc:
        raise PoisonEvent(f"not a CloudEvent: {_first_error(exc)}") from exc


def parse_payload(event: CloudEvent, model: type[Payload]) -> Payload:
    """Validate the envelope's data against the catalog model, or raise PoisonEvent.

    A tolerant reader: fields this consumer's catalog does not know yet are ignored, so a
    producer may add optional fields (keeping the type) before its consumers upgrade."""
    known = {k: v for k, v in event.data.items() if k in model.model_fields}
    try:
        return model.model_validate(known)
    except ValidationError as exc:
        raise PoisonEvent(f"payload of {event.type} fails its schema: {_first_error(exc)}") from exc


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "message"
    return f"{where}: {err['msg']} ({exc.error_count()} error(s))"
