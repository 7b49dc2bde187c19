"""R&D centres in Shenzhen (科技研发中心) through HTTP: local enterprises' R&D centres and
Shenzhen R&D institutions, hosted by a centre, linked to the projects whose results they
transfer — created, listed with filters and pages, corrected, voided, the rules' refusals,
who may write, the institutions whose results reached Guangfeng, the events."""

from __future__ import annotations

from functools import partial
from typing import Any

from enclave_shared.catalog.incubation import (
    RdCentreCorrected,
    RdCentreRegistered,
    RdCentreVoided,
)

from tests.incubation.helpers import (
    all_published,
    call,
    centre,
    create,
    ids,
    leader_page,
    listed_ids,
    refused_on,
    send,
)
from tests.support import RunningService, eventually, of_type
from tests.unit.incubation.factories import case_opened


async def rd_centre(svc: RunningService, name: str, status: int = 201, **over: Any) -> Any:
    body = {"kind": "institution", "name": name, "industry_chain": "black_talc", **over}
    return await call(svc, "POST", "rd-centres", status, json=body)


async def test_rd_centres_are_registered_listed_linked_corrected_and_voided(svc):
    place = await centre(svc, "rnd", name="科技研发中心", address="深圳", area_m2=500)
    project = await create(svc, registered_on="2021-03-01")
    other = await create(svc, title="Talc sensors")

    assert (await rd_centre(svc, "x", 422, industry_chain="tea"))["field"] == "industry_chain"
    assert (await rd_centre(svc, "x", 422, centre_id="no-such"))["field"] == "centre_id"
    assert (await rd_centre(svc, "x", 422, project_ids=["no-such"]))["field"] == "project_ids"
    assert "kind" in str(await rd_centre(svc, "x", 422, kind="lab"))
    institute = await rd_centre(
        svc,
        "Shenzhen Talc Institute",
        centre_id=place["id"],
        since="2021-01-10",
        project_ids=[project["id"], project["id"]],
    )
    assert institute["project_ids"] == [project["id"]]
    local = await rd_centre(
        svc, "Guangfeng Machinery R&D", kind="local_enterprise", industry_chain="advanced_machinery"
    )
    assert local["since"] == "2021-06-30"

    total, _ = await leader_page(svc, "rd-centres", {"limit": 1})
    assert total == "2"
    listed = partial(listed_ids, svc, "rd-centres")
    assert await listed({"kind": "institution"}) == ids(institute)
    assert await listed({"industry_chain": "advanced_machinery"}) == ids(local)
    assert await listed({"centre_id": place["id"]}) == ids(institute)
    assert await listed({"project_id": project["id"]}) == ids(institute)
    assert await listed({"project_id": other["id"]}) == ids()
    assert await listed({"from": "2021-02-01"}) == ids(local)

    figures = await call(svc, "GET", "rd-centres/figures", 200, role="assessor")
    assert figures == {"local_enterprises": 1, "institutions": 1, "institutions_transferring": 0}

    linked = {"project_ids": [project["id"], other["id"]], "reason": "second result"}
    corrected = await call(svc, "PATCH", f"rd-centres/{institute['id']}", 200, json=linked)
    assert corrected["project_ids"] == [project["id"], other["id"]]
    bad = {"industry_chain": "tea", "reason": "x"}
    assert await refused_on(svc, "PATCH", f"rd-centres/{local['id']}", 422, json=bad) == (
        "industry_chain"
    )
    hosting = await call(svc, "DELETE", f"centres/{place['id']}", 409, params={"reason": "x"})
    assert "R&D centre" in hosting["detail"]
    unhosted = {"centre_id": None, "reason": "moved out"}
    assert (await call(svc, "PATCH", f"rd-centres/{institute['id']}", 200, json=unhosted))[
        "centre_id"
    ] is None
    await call(svc, "DELETE", f"rd-centres/{local['id']}", 200, params={"reason": "duplicate"})
    assert [r["id"] for r in await call(svc, "GET", "rd-centres", 200)] == [institute["id"]]
    again = await call(svc, "GET", "rd-centres/figures", 200)
    assert again["local_enterprises"] == 0 and again["institutions"] == 1

    await call(svc, "POST", "rd-centres", 403, role="assessor", json={"name": "y"})
    await call(svc, "GET", "rd-centres", 403, role="zone_officer")
    await call(svc, "GET", "rd-centres/no-such", 404)

    events = await all_published(svc, 1 + 2 + 2 + 2 + 1)
    registered = {e["rd_centre_id"]: e for e in of_type(events, RdCentreRegistered)}
    assert registered[institute["id"]]["project_ids"] == [project["id"]]
    assert registered[institute["id"]]["centre_id"] == place["id"]
    assert registered[local["id"]]["kind"] == "local_enterprise"
    afters = [e["after"] for e in of_type(events, RdCentreCorrected)]
    assert afters == [{"project_ids": [project["id"], other["id"]]}, {"centre_id": None}]
    assert of_type(events, RdCentreVoided)[0]["rd_centre_id"] == local["id"]


async def test_an_institution_counts_once_a_linked_project_is_transferred(svc):
    project = await create(svc, registered_on="2021-01-10")
    await call(svc, "POST", f"projects/{project['id']}/maturity", 200, json={})
    waiting = await create(svc, title="Still incubating")
    await rd_centre(svc, "Institute A", project_ids=[project["id"], waiting["id"]])
    await rd_centre(svc, "Institute B", project_ids=[waiting["id"]])
    await rd_centre(svc, "Local", kind="local_enterprise", project_ids=[project["id"]])
    await send(svc, case_opened("c1", project["id"], opened_on="2021-06-30"))

    async def counted() -> bool:
        found = await call(svc, "GET", "rd-centres/figures", 200)
        return bool(found["institutions_transferring"] == 1)

    await eventually(counted)
    assert await call(svc, "GET", "rd-centres/figures", 200) == {
        "local_enterprises": 1,
        "institutions": 2,
        "institutions_transferring": 1,
    }
