"""The chain the source's figures rest on: GBA partners counted by what their agreements'
projects came to at the intake base, or by the HQ enterprise that names them."""

from __future__ import annotations

from typing import Any

from enclave_shared.catalog.intake import (
    CaseVoided,
    CaseWithdrawn,
    EnterpriseSettled,
    OutcomeTransferred,
)

from tests.incubation.helpers import OPERATOR, create, send
from tests.support import eventually
from tests.unit.incubation.factories import case_opened, signing


async def _post(svc, path: str, body: dict[str, Any]) -> dict[str, Any]:
    resp = await svc.client.post(f"/api/v1/{path}", json=body, headers=svc.auth(OPERATOR))
    assert resp.status_code == 201, resp.text
    return dict(resp.json())


async def _matured(svc, title: str) -> str:
    project = await create(svc, title=title, registered_on="2021-01-10")
    resp = await svc.client.post(
        f"/api/v1/projects/{project['id']}/maturity",
        json={"matured_on": "2021-02-01"},
        headers=svc.auth(OPERATOR),
    )
    assert resp.status_code == 200
    return str(project["id"])


async def _chain(svc) -> dict[str, int]:
    resp = await svc.client.get("/api/v1/stats", headers=svc.auth(OPERATOR))
    return dict(resp.json()["gba_enterprises"])


async def _outcome(svc, project_id: str) -> str | None:
    resp = await svc.client.get(f"/api/v1/projects/{project_id}", headers=svc.auth(OPERATOR))
    return resp.json()["outcome"]


async def test_gba_enterprises_are_counted_by_their_links(svc):
    settled_p = await _matured(svc, "Settles")
    result_p = await _matured(svc, "Hands its result over")
    gba = {"kind": "enterprise", "in_gba": True, "signed_on": "2021-02-10"}
    await _post(svc, "agreements", {**gba, "partner": "Shenzhen X", "project_ids": [settled_p]})
    # The same partner twice is one enterprise.
    await _post(svc, "agreements", {**gba, "partner": "shenzhen  x"})
    result_a = await _post(
        svc, "agreements", {**gba, "partner": "Shenzhen Y", "project_ids": [result_p]}
    )
    hq_a = await _post(svc, "agreements", {**gba, "partner": "Shenzhen Z"})
    await _post(svc, "agreements", {**gba, "partner": "Shenzhen V"})
    await _post(svc, "agreements", {**gba, "partner": "Jiangxi U", "in_gba": False})
    await _post(svc, "hq-enterprises", {"name": "Z HQ", "agreement_id": hq_a["id"]})
    refused = await svc.client.post(
        "/api/v1/hq-enterprises",
        json={"name": "Nobody HQ", "agreement_id": "nope"},
        headers=svc.auth(OPERATOR),
    )
    assert refused.status_code == 422 and refused.json()["field"] == "agreement_id"
    assert await _chain(svc) == {
        "total": 4,
        "settled": 0,
        "outcome_transferred": 0,
        "hq_economy": 1,
        "other": 3,
    }

    await send(
        svc,
        case_opened("c1", settled_p, opened_on="2021-02-02"),
        signing(EnterpriseSettled, "c1", settled_p, signed_on="2021-02-20"),
        case_opened("c2", result_p, opened_on="2021-02-03"),
        signing(OutcomeTransferred, "c2", result_p, signed_on="2021-02-21"),
    )

    async def both_landed() -> bool:
        return (await _outcome(svc, settled_p), await _outcome(svc, result_p)) == (
            "enterprise_settled",
            "outcome_transferred",
        )

    await eventually(both_landed)
    assert await _chain(svc) == {
        "total": 4,
        "settled": 1,
        "outcome_transferred": 1,
        "hq_economy": 1,
        "other": 1,
    }

    # The enterprise did not land after all; a case entered by mistake; a void agreement.
    await send(
        svc,
        CaseWithdrawn(
            case_id="c1", project_id=settled_p, reason="gave up", withdrawn_on="2021-03-01"
        ),
        CaseVoided(case_id="c2", reason="entered by mistake"),
    )

    async def both_stopped() -> bool:
        return (await _outcome(svc, settled_p), await _outcome(svc, result_p)) == (None, None)

    await eventually(both_stopped)
    voided = await svc.client.delete(
        f"/api/v1/agreements/{result_a['id']}?reason=duplicate", headers=svc.auth(OPERATOR)
    )
    assert voided.status_code == 200
    assert await _chain(svc) == {
        "total": 3,
        "settled": 0,
        "outcome_transferred": 0,
        "hq_economy": 1,
        "other": 2,
    }
    project = (
        await svc.client.get(f"/api/v1/projects/{settled_p}", headers=svc.auth(OPERATOR))
    ).json()
    assert project["stage"] == "transferred"  # it did leave the enclave
