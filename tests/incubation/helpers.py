"""Helpers for the incubation tests: headers, catalog events, published events."""

from __future__ import annotations

from typing import Any

from enclave_shared import catalog
from enclave_shared.events import Payload, new_event

from tests.support import RunningService, catalog_events, eventually, produce_raw
from tests.unit.incubation.factories import DIRECTED, demand_payload, menu_item_payload

OPERATOR = "enclave_operator"
API = "/api/v1"


async def call(
    svc: RunningService, method: str, path: str, status: int, role: str = OPERATOR, **kw: Any
) -> Any:
    """A request to the service's `API/path` as `role`, which must answer `status`; its body."""
    resp = await svc.client.request(method, f"{API}/{path}", headers=svc.auth(role), **kw)
    assert resp.status_code == status, resp.text
    return resp.json() if resp.content else None


async def refused_on(svc: RunningService, method: str, path: str, status: int, **kw: Any) -> Any:
    """The field named by the problem a refused request answers (`status`, as `call`)."""
    return (await call(svc, method, path, status, **kw))["field"]


async def leader_page(
    svc: RunningService, path: str, params: dict[str, Any]
) -> tuple[str, list[Any]]:
    """A page of the list at `API/path` as the district leader reads it: the X-Total-Count
    header and the page's rows."""
    resp = await svc.client.get(f"{API}/{path}", params=params, headers=svc.auth("district_leader"))
    assert resp.status_code == 200, resp.text
    return resp.headers["X-Total-Count"], resp.json()


async def listed_ids(
    svc: RunningService, path: str, params: dict[str, Any] | None = None
) -> list[str]:
    """The ids of the records the list at `API/path` holds for the query `params`, in its
    order."""
    return [r["id"] for r in await call(svc, "GET", path, 200, params=params)]


def ids(*records: dict[str, Any]) -> list[str]:
    """The records' ids, in the order given: what `listed_ids` is compared with."""
    return [r["id"] for r in records]


async def centre(
    svc: RunningService, kind: str = "incubation", status: int = 201, **over: Any
) -> Any:
    """Open one of the three centres (default: the incubation centre), answering `status`."""
    body = {"kind": kind, "name": "项目孵化中心", "address": "深圳南山", "area_m2": 800, **over}
    return await call(svc, "POST", "centres", status, json=body)


def intake_topic(svc: RunningService) -> str:
    return f"{svc.runtime.settings.topic_prefix}.intake"


async def send(svc: RunningService, *payloads: Payload, twice: bool = False) -> list[bytes]:
    """Publish intake events (each one twice, when asked) to the intake topic."""
    raw = [new_event(p).to_bytes() for p in payloads]
    messages = [(p.subject().encode(), r) for p, r in zip(payloads, raw, strict=True)]
    if twice:
        messages = [m for m in messages for _ in range(2)]
    await produce_raw(svc.runtime.settings.kafka_bootstrap_servers, intake_topic(svc), messages)
    return raw


async def published(svc: RunningService, count: int, wait_s: float = 30.0) -> list[dict[str, Any]]:
    """The first `count` events the service published, each validated against the catalog."""
    events = await catalog_events(svc, "incubation", count, wait_s)
    for event in events:
        model = catalog.BY_TYPE[event["type"]]
        assert event["source"] == "/enclave/incubation"
        assert event["subject"] == str(event["data"][model.subject_field])
    return events


async def all_published(svc: RunningService, expected: int) -> list[dict[str, Any]]:
    """Exactly the events published (waits for `expected`, then checks no more arrive)."""
    events = await published(svc, expected)
    assert len(events) == expected, [e["type"] for e in events]
    more = await published(svc, expected + 1, wait_s=1.5)
    assert len(more) == expected, [e["type"] for e in more]
    return events


async def demand(svc: RunningService, demand_id: str = "d1", **over: Any) -> None:
    """An R&D demand arrives from intake and lands in the backlog."""
    await _arrive(svc, "demands", demand_id, demand_payload(demand_id, **over))


async def menu_item(svc: RunningService, menu_item_id: str = "m1", **over: Any) -> None:
    """A menu item arrives from intake and lands in the backlog."""
    await _arrive(svc, "menu-items", menu_item_id, menu_item_payload(menu_item_id, **over))


async def _arrive(svc: RunningService, kind: str, item_id: str, payload: Payload) -> None:
    await send(svc, payload)
    await eventually(lambda: _in_backlog(svc, kind, item_id))


async def _in_backlog(svc: RunningService, kind: str, item_id: str) -> bool:
    resp = await svc.client.get(f"/api/v1/backlog/{kind}/{item_id}", headers=svc.auth(OPERATOR))
    return resp.status_code == 200


async def create(svc: RunningService, **body: Any) -> dict[str, Any]:
    """Create a project (default: a directed one) and return it."""
    body = {**DIRECTED, **body}
    resp = await svc.client.post("/api/v1/projects", json=body, headers=svc.auth(OPERATOR))
    assert resp.status_code == 201, resp.text
    return dict(resp.json())
