"""一轴 through HTTP: the party organisations built on the new-village-sage bodies and the
sages with their ties to the enclave — created, listed with filters and pages, corrected,
voided; the rules' refusals (a standalone organisation of fewer than three members, a name
recorded twice), who may write, and the events against the catalog."""

from __future__ import annotations

from functools import partial

from enclave_shared.catalog.incubation import (
    PartyOrgCorrected,
    PartyOrgFormed,
    PartyOrgVoided,
    SageCorrected,
    SageJoined,
    SageVoided,
)

from tests.incubation.helpers import all_published, call, ids, leader_page, listed_ids, refused_on
from tests.support import of_type


async def test_party_organisations_on_the_sage_bodies(svc):
    council = {
        "name": "新乡贤参事会党支部",
        "body": "新乡贤参事会",
        "formation": "standalone",
        "members": 2,
        "formed_on": "2021-03-01",
    }
    few = await call(svc, "POST", "party-orgs", 422, json=council)
    assert few["field"] == "members"
    branch = await call(svc, "POST", "party-orgs", 201, json={**council, "members": 5})
    twice = await call(svc, "POST", "party-orgs", 409, json={**council, "members": 7})
    assert twice["field"] == "name"
    doctors = await call(
        svc,
        "POST",
        "party-orgs",
        201,
        json={
            "name": "博士联谊会联合党支部",
            "body": "博士联谊会",
            "formation": "regional",
            "members": 2,
        },
    )
    assert doctors["formed_on"] == "2021-06-30"
    assert "members" in str(
        await call(svc, "POST", "party-orgs", 422, json={**council, "members": 0})
    )

    total, _ = await leader_page(svc, "party-orgs", {"limit": 1})
    assert total == "2"
    listed = partial(listed_ids, svc, "party-orgs")
    assert await listed({"formation": "regional"}) == ids(doctors)
    assert await listed({"body": "新乡贤参事会"}) == ids(branch)
    assert await listed({"to": "2021-03-31"}) == ids(branch)

    alone = {"formation": "standalone", "reason": "formed its own branch"}
    refused = await call(svc, "PATCH", f"party-orgs/{doctors['id']}", 422, json=alone)
    assert refused["field"] == "members"
    grown = await call(
        svc, "PATCH", f"party-orgs/{doctors['id']}", 200, json={**alone, "members": 4}
    )
    assert (grown["formation"], grown["members"]) == ("standalone", 4)
    await call(svc, "DELETE", f"party-orgs/{branch['id']}", 200, params={"reason": "mistake"})
    assert [o["id"] for o in await call(svc, "GET", "party-orgs", 200)] == [doctors["id"]]

    await call(svc, "POST", "party-orgs", 403, role="assessor", json=council)
    await call(svc, "GET", "party-orgs", 403, role="zone_officer")
    await call(svc, "GET", f"party-orgs/{doctors['id']}", 200, role="assessor")

    events = await all_published(svc, 2 + 1 + 1)
    formed = {e["party_org_id"]: e for e in of_type(events, PartyOrgFormed)}
    assert formed[branch["id"]]["formation"] == "standalone"
    assert formed[doctors["id"]]["body"] == "博士联谊会"
    assert of_type(events, PartyOrgCorrected)[0]["after"] == {
        "formation": "standalone",
        "members": 4,
    }
    assert of_type(events, PartyOrgVoided)[0]["party_org_id"] == branch["id"]


async def test_the_sages_and_their_ties_to_the_enclave(svc):
    sage = {"name": "王老先生", "body": "新乡贤参事会", "tie": "advisor", "joined_on": "2021-02-01"}
    wang = await call(svc, "POST", "sages", 201, json=sage)
    twice = await call(svc, "POST", "sages", 409, json={**sage, "tie": "recruiter"})
    assert twice["field"] == "name"
    other_body = await call(svc, "POST", "sages", 201, json={**sage, "body": "博士联谊会"})
    li = await call(
        svc, "POST", "sages", 201, json={"name": "李博士", "body": "博士联谊会", "tie": "recruiter"}
    )
    assert "tie" in str(await call(svc, "POST", "sages", 422, json={**sage, "tie": "friend"}))

    total, _ = await leader_page(svc, "sages", {"limit": 2})
    assert total == "3"
    listed = partial(listed_ids, svc, "sages")
    assert await listed({"tie": "recruiter"}) == ids(li)
    assert await listed({"body": "博士联谊会"}) == ids(li, other_body)
    assert await listed({"from": "2021-06-01"}) == ids(li)

    clash = {"body": "新乡贤参事会", "reason": "moved"}
    assert await refused_on(svc, "PATCH", f"sages/{other_body['id']}", 409, json=clash) == "name"
    amb = await call(
        svc, "PATCH", f"sages/{wang['id']}", 200, json={"tie": "ambassador", "reason": "appointed"}
    )
    assert amb["tie"] == "ambassador"
    await call(svc, "DELETE", f"sages/{other_body['id']}", 200, params={"reason": "duplicate"})

    await call(svc, "POST", "sages", 403, role="zone_officer", json=sage)
    await call(svc, "PATCH", f"sages/{wang['id']}", 403, role="assessor", json=clash)

    events = await all_published(svc, 3 + 1 + 1)
    joined = {e["sage_id"]: e for e in of_type(events, SageJoined)}
    assert joined[li["id"]]["tie"] == "recruiter" and joined[li["id"]]["joined_on"] == "2021-06-30"
    assert of_type(events, SageCorrected)[0]["after"] == {"tie": "ambassador"}
    assert of_type(events, SageVoided)[0]["sage_id"] == other_body["id"]
