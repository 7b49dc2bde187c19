"""Helpers of the intake tests: matured events in, cases and emitted events out."""

from __future__ import annotations

from datetime import date
from typing import Any

from enclave_shared import catalog
from enclave_shared.catalog.incubation import EnterpriseTag, IntakePath, ProjectMatured
from enclave_shared.events import CloudEvent, new_event

from tests.support import RunningService, events_of, eventually, produce_raw, read_topic

OFFICER = "zone_officer"


def matured(
    project_id: str,
    path: IntakePath | str = IntakePath.MENU,
    *,
    enterprise: str | None = None,
    chain: str = "metal_new_materials",
    on: date = date(2021, 3, 1),
    title: str | None = None,
    tag: EnterpriseTag | str | None = None,
) -> CloudEvent:
    """A ProjectMatured event as the incubation service would send it."""
    return new_event(
        ProjectMatured(
            project_id=project_id,
            title=title or f"project {project_id}",
            path=IntakePath(path),
            industry_chain=chain,
            enterprise=enterprise,
            matured_on=on,
            enterprise_tag=EnterpriseTag(tag) if tag else None,
        )
    )


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
    settings = svc.runtime.settings
    records = await read_topic(
        settings.kafka_bootstrap_servers, settings.topic, count, timeout=wait_s
    )
    events = events_of(records)
    for event in events:
        model = catalog.BY_TYPE[event["type"]]
        assert model.producer == "intake"
        model.model_validate(event["data"])  # the payload fits its catalog schema
    return events


def of_type(events: list[dict[str, Any]], type_: type[Any]) -> list[dict[str, Any]]:
    """The data of the events of one catalog type."""
    return [e["data"] for e in events if e["type"] == type_.event_type]
