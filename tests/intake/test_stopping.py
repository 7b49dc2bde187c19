"""Cases that stop: suspended (no "three ones" owed) and resumed (owed again), withdrawn
(closed, out of the colour counts, kept in history); a wrong move is a 409 naming the state."""

from __future__ import annotations

from datetime import UTC, date, datetime

from enclave_shared.catalog.intake import CaseResumed, CaseSuspended, CaseWithdrawn, MeetingMissed

from services.intake.jobs import check_meetings
from tests.intake.helpers import OFFICER, emitted, open_case
from tests.support import of_type


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=4, tzinfo=UTC)


async def test_a_suspended_case_owes_no_meetings_until_it_resumes(intake):
    case = await open_case(intake, "s-1", "menu", on=date(2021, 3, 1))
    h, base = intake.auth(OFFICER), f"/api/v1/cases/{case['id']}"
    suspended = await intake.client.post(
        f"{base}/suspend",
        json={"reason": "the enterprise waits for its bank loan", "suspended_on": "2021-03-02"},
        headers=h,
    )
    assert suspended.status_code == 200, suspended.text
    assert (suspended.json()["status"], suspended.json()["suspended_on"]) == (
        "suspended",
        "2021-03-02",
    )
    twice = await intake.client.post(
        f"{base}/suspend", json={"reason": "x", "suspended_on": "2021-03-03"}, headers=h
    )
    assert twice.status_code == 409 and "suspended" in twice.json()["detail"]

    intake.runtime.clock = lambda: at("2021-04-20")
    schedule = (await intake.client.get(f"{base}/schedule", headers=h)).json()
    assert schedule == []  # nothing owed while suspended
    assert (await intake.client.get("/api/v1/meetings/overdue", headers=h)).json() == []
    assert await check_meetings(intake.runtime) == 0
    listed = await intake.client.get("/api/v1/cases", params={"status": "suspended"}, headers=h)
    assert [c["id"] for c in listed.json()] == [case["id"]]

    resumed = await intake.client.post(
        f"{base}/resume", json={"resumed_on": "2021-04-20"}, headers=h
    )
    assert resumed.status_code == 200 and resumed.json()["status"] == "active"
    assert resumed.json()["suspended_on"] is None
    intake.runtime.clock = lambda: at("2021-05-03")
    schedule = (await intake.client.get(f"{base}/schedule", headers=h)).json()
    # owed again from the periods it is active at the end of: April's second half and April
    assert [(s["kind"], s["due_on"], s["status"]) for s in schedule] == [
        ("coordination", "2021-04-30", "overdue"),
        ("inspection", "2021-04-30", "overdue"),
        ("inspection", "2021-05-15", "open"),
        ("coordination", "2021-05-31", "open"),
        ("observation", "2021-06-30", "open"),
    ]
    assert await check_meetings(intake.runtime) == 2
    again = await intake.client.post(f"{base}/resume", json={"resumed_on": "2021-05-03"}, headers=h)
    assert again.status_code == 409 and "active" in again.json()["detail"]

    events = await emitted(intake, 5)
    [s] = of_type(events, CaseSuspended)
    assert (s["reason"], s["suspended_on"]) == (
        "the enterprise waits for its bank loan",
        "2021-03-02",
    )
    assert of_type(events, CaseResumed) == [
        {"case_id": case["id"], "project_id": "s-1", "resumed_on": "2021-04-20"}
    ]
    assert {m["due_on"] for m in of_type(events, MeetingMissed)} == {"2021-04-30"}


async def test_a_withdrawn_case_is_closed_out_of_the_counts_and_kept(intake):
    gone = await open_case(intake, "w-1", "menu", enterprise="Gone Co", on=date(2021, 3, 1))
    await open_case(intake, "w-2", "menu", enterprise="Stay Co", on=date(2021, 3, 1))
    h, base = intake.auth(OFFICER), f"/api/v1/cases/{gone['id']}"
    early = await intake.client.post(
        f"{base}/withdraw", json={"reason": "x", "withdrawn_on": "2021-02-01"}, headers=h
    )
    assert early.status_code == 422 and early.json()["field"] == "withdrawn_on"
    out = await intake.client.post(
        f"{base}/withdraw",
        json={"reason": "the enterprise settled elsewhere", "withdrawn_on": "2021-03-10"},
        headers=h,
    )
    assert out.status_code == 200 and out.json()["status"] == "withdrawn"
    for move, body in [
        ("suspend", {"reason": "x", "suspended_on": "2021-03-11"}),
        ("resume", {"resumed_on": "2021-03-11"}),
        ("withdraw", {"reason": "x", "withdrawn_on": "2021-03-11"}),
        ("signing", {"signed_on": "2021-03-11"}),
    ]:
        refused = await intake.client.post(f"{base}/{move}", json=body, headers=h)
        assert refused.status_code == 409, move
        assert "withdrawn" in refused.json()["detail"]

    intake.runtime.clock = lambda: at("2021-04-20")
    schedule = (await intake.client.get(f"{base}/schedule", headers=h)).json()
    assert [(s["due_on"], s["status"]) for s in schedule] == []  # all periods end after 10 March
    stats = (await intake.client.get("/api/v1/stats", headers=h)).json()
    assert stats["cases_by_color"] == {"red": 1, "yellow": 0, "blue": 0}
    assert (stats["cases_opened"], stats["cases_withdrawn"]) == (2, 1)
    kept = await intake.client.get(f"{base}", headers=h)
    assert kept.json()["status_reason"] == "the enterprise settled elsewhere"
    wall = (await intake.client.get("/public/wall")).json()
    assert [r["project_id"] for r in wall["transfer_progress"]] == ["w-2"]
    [w] = of_type(await emitted(intake, 3), CaseWithdrawn)
    assert (w["case_id"], w["withdrawn_on"]) == (gone["id"], "2021-03-10")
