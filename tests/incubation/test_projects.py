"""Projects over HTTP: the four paths, the lifecycle, the backlog, auth and bad input."""

from __future__ import annotations

from enclave_shared.catalog.incubation import (
    ProjectMatured,
    ProjectRegistered,
    ProjectStageChanged,
)

from tests.incubation.helpers import OPERATOR, all_published, create, demand, menu_item
from tests.support import of_type

P = "/api/v1/projects"


async def test_contract_create_mature_get(svc):
    project = await create(svc, team_members=["Li Wei", "Chen Jing"])
    assert project["stage"] == "proposed" and project["id"]
    assert project["registered_on"] == "2021-06-30"  # today from the service clock
    headers = svc.auth(OPERATOR)
    resp = await svc.client.post(
        f"{P}/{project['id']}/incubation", json={"started_on": "2021-07-01"}, headers=headers
    )
    assert resp.status_code == 200 and resp.json()["stage"] == "incubating"
    resp = await svc.client.post(
        f"{P}/{project['id']}/maturity", json={"matured_on": "2021-09-15"}, headers=headers
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["stage"] == "matured"
    got = (await svc.client.get(f"{P}/{project['id']}", headers=headers)).json()
    assert got["stage"] == "matured" and got["path"] == "directed"
    assert got["matured_on"] == "2021-09-15" and got["team_members"] == ["Li Wei", "Chen Jing"]

    events = await all_published(svc, 4)
    assert [e["type"] for e in events] == [
        ProjectRegistered.event_type,
        ProjectStageChanged.event_type,
        ProjectStageChanged.event_type,
        ProjectMatured.event_type,
    ]
    [matured] = of_type(events, ProjectMatured)
    assert matured == {
        "project_id": project["id"],
        "title": "Drone batteries",
        "path": "directed",
        "industry_chain": "advanced_machinery",
        "layout_category": None,
        "enterprise": "Shenzhen Unicorn Ltd",
        "enterprise_tag": "unicorn",
        "demand_id": None,
        "menu_item_id": None,
        "matured_on": "2021-09-15",
    }
    assert all(e["subject"] == project["id"] for e in events)


async def test_maturity_without_body_from_proposed_passes_through_incubating(svc):
    project = await create(svc, path="delivery", enterprise=None, enterprise_tag=None)
    resp = await svc.client.post(f"{P}/{project['id']}/maturity", headers=svc.auth(OPERATOR))
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["stage"] == "matured" and body["matured_on"] == "2021-06-30"
    assert body["incubation_started_on"] == "2021-06-30"
    events = await all_published(svc, 4)
    moves = [(e["from_stage"], e["to_stage"]) for e in of_type(events, ProjectStageChanged)]
    assert moves == [("proposed", "incubating"), ("incubating", "matured")]


async def test_illegal_moves_are_409_naming_the_stage(svc):
    headers = svc.auth(OPERATOR)
    project = await create(svc)
    pid = project["id"]
    assert (await svc.client.post(f"{P}/{pid}/maturity", headers=headers)).status_code == 200
    for move in ("incubation", "maturity"):
        resp = await svc.client.post(f"{P}/{pid}/{move}", headers=headers)
        assert resp.status_code == 409, (move, resp.text)
        assert "is matured" in resp.json()["detail"] and resp.json()["field"] == "stage"
    dropped = await svc.client.post(
        f"{P}/{pid}/drop", json={"reason": "partner left"}, headers=headers
    )
    assert dropped.status_code == 200 and dropped.json()["stage"] == "dropped"
    assert dropped.json()["drop_reason"] == "partner left"
    for move in ("incubation", "maturity", "drop"):
        resp = await svc.client.post(f"{P}/{pid}/{move}", headers=headers)
        assert resp.status_code == 409
        assert f"project {pid} is dropped" in resp.json()["detail"]
    proposed = await create(svc)
    resp = await svc.client.post(f"{P}/{proposed['id']}/drop", headers=headers)
    assert resp.status_code == 200 and resp.json()["stage"] == "dropped"
    incubating = await create(svc)
    await svc.client.post(f"{P}/{incubating['id']}/incubation", headers=headers)
    resp = await svc.client.post(f"{P}/{incubating['id']}/incubation", headers=headers)
    assert resp.status_code == 409 and "is incubating" in resp.json()["detail"]
    resp = await svc.client.post(f"{P}/{incubating['id']}/drop", headers=headers)
    assert resp.status_code == 200 and resp.json()["dropped_on"] == "2021-06-30"


async def test_dates_cannot_go_backwards(svc):
    headers = svc.auth(OPERATOR)
    pid = (await create(svc, registered_on="2021-05-01"))["id"]
    resp = await svc.client.post(
        f"{P}/{pid}/incubation", json={"started_on": "2021-04-30"}, headers=headers
    )
    assert resp.status_code == 422 and resp.json()["field"] == "started_on"
    await svc.client.post(
        f"{P}/{pid}/incubation", json={"started_on": "2021-05-10"}, headers=headers
    )
    resp = await svc.client.post(
        f"{P}/{pid}/maturity", json={"matured_on": "2021-05-09"}, headers=headers
    )
    assert resp.status_code == 422 and resp.json()["field"] == "matured_on"
    resp = await svc.client.post(
        f"{P}/{pid}/drop", json={"dropped_on": "2021-01-01"}, headers=headers
    )
    assert resp.status_code == 422 and resp.json()["field"] == "dropped_on"
    got = (await svc.client.get(f"{P}/{pid}", headers=headers)).json()
    assert got["stage"] == "incubating"  # nothing half-written


BAD_PROJECTS = [
    ({"path": "directed", "enterprise": None}, "enterprise"),
    ({"path": "directed", "enterprise_tag": None}, "enterprise_tag"),
    ({"path": "directed", "enterprise_tag": "dragon"}, "enterprise_tag"),
    (
        {"path": "delivery", "enterprise_tag": None, "layout_category": "big_data"},
        "layout_category",
    ),
    ({"path": "delivery", "enterprise_tag": "gazelle"}, "enterprise_tag"),
    ({"path": "order", "enterprise_tag": None}, "demand_id"),
    ({"path": "order", "enterprise_tag": None, "demand_id": "nope"}, "demand_id"),
    ({"path": "menu", "enterprise_tag": None}, "menu_item_id"),
    ({"path": "menu", "enterprise_tag": None, "menu_item_id": "nope"}, "menu_item_id"),
    ({"path": "directed", "demand_id": "d1"}, "demand_id"),
    ({"path": "directed", "menu_item_id": "m1"}, "menu_item_id"),
    ({"path": "teleport"}, "path"),
    ({"path": None}, "path"),
    ({"industry_chain": "unobtainium"}, "industry_chain"),
    ({"industry_chain": None}, "industry_chain"),
    ({"title": None}, "title"),
    ({"title": "   "}, "title"),
    ({"title": "x" * 301}, "title"),
    ({"layout_category": "big_fun"}, "layout_category"),
    ({"registered_on": "2021-02-30"}, "registered_on"),
    ({"team_members": "Li Wei"}, "team_members"),
    ({"colour": "red"}, "colour"),
]


async def test_bad_project_input_is_4xx_naming_the_field(svc):
    for body, field in BAD_PROJECTS:
        full = {
            "path": "directed",
            "title": "T",
            "industry_chain": "black_talc",
            "enterprise": "E",
            "enterprise_tag": "gazelle",
            **body,
        }
        full = {k: v for k, v in full.items() if v is not None}
        resp = await svc.client.post(P, json=full, headers=svc.auth(OPERATOR))
        assert 400 <= resp.status_code < 500, (body, resp.text)
        assert field in resp.text, (body, resp.text)
    listed = await svc.client.get(P, headers=svc.auth(OPERATOR))
    assert listed.json() == [] and listed.headers["X-Total-Count"] == "0"


async def test_order_and_menu_projects_come_from_the_backlog(svc):
    headers = svc.auth(OPERATOR)
    await demand(svc, "d1")
    await menu_item(svc, "m1")
    backlog = await svc.client.get("/api/v1/backlog", headers=headers)
    assert [(b["kind"], b["id"], b["project_id"]) for b in backlog.json()] == [
        ("demand", "d1", None),
        ("menu_item", "m1", None),
    ]

    order = await create(
        svc,
        path="order",
        demand_id="d1",
        title=None,
        enterprise=None,
        enterprise_tag=None,
        industry_chain=None,
    )
    assert order["enterprise"] == "Guangfeng Talc Co." and order["title"] == (
        "Talc micro-powder process"
    )
    assert order["industry_chain"] == "black_talc" and order["description"] == "finer grading"
    resp = await svc.client.post(
        "/api/v1/backlog/menu-items/m1/project", json={"team_members": ["Wu"]}, headers=headers
    )
    assert resp.status_code == 201, resp.text
    menu = resp.json()
    assert menu["path"] == "menu" and menu["layout_category"] == "new_electronics"
    assert menu["menu_item_id"] == "m1" and menu["team_members"] == ["Wu"]

    # one demand or item, at most one live project
    again = await svc.client.post("/api/v1/backlog/demands/d1/project", headers=headers)
    assert again.status_code == 409 and again.json()["field"] == "demand_id"
    assert order["id"] in again.json()["detail"]
    again = await svc.client.post(P, json={"path": "menu", "menu_item_id": "m1"}, headers=headers)
    assert again.status_code == 409 and again.json()["field"] == "menu_item_id"
    taken = await svc.client.get("/api/v1/backlog?taken=true", headers=headers)
    assert {b["project_id"] for b in taken.json()} == {order["id"], menu["id"]}

    # dropped: the demand is free again
    await svc.client.post(f"{P}/{order['id']}/drop", headers=headers)
    free = await svc.client.get("/api/v1/backlog?taken=false&kind=demand", headers=headers)
    assert [b["id"] for b in free.json()] == ["d1"]
    retaken = await svc.client.post(
        "/api/v1/backlog/demands/d1/project", json={"title": "Second try"}, headers=headers
    )
    assert retaken.status_code == 201 and retaken.json()["title"] == "Second try"


async def test_backlog_path_rules(svc):
    headers = svc.auth(OPERATOR)
    await demand(svc, "d2")
    await menu_item(svc, "m2")
    resp = await svc.client.post(
        P, json={"path": "order", "demand_id": "d2", "enterprise": "Someone Else"}, headers=headers
    )
    assert resp.status_code == 422 and resp.json()["field"] == "enterprise"
    resp = await svc.client.post(
        "/api/v1/backlog/menu-items/m2/project",
        json={"layout_category": "big_tourism"},
        headers=headers,
    )
    assert resp.status_code == 422 and resp.json()["field"] == "layout_category"
    resp = await svc.client.post("/api/v1/backlog/demands/nope/project", headers=headers)
    assert resp.status_code == 404
    resp = await svc.client.get("/api/v1/backlog/menu-items/nope", headers=headers)
    assert resp.status_code == 404
    # nothing half-written: both items are still free
    free = await svc.client.get("/api/v1/backlog?taken=false", headers=headers)
    assert len(free.json()) == 2


async def test_list_filters_and_pagination(svc):
    headers = svc.auth(OPERATOR)
    for i in range(3):
        await create(svc, title=f"directed {i}", registered_on=f"2021-0{i + 1}-15")
    await create(
        svc, path="delivery", enterprise=None, enterprise_tag=None, registered_on="2021-04-15"
    )
    page = await svc.client.get(f"{P}?limit=2&offset=1", headers=headers)
    assert page.headers["X-Total-Count"] == "4"
    assert [p["registered_on"] for p in page.json()] == ["2021-03-15", "2021-02-15"]
    directed = await svc.client.get(
        f"{P}?path=directed&from=2021-02-01&to=2021-03-31", headers=headers
    )
    assert [p["title"] for p in directed.json()] == ["directed 2", "directed 1"]
    bad = await svc.client.get(f"{P}?from=2021-05-01&to=2021-04-01", headers=headers)
    assert bad.status_code == 422 and bad.json()["field"] == "from"
    bad = await svc.client.get(f"{P}?stage=hatching", headers=headers)
    assert bad.status_code == 422 and "stage" in bad.text
    bad = await svc.client.get(f"{P}?limit=0", headers=headers)
    assert bad.status_code == 422 and "limit" in bad.text


async def test_unknown_project_is_404(svc):
    headers = svc.auth(OPERATOR)
    assert (await svc.client.get(f"{P}/nope", headers=headers)).status_code == 404
    for move in ("incubation", "maturity", "drop"):
        resp = await svc.client.post(f"{P}/nope/{move}", headers=headers)
        assert resp.status_code == 404 and "nope" in resp.json()["detail"]


async def test_auth(svc):
    body = {"path": "delivery", "title": "T", "industry_chain": "black_talc"}
    assert (await svc.client.post(P, json=body)).status_code == 401
    bad = {"Authorization": "Bearer not-a-token"}
    assert (await svc.client.get(P, headers=bad)).status_code == 401
    for role in ("zone_officer", "assessor", "hotline_agent", "enterprise"):
        resp = await svc.client.post(P, json=body, headers=svc.auth(role))
        assert resp.status_code == 403, role
    assert (await svc.client.post(P, json=body, headers=svc.auth("admin"))).status_code == 201
    pid = (await svc.client.get(P, headers=svc.auth("admin"))).json()[0]["id"]
    for role in ("assessor", "zone_officer", "enclave_operator"):
        assert (await svc.client.get(f"{P}/{pid}", headers=svc.auth(role))).status_code == 200
    for role in ("hotline_agent", "enterprise"):
        assert (await svc.client.get(f"{P}/{pid}", headers=svc.auth(role))).status_code == 403
        resp = await svc.client.post(f"{P}/{pid}/maturity", headers=svc.auth(role))
        assert resp.status_code == 403
    resp = await svc.client.post(f"{P}/{pid}/maturity", headers=svc.auth("assessor"))
    assert resp.status_code == 403
    chains = await svc.client.get("/api/v1/industry-chains", headers=svc.auth("enterprise"))
    assert len(chains.json()) == 7 and chains.json()[:3] == [
        "advanced_machinery",
        "metal_new_materials",
        "black_talc",
    ]
