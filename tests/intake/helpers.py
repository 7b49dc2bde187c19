"""Helpers of the intake tests: matured events in, cases and emitted events out."""

from __future__ import annotations

from typing import Any

from enclave_shared.catalog.incubation import IntakePath
from enclave_shared.events import CloudEvent

from tests.support import RunningService, catalog_events, eventually, produce_raw
from tests.unit.intake.factories import matured

OFFICER = "zone_officer"


async def send(svc: RunningService, *events: CloudEvent) -> None:
    """Put events on the incubation topic the intake service consumes."""
    settings = svc.runtime.settings
    await produce_raw(
        settings.kafka_bootstrap_servers,
        f"{settings.topic_prefix}.incubation",
        [(e.subject.encode() if e.subject else None, e.to_bytes()) for e in events],
    )


async def open_case(
    svc: RunningService, project_id: str, path: IntakePath | str = "menu", **kwargs: Any
) -> dict[str, Any]:
    """Send a matured event and wait for its case; return the case as the API shows it."""
    await send(svc, matured(project_id, path, **kwargs))
    return await case_of(svc, project_id)


async def case_of(svc: RunningService, project_id: str) -> dict[str, Any]:
    """Wait until the project's case exists; return it."""

    async def found() -> dict[str, Any] | None:
        resp = await svc.client.get(
            "/api/v1/cases", params={"project_id": project_id}, headers=svc.auth(OFFICER)
        )
        assert resp.status_code == 200, resp.text
        return resp.json()[0] if resp.json() else None

    found_case: dict[str, Any] = await eventually(found)
    return found_case


async def emitted(svc: RunningService, count: int, wait_s: float = 30.0) -> list[dict[str, Any]]:
    """The first `count` events on the intake topic, each checked against the catalog."""
    return await catalog_events(svc, "intake", count, wait_s)
