"""Who did what: each change's line in the trail, with its caller and request, on every
service at GET /api/v1/audit."""

from __future__ import annotations

from tests.platform.sample import producer_spec
from tests.support import run_service


async def test_each_change_is_in_the_trail_with_who_when_and_which_request(make_settings):
    settings = await make_settings("incubation")
    async with run_service(producer_spec, settings) as svc:
        headers = {**svc.auth("enclave_operator", sub="wang.li"), "x-request-id": "req-42"}
        resp = await svc.client.post(
            "/notes", json={"project_id": "p1", "title": "first"}, headers=headers
        )
        assert resp.status_code == 201
        await svc.client.post(
            "/notes", json={"project_id": "p2", "title": "other"}, headers=svc.auth("admin")
        )
        trail = await svc.client.get(
            "/api/v1/audit", params={"entity": "project", "id": "p1"}, headers=svc.auth("assessor")
        )
        assert trail.status_code == 200 and trail.headers["x-total-count"] == "1"
        (line,) = trail.json()
        assert line["action"] == "enclave.project.matured.v1" and line["id"] == "p1"
        assert (line["actor"], line["role"], line["request_id"]) == (
            "wang.li",
            "enclave_operator",
            "req-42",
        )
        assert line["event_id"] == resp.json()["event_id"] and line["data"]["title"] == "first"
        by_actor = await svc.client.get(
            "/api/v1/audit", params={"actor": "wang.li"}, headers=svc.auth("admin")
        )
        assert [e["id"] for e in by_actor.json()] == ["p1"]
        refused = await svc.client.get("/api/v1/audit", headers=svc.auth("enterprise"))
        assert refused.status_code == 403
        backwards = await svc.client.get(
            "/api/v1/audit",
            params={"from": "2026-02-01", "to": "2026-01-01"},
            headers=svc.auth("admin"),
        )
        assert backwards.status_code == 422 and backwards.json()["field"] == "from"
