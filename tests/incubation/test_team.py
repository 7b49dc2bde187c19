"""有团队 / 有场所 through HTTP: the advisory group and the operating team, the three centres
and the projects they host — created, listed with filters and pages, corrected, voided, the
rules' refusals naming their fields, who may write, and the events against the catalog."""

from __future__ import annotations

from enclave_shared.catalog.incubation import (
    CentreCorrected,
    CentreOpened,
    CentreVoided,
    HostingCorrected,
    HostingVoided,
    ProjectHosted,
    TeamMemberAdded,
    TeamMemberCorrected,
    TeamMemberVoided,
)

from tests.incubation.helpers import all_published, call, centre, create, leader_page, refused_on
from tests.support import of_type


async def test_the_advisory_group_and_the_operating_team(svc):
    place = await centre(svc)
    adviser = {"team": "advisory", "name": "Chen Wei", "role": "academician", "since": "2020-11-20"}
    refused = await call(svc, "POST", "team-members", 422, json=adviser)
    assert refused["field"] == "organisation"
    first = await call(
        svc, "POST", "team-members", 201, json={**adviser, "organisation": "Shenzhen University"}
    )
    staff = {"team": "operating", "name": "Li Na", "role": "station head", "since": "2021-01-04"}
    nowhere = await call(svc, "POST", "team-members", 422, json={**staff, "centre_id": "no-such"})
    assert nowhere["field"] == "centre_id"
    second = await call(svc, "POST", "team-members", 201, json={**staff, "centre_id": place["id"]})
    third = await call(svc, "POST", "team-members", 201, json={**staff, "name": "Wu Fang"})
    assert third["since"] == "2021-01-04" and third["organisation"] is None

    total, page = await leader_page(svc, "team-members", {"team": "operating", "limit": 1})
    assert total == "2"
    assert len(page) == 1
    advisory = await call(svc, "GET", "team-members", 200, params={"team": "advisory"})
    assert [m["id"] for m in advisory] == [first["id"]]
    at_centre = await call(svc, "GET", "team-members", 200, params={"centre_id": place["id"]})
    assert [m["id"] for m in at_centre] == [second["id"]]
    since = await call(svc, "GET", "team-members", 200, params={"from": "2021-01-01"})
    assert {m["id"] for m in since} == {second["id"], third["id"]}

    cleared = {"organisation": None, "reason": "typo"}
    assert await refused_on(svc, "PATCH", f"team-members/{first['id']}", 422, json=cleared) == (
        "organisation"
    )
    moved = await call(
        svc, "PATCH", f"team-members/{third['id']}", 200, json={"role": "liaison", "reason": "x"}
    )
    assert moved["role"] == "liaison"
    await call(svc, "DELETE", f"team-members/{third['id']}", 200, params={"reason": "duplicate"})
    assert len(await call(svc, "GET", "team-members", 200)) == 2
    assert len(await call(svc, "GET", "team-members", 200, params={"include_void": True})) == 3

    await call(svc, "POST", "team-members", 403, role="zone_officer", json=staff)
    await call(svc, "GET", "team-members", 403, role="zone_officer")
    await call(svc, "POST", "team-members", 403, role="district_leader", json=staff)
    await call(svc, "GET", f"team-members/{first['id']}", 200, role="assessor")
    await call(svc, "GET", "team-members/no-such", 404)

    events = await all_published(svc, 1 + 3 + 1 + 1)
    added = of_type(events, TeamMemberAdded)
    by_id = {e["member_id"]: e for e in added}  # events of two subjects keep no order
    assert {(e["team"], e["centre_id"]) for e in added} == {
        ("advisory", None),
        ("operating", place["id"]),
        ("operating", None),
    }
    assert by_id[first["id"]]["organisation"] == "Shenzhen University"
    (corrected,) = of_type(events, TeamMemberCorrected)
    assert corrected["after"] == {"role": "liaison"} and corrected["member_id"] == third["id"]
    assert of_type(events, TeamMemberVoided)[0]["member_id"] == third["id"]


async def test_the_three_centres_and_the_projects_they_host(svc):
    incubation = await centre(svc, opened_on="2020-11-20")
    again = await centre(svc, status=409, name="x", address="y", area_m2=1)
    assert again["field"] == "kind"
    rnd = await centre(svc, "rnd", name="科技研发中心", area_m2=500)
    no_area = {"kind": "training", "name": "人才培训中心", "address": "z", "area_m2": 0}
    assert "area_m2" in str(await call(svc, "POST", "centres", 422, json=no_area))
    rekind = {"kind": "incubation", "reason": "x"}
    assert await refused_on(svc, "PATCH", f"centres/{rnd['id']}", 409, json=rekind) == "kind"
    listed = await call(svc, "GET", "centres", 200, params={"kind": "rnd"})
    assert [c["id"] for c in listed] == [rnd["id"]]

    project = await create(svc, registered_on="2021-03-01")
    other = await create(svc, title="Talc sensors", registered_on="2021-03-01")
    early = {"centre_id": incubation["id"], "project_id": project["id"], "since": "2021-02-01"}
    assert (await call(svc, "POST", "hostings", 422, json=early))["field"] == "since"
    unknown = {"centre_id": incubation["id"], "project_id": "no-such"}
    assert (await call(svc, "POST", "hostings", 422, json=unknown))["field"] == "project_id"
    hosted = await call(svc, "POST", "hostings", 201, json={**early, "since": "2021-03-05"})
    twice = {"centre_id": rnd["id"], "project_id": project["id"]}
    assert (await call(svc, "POST", "hostings", 409, json=twice))["field"] == "project_id"
    second = await call(
        svc, "POST", "hostings", 201, json={"centre_id": rnd["id"], "project_id": other["id"]}
    )
    assert second["since"] == "2021-06-30"  # today
    at = await call(svc, "GET", "hostings", 200, params={"centre_id": incubation["id"]})
    assert [h["project_id"] for h in at] == [project["id"]]

    # A centre hosting a project is not voided; moved away, the project leaves it.
    busy = await call(svc, "DELETE", f"centres/{rnd['id']}", 409, params={"reason": "x"})
    assert busy["field"] == "id"
    moved = {"centre_id": incubation["id"], "reason": "moved"}
    await call(svc, "PATCH", f"hostings/{second['id']}", 200, json=moved)
    assert len(await call(svc, "GET", "hostings", 200, params={"centre_id": rnd["id"]})) == 0
    await call(svc, "DELETE", f"centres/{rnd['id']}", 200, params={"reason": "entered twice"})
    await call(svc, "DELETE", f"hostings/{hosted['id']}", 200, params={"reason": "mistake"})
    assert [h["id"] for h in await call(svc, "GET", "hostings", 200)] == [second["id"]]

    await call(svc, "POST", "centres", 403, role="assessor", json=no_area)
    await call(svc, "GET", "hostings", 200, role="district_leader")

    events = await all_published(svc, 2 + 2 + 2 + 1 + 1 + 1)
    opened = of_type(events, CentreOpened)
    assert {(e["kind"], e["area_m2"], e["opened_on"]) for e in opened} == {
        ("incubation", 800, "2020-11-20"),
        ("rnd", 500, "2021-06-30"),
    }
    assert {e["project_id"] for e in of_type(events, ProjectHosted)} == {
        project["id"],
        other["id"],
    }
    assert of_type(events, HostingCorrected)[0]["after"] == {"centre_id": incubation["id"]}
    assert of_type(events, HostingVoided)[0]["hosting_id"] == hosted["id"]
    assert of_type(events, CentreVoided)[0]["centre_id"] == rnd["id"]
    assert of_type(events, CentreCorrected) == []
