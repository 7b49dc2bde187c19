"""Talents, ambassadors, agreements, activities, 531 training, HQ economy; the stats."""

from __future__ import annotations

from enclave_shared.catalog.incubation import (
    ActivityHeld,
    AgreementSigned,
    AmbassadorAppointed,
    HqEnterpriseRegistered,
    TalentRecruited,
    TrainingCompleted,
)

from tests.incubation.helpers import OPERATOR, all_published, create
from tests.support import of_type

API = "/api/v1"


async def post(svc, path: str, body: dict, status: int = 201):
    resp = await svc.client.post(f"{API}/{path}", json=body, headers=svc.auth(OPERATOR))
    assert resp.status_code == status, resp.text
    return resp.json()


async def test_records_are_stored_readable_and_emitted(svc):
    amb = await post(svc, "ambassadors", {"name": "Zhang San", "organisation": "Chamber"})
    talent = await post(
        svc,
        "talents",
        {
            "name": "Dr Wang",
            "level": "high_level",
            "field": "materials",
            "ambassador_id": amb["id"],
            "recruited_on": "2021-01-10",
        },
    )
    batch = await post(
        svc,
        "talents/batch",
        {
            "talents": [
                {"name": f"R{i}", "level": "researcher", "field": "machinery"} for i in range(3)
            ]
        },
    )
    agreement = await post(
        svc, "agreements", {"partner": "Shenzhen University", "kind": "university"}
    )
    activity = await post(
        svc,
        "activities",
        {"kind": "village_elite_meeting", "title": "Spring meeting", "attendance": 80},
    )
    training = await post(svc, "trainings", {"track": "managers", "count": 12})
    hq = await post(
        svc,
        "hq-enterprises",
        {"name": "Pengcheng Tech", "industry_chain": "black_talc", "registered_on": "2021-02-01"},
    )
    assert talent["recruited_on"] == "2021-01-10" and talent["ambassador_id"] == amb["id"]
    assert [t["recruited_on"] for t in batch] == ["2021-06-30"] * 3
    assert agreement["in_gba"] is True and agreement["signed_on"] == "2021-06-30"

    reader = svc.auth("assessor")
    for path, record in (
        ("ambassadors", amb),
        ("talents", talent),
        ("agreements", agreement),
        ("activities", activity),
        ("trainings", training),
        ("hq-enterprises", hq),
    ):
        got = await svc.client.get(f"{API}/{path}/{record['id']}", headers=reader)
        assert got.status_code == 200, path
        expected = {k: v for k, v in record.items() if k != "talents_recruited"}
        assert {k: v for k, v in got.json().items() if k in expected} == expected
        missing = await svc.client.get(f"{API}/{path}/nope", headers=reader)
        assert missing.status_code == 404, path
    got = (await svc.client.get(f"{API}/ambassadors/{amb['id']}", headers=reader)).json()
    assert got["talents_recruited"] == 1

    events = await all_published(svc, 9)
    assert of_type(events, AmbassadorAppointed)[0]["ambassador_id"] == amb["id"]
    assert sorted(t["level"] for t in of_type(events, TalentRecruited)) == [
        "high_level",
        "researcher",
        "researcher",
        "researcher",
    ]
    assert of_type(events, AgreementSigned)[0] == {
        "agreement_id": agreement["id"],
        "partner": "Shenzhen University",
        "kind": "university",
        "in_gba": True,
        "signed_on": "2021-06-30",
        "project_id": None,
        "project_ids": [],
    }
    assert of_type(events, ActivityHeld)[0]["attendance"] == 80
    assert of_type(events, TrainingCompleted)[0]["count"] == 12
    assert of_type(events, HqEnterpriseRegistered)[0]["name"] == "Pengcheng Tech"


async def test_bad_record_input_is_4xx_naming_the_field(svc):
    cases = [
        ("talents", {"name": "A", "level": "genius", "field": "x"}, "level"),
        ("talents", {"name": "A", "field": "x"}, "level"),
        (
            "talents",
            {"name": "A", "level": "researcher", "field": "x", "ambassador_id": "nobody"},
            "ambassador_id",
        ),
        (
            "talents",
            {"name": "A", "level": "researcher", "field": "x", "recruited_on": "2021-13-01"},
            "recruited_on",
        ),
        ("talents/batch", {"talents": []}, "talents"),
        (
            "talents/batch",
            {
                "talents": [
                    {"name": "A", "level": "researcher", "field": "x"},
                    {"name": "B", "level": "researcher", "field": "x", "ambassador_id": "nobody"},
                ]
            },
            "talents.1.ambassador_id",
        ),
        ("ambassadors", {"name": ""}, "name"),
        ("agreements", {"partner": "P", "kind": "friendship"}, "kind"),
        ("agreements", {"partner": "P", "kind": "enterprise", "in_gba": "perhaps"}, "in_gba"),
        ("agreements", {"partner": "P", "kind": "enterprise", "project_id": "nope"}, "project_id"),
        ("activities", {"kind": "roadshow", "title": "R", "attendance": -1}, "attendance"),
        ("activities", {"kind": "roadshow", "title": "R", "attendance": 10**12}, "attendance"),
        ("activities", {"kind": "party", "title": "R"}, "kind"),
        ("trainings", {"track": "managers", "count": 0}, "count"),
        ("trainings", {"track": "astronauts", "count": 1}, "track"),
        ("hq-enterprises", {"name": "H", "industry_chain": "cheese"}, "industry_chain"),
        ("hq-enterprises", {"name": "x" * 201}, "name"),
    ]
    for path, body, field in cases:
        resp = await svc.client.post(f"{API}/{path}", json=body, headers=svc.auth(OPERATOR))
        assert 400 <= resp.status_code < 500, (path, body, resp.text)
        assert field in resp.text, (path, body, resp.text)
    # nothing half-written (the batch with one bad talent wrote none)
    talents = await svc.client.get(f"{API}/talents", headers=svc.auth(OPERATOR))
    assert talents.json() == []
    await post(svc, "hq-enterprises", {"name": "Once"})
    dup = await post(svc, "hq-enterprises", {"name": "Once"}, status=409)
    assert "Once" in dup["detail"]


async def test_record_auth(svc):
    body = {"kind": "roadshow", "title": "R"}
    assert (await svc.client.post(f"{API}/activities", json=body)).status_code == 401
    for role in ("assessor", "zone_officer", "enterprise", "hotline_agent"):
        resp = await svc.client.post(f"{API}/activities", json=body, headers=svc.auth(role))
        assert resp.status_code == 403, role
    for role in ("zone_officer", "enterprise", "hotline_agent"):
        resp = await svc.client.get(f"{API}/talents", headers=svc.auth(role))
        assert resp.status_code == 403, role
    assert (await svc.client.get(f"{API}/talents", headers=svc.auth("assessor"))).status_code == 200
    assert (await svc.client.get(f"{API}/stats")).status_code == 401
    for role in ("enterprise", "hotline_agent", "zone_officer", "assessor"):
        assert (await svc.client.get(f"{API}/stats", headers=svc.auth(role))).status_code == 200


async def test_record_lists_filter_by_date_and_kind(svc):
    for day in ("2021-01-05", "2021-02-05", "2021-03-05"):
        await post(
            svc,
            "agreements",
            {
                "partner": f"P{day}",
                "kind": "enterprise",
                "signed_on": day,
                "in_gba": day != "2021-02-05",
            },
        )
    headers = svc.auth("assessor")
    resp = await svc.client.get(f"{API}/agreements?from=2021-02-01&in_gba=true", headers=headers)
    assert [a["signed_on"] for a in resp.json()] == ["2021-03-05"]
    resp = await svc.client.get(f"{API}/agreements?limit=1&offset=1", headers=headers)
    assert resp.headers["X-Total-Count"] == "3" and resp.json()[0]["signed_on"] == "2021-02-05"
    resp = await svc.client.get(f"{API}/agreements?from=2021-04-01&to=2021-03-01", headers=headers)
    assert resp.status_code == 422 and resp.json()["field"] == "from"
    first = await post(svc, "ambassadors", {"name": "A", "appointed_on": "2020-11-08"})
    await post(svc, "ambassadors", {"name": "B", "appointed_on": "2020-12-01"})
    await post(
        svc,
        "talents",
        {"name": "T", "level": "researcher", "field": "f", "ambassador_id": first["id"]},
    )
    resp = await svc.client.get(f"{API}/ambassadors?limit=1", headers=headers)
    assert resp.headers["X-Total-Count"] == "2"
    assert [(a["name"], a["talents_recruited"]) for a in resp.json()] == [("A", 1)]
    resp = await svc.client.get(f"{API}/talents?ambassador_id={first['id']}", headers=headers)
    assert [t["name"] for t in resp.json()] == ["T"]
    resp = await svc.client.get(f"{API}/trainings?track=pilots", headers=headers)
    assert resp.status_code == 422 and "track" in resp.text


async def test_stats_count_by_business_date(svc):
    jan, feb, mar = "2021-01-15", "2021-02-15", "2021-03-15"
    await post(
        svc,
        "talents/batch",
        {
            "talents": [
                *(
                    {"name": f"H{i}", "level": "high_level", "field": "f", "recruited_on": jan}
                    for i in range(2)
                ),
                *(
                    {"name": f"R{i}", "level": "researcher", "field": "f", "recruited_on": feb}
                    for i in range(3)
                ),
            ]
        },
    )
    await post(svc, "agreements", {"partner": "A", "kind": "enterprise", "signed_on": jan})
    await post(
        svc, "agreements", {"partner": "B", "kind": "institute", "signed_on": feb, "in_gba": False}
    )
    await post(svc, "hq-enterprises", {"name": "HQ1", "registered_on": mar})
    await post(svc, "trainings", {"track": "skilled_workers", "count": 40, "completed_on": jan})
    await post(svc, "trainings", {"track": "skilled_workers", "count": 60, "completed_on": mar})
    await post(
        svc, "activities", {"kind": "roadshow", "title": "R", "attendance": 30, "held_on": feb}
    )
    directed = await create(svc, registered_on=jan)
    await create(svc, path="delivery", enterprise=None, enterprise_tag=None, registered_on=feb)
    await svc.client.post(
        f"{API}/projects/{directed['id']}/maturity",
        json={"matured_on": mar},
        headers=svc.auth(OPERATOR),
    )

    headers = svc.auth("enterprise")
    everything = (await svc.client.get(f"{API}/stats", headers=headers)).json()
    assert everything["talents"] == {"high_level": 2, "researcher": 3, "total": 5}
    assert everything["agreements"] == {"total": 2, "gba": 1}
    assert everything["hq_economy"] == 1
    assert everything["training"] == {
        "managers": {"completed": 0, "target": 100},
        "entrepreneurs": {"completed": 0, "target": 100},
        "skilled_workers": {"completed": 100, "target": 10000},
    }
    assert everything["projects"]["by_path"] == {
        "order": 0,
        "menu": 0,
        "directed": 1,
        "delivery": 1,
    }
    assert everything["projects"]["by_stage"] == {
        "proposed": 1,
        "incubating": 0,
        "matured": 1,
        "transferred": 0,
        "dropped": 0,
    }
    assert everything["activities"] == {"total": 1, "attendance": 30}

    feb_only = (
        await svc.client.get(f"{API}/stats?from=2021-02-01&to=2021-02-28", headers=headers)
    ).json()
    assert feb_only["talents"] == {"high_level": 0, "researcher": 3, "total": 3}
    assert feb_only["agreements"] == {"total": 1, "gba": 0}
    assert feb_only["hq_economy"] == 0
    assert feb_only["training"]["skilled_workers"] == {"completed": 0, "target": 10000}
    assert feb_only["projects"]["by_path"]["delivery"] == 1
    assert feb_only["projects"]["registered"] == 1 and feb_only["projects"]["matured"] == 0
    from_mar = (await svc.client.get(f"{API}/stats?from=2021-03-01", headers=headers)).json()
    assert from_mar["projects"]["matured"] == 1 and from_mar["hq_economy"] == 1
    assert from_mar["training"]["skilled_workers"]["completed"] == 60
    to_jan = (await svc.client.get(f"{API}/stats?to=2021-01-31", headers=headers)).json()
    assert to_jan["talents"]["high_level"] == 2 and to_jan["agreements"]["gba"] == 1
    bad = await svc.client.get(f"{API}/stats?from=2021-02-30", headers=headers)
    assert bad.status_code == 422 and "from" in bad.text
    bad = await svc.client.get(f"{API}/stats?from=2021-03-01&to=2021-02-01", headers=headers)
    assert bad.status_code == 422 and bad.json()["field"] == "from"


async def test_year_over_year_sets_each_figure_beside_the_same_period_a_year_earlier(svc):
    def talent(name: str, level: str, on: str) -> dict:
        return {"name": name, "level": level, "field": "f", "recruited_on": on}

    made = await post(
        svc,
        "talents/batch",
        {
            "talents": [
                *(talent(f"Now{i}", "researcher", "2021-03-01") for i in range(4)),
                talent("NowH", "high_level", "2021-01-01"),
                talent("ThenR", "researcher", "2020-01-01"),
                talent("ThenH", "high_level", "2020-06-30"),  # the previous period's last day
                talent("Void", "researcher", "2020-02-01"),
                talent("After", "researcher", "2020-07-01"),  # after the previous period
            ]
        },
    )
    void = next(t for t in made if t["name"] == "Void")
    resp = await svc.client.delete(
        f"{API}/talents/{void['id']}", params={"reason": "typo"}, headers=svc.auth(OPERATOR)
    )
    assert resp.status_code == 200, resp.text
    await post(svc, "activities", {"kind": "roadshow", "title": "R", "held_on": "2021-02-02"})

    # today is 2021-06-30: the period defaults to the year so far
    resp = await svc.client.get(f"{API}/stats/year-over-year", headers=svc.auth("assessor"))
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert (body["from"], body["to"]) == ("2021-01-01", "2021-06-30")
    assert body["previous"] == {"from": "2020-01-01", "to": "2020-06-30"}
    rows = {r["figure"]: (r["current"], r["previous"], r["ratio"]) for r in body["figures"]}
    assert rows["talents.total"] == (5, 2, 2.5)
    assert rows["talents.researcher"] == (4, 1, 4.0)
    assert rows["talents.high_level"] == (1, 1, 1.0)
    assert rows["activities.total"] == (1, 0, None)  # no baseline: no ratio
    assert rows["agreements.total"] == (0, 0, None)
    assert rows["training.managers.completed"] == (0, 0, None)

    # any period: a leap day's year earlier is 28 February
    resp = await svc.client.get(
        f"{API}/stats/year-over-year",
        params={"from": "2020-02-29", "to": "2021-06-30"},
        headers=svc.auth("enterprise"),
    )
    body = resp.json()
    assert body["previous"] == {"from": "2019-02-28", "to": "2020-06-30"}
    rows = {r["figure"]: (r["current"], r["previous"], r["ratio"]) for r in body["figures"]}
    assert rows["talents.total"] == (7, 2, 3.5)  # ThenH and After are in this period too
    for params, field in (
        ({"from": "2021-03-01", "to": "2021-02-01"}, "from"),
        ({"from": "0001-01-01", "to": "0001-12-31"}, "from"),
        ({"to": "2021-02-30"}, "to"),
    ):
        resp = await svc.client.get(
            f"{API}/stats/year-over-year", params=params, headers=svc.auth(OPERATOR)
        )
        assert resp.status_code == 422 and field in resp.text, (params, resp.text)
    assert (await svc.client.get(f"{API}/stats/year-over-year")).status_code == 401


async def test_the_party_building_campaigns_are_kinds_of_activity(svc):
    led = await post(
        svc,
        "activities",
        {"kind": "party_member_leads", "title": "我是党员我带头", "held_on": "2021-05-04"},
    )
    await post(
        svc,
        "activities",
        {"kind": "for_hometown", "title": "我为家乡做点事", "held_on": "2021-05-20"},
    )
    await post(svc, "activities", {"kind": "roadshow", "title": "路演", "held_on": "2021-05-21"})
    reader = svc.auth("assessor")
    for kind, titles in (
        ("party_member_leads", ["我是党员我带头"]),
        ("for_hometown", ["我为家乡做点事"]),
    ):
        resp = await svc.client.get(f"{API}/activities", params={"kind": kind}, headers=reader)
        assert [a["title"] for a in resp.json()] == titles, kind
        assert resp.headers["X-Total-Count"] == "1"
    resp = await svc.client.patch(
        f"{API}/activities/{led['id']}",
        json={"kind": "for_hometown", "reason": "the hometown campaign"},
        headers=svc.auth(OPERATOR),
    )
    assert resp.status_code == 200 and resp.json()["kind"] == "for_hometown", resp.text
    resp = await svc.client.get(f"{API}/activities?kind=for_hometown", headers=reader)
    assert resp.headers["X-Total-Count"] == "2"
    events = await all_published(svc, 4)
    held = sorted(e["kind"] for e in of_type(events, ActivityHeld))  # keys spread partitions
    assert held == ["for_hometown", "party_member_leads", "roadshow"]
