"""Quiet days (宁静日) and the "three ones" (三个一) cadence, with a controlled clock."""

from __future__ import annotations

from datetime import UTC, date, datetime

from enclave_shared.catalog.intake import MeetingMissed

from services.intake.jobs import check_meetings
from tests.intake.helpers import OFFICER, emitted, open_case
from tests.support import of_type


def at(day: str, hour: int = 4) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


async def test_no_inspection_on_a_quiet_day(start_intake):
    async with start_intake(
        quiet_weekdays=[6, 7], quiet_dates=[date(2021, 3, 10)], quiet_month_days=[25]
    ) as svc:
        case = await open_case(svc, "p-q", "menu")
        url, h = f"/api/v1/cases/{case['id']}/meetings", svc.auth(OFFICER)
        for day, rule in [
            ("2021-03-06", "Saturdays are quiet days"),
            ("2021-03-10", "2021-03-10 is a configured quiet date"),
            ("2021-03-25", "day 25 of every month"),
        ]:
            resp = await svc.client.post(
                url, json={"kind": "inspection", "scheduled_on": day}, headers=h
            )
            assert resp.status_code == 409, resp.text
            assert "quiet day (宁静日)" in resp.json()["detail"] and rule in resp.json()["detail"]
            assert resp.json()["field"] == "scheduled_on"
        held_quiet = await svc.client.post(
            url, json={"kind": "inspection", "held_on": "2021-03-07"}, headers=h
        )
        assert held_quiet.status_code == 409 and held_quiet.json()["field"] == "held_on"
        # the rule is about inspections: a coordination meeting may fall on a quiet day
        coordination = await svc.client.post(
            url, json={"kind": "coordination", "scheduled_on": "2021-03-06"}, headers=h
        )
        assert coordination.status_code == 201
        planned = await svc.client.post(
            url, json={"kind": "inspection", "scheduled_on": "2021-03-09"}, headers=h
        )
        assert planned.status_code == 201
        mid = planned.json()["id"]
        quiet_held = await svc.client.post(
            f"/api/v1/meetings/{mid}/held", json={"held_on": "2021-03-13"}, headers=h
        )
        assert quiet_held.status_code == 409 and "Saturdays" in quiet_held.json()["detail"]
        held = await svc.client.post(
            f"/api/v1/meetings/{mid}/held",
            json={"held_on": "2021-03-11", "notes": "all fine"},
            headers=h,
        )
        assert held.status_code == 200 and held.json()["held_on"] == "2021-03-11"
        twice = await svc.client.post(
            f"/api/v1/meetings/{mid}/held", json={"held_on": "2021-03-12"}, headers=h
        )
        assert twice.status_code == 409
        got = await svc.client.get(f"/api/v1/meetings/{mid}", headers=h)
        assert got.json()["notes"] == "all fine"
        rules = await svc.client.get("/api/v1/quiet-days", params={"day": "2021-03-14"}, headers=h)
        assert rules.json()["quiet"] is True and rules.json()["weekdays"] == [6, 7]
        listed = await svc.client.get(url, headers=h)
        assert listed.headers["X-Total-Count"] == "2"


async def test_meeting_input_is_checked(intake):
    case = await open_case(intake, "p-mi", "menu")
    url, h = f"/api/v1/cases/{case['id']}/meetings", intake.auth(OFFICER)
    no_date = await intake.client.post(url, json={"kind": "inspection"}, headers=h)
    assert no_date.status_code == 422 and no_date.json()["field"] == "scheduled_on"
    bad_kind = await intake.client.post(
        url, json={"kind": "party", "held_on": "2021-03-02"}, headers=h
    )
    assert bad_kind.status_code == 422 and "kind" in bad_kind.text
    assert (
        await intake.client.post(
            "/api/v1/cases/none/meetings",
            headers=h,
            json={"kind": "inspection", "held_on": "2021-03-02"},
        )
    ).status_code == 404
    assert (await intake.client.get("/api/v1/meetings/none", headers=h)).status_code == 404
    enterprise = intake.auth("enterprise", sub="x")
    assert (
        await intake.client.post(
            url, json={"kind": "inspection", "held_on": "2021-03-02"}, headers=enterprise
        )
    ).status_code == 403


async def test_three_ones_overdue_meetings_are_listed_and_reported_once(intake):
    case = await open_case(intake, "p-3", "menu", on=date(2021, 3, 1))
    blue = await open_case(intake, "p-blue", "menu", enterprise="Fast", on=date(2021, 3, 1))
    base, h = f"/api/v1/cases/{case['id']}", intake.auth(OFFICER)
    for kind, day in [("inspection", "2021-03-11"), ("coordination", "2021-03-20")]:
        resp = await intake.client.post(
            f"{base}/meetings", json={"kind": kind, "held_on": day}, headers=h
        )
        assert resp.status_code == 201
    # the other case reaches production in its first half month: it owes nothing after that
    bb = f"/api/v1/cases/{blue['id']}"
    await intake.client.post(f"{bb}/signing", json={"signed_on": "2021-03-02"}, headers=h)
    await intake.client.post(f"{bb}/construction", json={"started_on": "2021-03-03"}, headers=h)
    await intake.client.post(f"{bb}/production", json={"started_on": "2021-03-15"}, headers=h)

    intake.runtime.clock = lambda: at("2021-04-20")
    schedule = (await intake.client.get(f"{base}/schedule", headers=h)).json()
    assert [(s["kind"], s["due_on"], s["status"]) for s in schedule] == [
        ("inspection", "2021-03-15", "held"),
        ("coordination", "2021-03-31", "held"),
        ("inspection", "2021-03-31", "overdue"),
        ("observation", "2021-03-31", "overdue"),
        ("inspection", "2021-04-15", "overdue"),
        ("coordination", "2021-04-30", "open"),
        ("inspection", "2021-04-30", "open"),
        ("observation", "2021-06-30", "open"),
    ]
    overdue = await intake.client.get("/api/v1/meetings/overdue", headers=h)
    assert overdue.headers["X-Total-Count"] == "3"
    assert {(s["project_id"], s["kind"], s["due_on"]) for s in overdue.json()} == {
        ("p-3", "inspection", "2021-03-31"),
        ("p-3", "observation", "2021-03-31"),
        ("p-3", "inspection", "2021-04-15"),
    }
    ledger = (await intake.client.get(f"{base}/ledger", headers=h)).json()
    assert len(ledger["overdue_meetings"]) == 3 and len(ledger["meetings"]) == 2

    assert await check_meetings(intake.runtime) == 3
    assert await check_meetings(intake.runtime) == 0  # each missed meeting is reported once
    # 05:00 in Shanghai on 1 May (21:00 UTC on 30 April): April's periods are over
    intake.runtime.clock = lambda: datetime(2021, 4, 30, 21, tzinfo=UTC)
    assert await check_meetings(intake.runtime) == 2
    events = await emitted(intake, 2 + 3 + 3 + 2)
    missed = of_type(events, MeetingMissed)
    assert sorted((m["kind"], m["due_on"]) for m in missed) == [
        ("coordination", "2021-04-30"),
        ("inspection", "2021-03-31"),
        ("inspection", "2021-04-15"),
        ("inspection", "2021-04-30"),
        ("observation", "2021-03-31"),
    ]
    assert {m["case_id"] for m in missed} == {case["id"]}
    as_of = await intake.client.get(
        "/api/v1/meetings/overdue", params={"as_of": "2021-04-01"}, headers=h
    )
    assert len(as_of.json()) == 2


async def test_the_sweep_can_leave_old_missed_meetings_unannounced(start_intake):
    async with start_intake(missed_meeting_lookback_days=10) as svc:
        case = await open_case(svc, "p-old", "menu", on=date(2021, 3, 1))
        svc.runtime.clock = lambda: at("2021-04-20")
        assert await check_meetings(svc.runtime) == 1  # only the one due on 15 April
        overdue = await svc.client.get("/api/v1/meetings/overdue", headers=svc.auth(OFFICER))
        assert len(overdue.json()) == 5  # all still listed
        [missed] = of_type(await emitted(svc, 2), MeetingMissed)
        assert missed == {
            "case_id": case["id"],
            "project_id": "p-old",
            "kind": "inspection",
            "due_on": "2021-04-15",
        }
