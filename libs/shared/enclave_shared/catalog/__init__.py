"""The one catalog of event payloads; services share these models and nothing else."""

from __future__ import annotations

from enclave_shared.catalog import assessment, hotline, incubation, intake
from enclave_shared.events import Payload

ALL_EVENTS: list[type[Payload]] = [
    *incubation.EVENTS,
    *intake.EVENTS,
    *hotline.EVENTS,
    *assessment.EVENTS,
]

BY_TYPE: dict[str, type[Payload]] = {model.event_type: model for model in ALL_EVENTS}

PRODUCERS: tuple[str, ...] = ("incubation", "intake", "hotline", "assessment")


def produced_by(service: str) -> list[type[Payload]]:
    """The payload models a service publishes."""
    return [model for model in ALL_EVENTS if model.producer == service]
