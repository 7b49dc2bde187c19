"""The HTTP edge: bodies over the limit refused first, database details kept from clients."""

from __future__ import annotations

from tests.platform.sample import producer_spec
from tests.support import database_outage, run_service


async def test_a_body_over_the_limit_is_413_before_auth_declared_or_streamed(make_settings):
    settings = await make_settings("incubation", max_body_bytes=64 * 1024)
    big = b'{"project_id": "p1", "title": "' + b"x" * (65 * 1024) + b'"}'
    async with run_service(producer_spec, settings) as svc:
        declared = await svc.client.post(
            "/notes", content=big, headers={"content-type": "application/json"}
        )
        assert declared.status_code == 413, declared.text
        assert "limit of 65536 bytes" in declared.json()["detail"]
        assert declared.headers["x-request-id"]

        async def chunks():
            for start in range(0, len(big), 8192):
                yield big[start : start + 8192]

        streamed = await svc.client.post(
            "/notes", content=chunks(), headers={"content-type": "application/json"}
        )
        assert streamed.status_code == 413, "a chunked body without a length is counted"
        keyed = await svc.client.post(
            "/notes",
            content=chunks(),
            headers={
                **svc.auth("admin"),
                "content-type": "application/json",
                "Idempotency-Key": "k",
            },
        )
        assert keyed.status_code == 413, "read whole for its key, the body still meets the limit"
        small = await svc.client.post("/notes", json={"project_id": "p1", "title": "t"})
        assert small.status_code == 401, "under the limit the request goes on to auth"


async def test_a_broken_constraint_is_409_without_the_databases_words(make_settings, caplog):
    settings = await make_settings("incubation")
    async with run_service(producer_spec, settings) as svc:
        note = {"project_id": "p1", "title": "t", "id": 7}
        headers = {**svc.auth("enclave_operator"), "x-request-id": "req-dup-7"}
        assert (await svc.client.post("/notes", json=note, headers=headers)).status_code == 201
        again = await svc.client.post("/notes", json=note, headers=headers)
        assert again.status_code == 409
        assert again.json() == {
            "type": "about:blank",
            "title": "Conflict",
            "status": 409,
            "detail": "the change conflicts with existing data",
        }
        logged = [r for r in caplog.records if "req-dup-7" in r.getMessage()]
        assert logged and "sample_notes" in logged[0].getMessage().lower()


async def test_a_database_outage_is_503_with_retry_after_not_500(make_settings):
    settings = await make_settings("incubation", sqlite_busy_timeout_ms=50)
    async with run_service(producer_spec, settings) as svc:
        assert (await svc.client.get("/notes/count")).status_code == 200
        async with database_outage(settings.database_url):
            resp = await svc.client.post(
                "/notes", json={"project_id": "p1", "title": "t"}, headers=svc.auth("admin")
            )
        assert resp.status_code == 503, resp.text
        assert resp.headers["retry-after"] == "5"
        assert resp.headers["content-type"] == "application/problem+json"
        assert "database is unavailable" in resp.json()["detail"]
        assert (await svc.client.get("/notes/count")).json() == {"count": 0}
