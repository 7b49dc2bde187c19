"""Every error answer is a problem (RFC 9457), and the OpenAPI document says which each
route can give."""

from __future__ import annotations

from services.incubation.main import SPEC as INCUBATION
from tests.platform.sample import producer_spec
from tests.support import run_service

PROBLEM = "application/problem+json"


async def test_errors_of_every_kind_are_problem_details(make_settings):
    settings = await make_settings("incubation")
    async with run_service(producer_spec, settings) as svc:
        headers = svc.auth("enclave_operator")
        refused = await svc.client.post(
            "/notes",
            json={"project_id": "p", "title": "t", "fail_after_write": True},
            headers=headers,
        )
        assert refused.headers["content-type"] == PROBLEM
        assert refused.json() == {
            "type": "about:blank",
            "title": "Unprocessable Content",
            "status": 422,
            "detail": "asked to fail after writing",
            "field": "fail_after_write",
        }
        invalid = await svc.client.post("/notes", json={"title": 7}, headers=headers)
        body = invalid.json()
        assert invalid.status_code == 422 and invalid.headers["content-type"] == PROBLEM
        assert body["field"] == "project_id" and "project_id" in body["detail"]
        assert {tuple(e["loc"]) for e in body["errors"]} >= {("body", "project_id")}
        unauthorised = await svc.client.post("/notes", json={"project_id": "p", "title": "t"})
        assert (
            unauthorised.json()["status"] == 401 and unauthorised.json()["title"] == "Unauthorized"
        )
        assert unauthorised.headers["www-authenticate"] == "Bearer"
        forbidden = await svc.client.post(
            "/notes", json={"project_id": "p", "title": "t"}, headers=svc.auth("assessor")
        )
        assert forbidden.headers["content-type"] == PROBLEM and forbidden.json()["status"] == 403
        unknown = await svc.client.get("/no/such/route")
        assert unknown.status_code == 404 and unknown.headers["content-type"] == PROBLEM


async def test_the_openapi_document_lists_each_routes_problems(make_settings):
    settings = await make_settings("incubation")
    async with run_service(producer_spec, settings) as svc:
        doc = (await svc.client.get("/openapi.json")).json()
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    create = doc["paths"]["/notes"]["post"]["responses"]
    assert sorted(create) == ["201", "400", "401", "403", "409", "413", "422"]
    for status in ("400", "401", "403", "409", "413", "422"):
        assert create[status]["content"][PROBLEM]["schema"] == problem_ref
    count = doc["paths"]["/notes/count"]["get"]["responses"]
    assert sorted(count) == ["200", "422"], "no token checked, no record named"
    assert set(doc["components"]["schemas"]["Problem"]["properties"]) == {
        "type",
        "title",
        "status",
        "detail",
        "field",
        "errors",
    }
    assert "HTTPValidationError" not in doc["components"]["schemas"]


async def test_a_method_the_path_lacks_is_405_allowing_every_documented_one(make_settings):
    settings = await make_settings("incubation", settings_class=INCUBATION.settings_class)
    async with run_service(INCUBATION, settings) as svc:
        headers = svc.auth("enclave_operator")
        answer = await svc.client.put("/api/v1/activities", headers=headers)
        assert answer.status_code == 405 and answer.headers["content-type"] == PROBLEM
        assert answer.headers["allow"] == "GET, POST"  # two routes, maybe two routers
        one = await svc.client.put("/api/v1/activities/a-b-c", headers=headers)
        documented = (await svc.client.get("/openapi.json")).json()["paths"]
        expected = sorted(m.upper() for m in documented["/api/v1/activities/{activity_id}"])
        assert one.status_code == 405 and one.headers["allow"] == ", ".join(expected)
        malformed = await svc.client.post(
            "/api/v1/activities",
            content=b"\xff{",
            headers={**headers, "content-type": "application/json"},
        )
        assert malformed.status_code in (400, 422)
        assert "400" in documented["/api/v1/activities"]["post"]["responses"]


async def test_text_the_database_cannot_store_is_refused_as_bad_input(make_settings):
    settings = await make_settings("incubation")
    async with run_service(producer_spec, settings) as svc:
        nul = {"project_id": "p", "title": "a\u0000b"}
        answer = await svc.client.post("/notes", json=nul, headers=svc.auth("enclave_operator"))
    if settings.database_url.startswith("postgresql"):  # PostgreSQL text holds no NUL
        assert answer.status_code == 422 and answer.headers["content-type"] == PROBLEM
        assert "NUL" in answer.json()["detail"]
    else:  # SQLite stores what it is given
        assert answer.status_code == 201
