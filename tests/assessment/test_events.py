"""Indicators from events: business-date years, duplicates, the example end to end, rebuilds."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from enclave_shared.catalog.incubation import (
    IntakePath,
    ProjectTransferred,
    TalentLevel,
    TrainingTrack,
)
from enclave_shared.catalog.intake import CaseOpened

from services.assessment.main import SPEC
from tests.assessment.helpers import (
    Message,
    activity,
    agreement,
    assessor_get,
    fact_count,
    hq,
    matured,
    message,
    outcome,
    plan_month,
    put_scheme,
    rebuild_settings,
    send,
    settled,
    talent,
    ticket,
    training,
    until_inbox,
)
from tests.support import run_service

Y = 2021
CLOCK = datetime(2022, 1, 20, 9, 0, tzinfo=UTC)


def _actual(result: dict[str, Any], dim: str, key: str) -> str:
    value: str = result["dimensions"][dim]["indicators"][key]["actual"]
    return value


async def test_business_date_decides_the_year(make_settings):
    settings = await make_settings("assessment")
    async with run_service(SPEC, settings) as svc:
        await put_scheme(svc, 2021)
        await put_scheme(svc, 2022)
        await send(
            settings,
            [
                talent("t-old", date(2021, 12, 31)),
                talent("t-new", date(2022, 1, 1)),
                training("r-old", date(2021, 12, 31), TrainingTrack.MANAGERS, 4),
                training("r-new", date(2022, 1, 1), TrainingTrack.MANAGERS, 7),
            ],
        )
        await until_inbox(svc, 4)
        y2021 = await assessor_get(svc, "/api/v1/assessments/2021")
        y2022 = await assessor_get(svc, "/api/v1/assessments/2022")
        assert _actual(y2021, "talent_introduction", "talents_high_level") == "1"
        assert _actual(y2022, "talent_introduction", "talents_high_level") == "1"
        assert _actual(y2021, "activities", "trainings_managers") == "4"
        assert _actual(y2022, "activities", "trainings_managers") == "7"
        facts = await svc.client.get(
            "/api/v1/assessments/2021/facts?indicator=talents_high_level",
            headers=svc.auth("assessor"),
        )
        assert facts.headers["X-Total-Count"] == "1"
        assert [f["subject"] for f in facts.json()] == ["t-old"]
        assert facts.json()[0]["business_date"] == "2021-12-31"


async def test_the_same_event_three_times_is_counted_once(make_settings):
    settings = await make_settings("assessment")
    async with run_service(SPEC, settings) as svc:
        await put_scheme(svc, Y)
        once = agreement("a-1", date(2021, 5, 1))
        again = agreement("a-1", date(2021, 5, 2))  # same agreement, another event id
        other = agreement("a-2", date(2021, 6, 1))
        await send(settings, [once, once, once, again, other])
        await until_inbox(svc, 3)  # three distinct event ids
        result = await assessor_get(svc, f"/api/v1/assessments/{Y}")
        assert _actual(result, "rd_cooperation", "agreements_gba") == "2"
        facts = await assessor_get(svc, f"/api/v1/assessments/{Y}/facts?indicator=agreements_gba")
        assert sorted(f["subject"] for f in facts) == ["a-1", "a-2"]
        first_id = _event_id(once)
        assert next(f for f in facts if f["subject"] == "a-1")["event_id"] == first_id


def _event_id(msg: Message) -> str:
    import json

    event_id: str = json.loads(msg[2])["id"]
    return event_id


def example_events() -> list[Message]:
    """The event set of the hand-checked example (see test_scoring's docstring), plus noise.

    2021: 60 high-level talents, 30 researchers, 19 GBA agreements (+1 outside the GBA),
    2 outcomes transferred, 3 enterprises settled, 4 projects matured, 5 HQ enterprises,
    12 tickets resolved within SLA (+3 late), 6 activities, trainings: managers 5 + 5,
    entrepreneurs 20, skilled workers 500, the work plans of April to December closed with
    4 items done on time each (36). Noise: the same kinds dated 2020 and 2022,
    transfers (not in the scheme) and an event type the service does not count.
    """
    d = date(2021, 6, 1)
    msgs: list[Message] = []
    msgs += [plan_month(f"pm-{m}", f"2021-{m:02d}", done_on_time=4) for m in range(4, 13)]
    msgs += [talent(f"hl-{i}", d) for i in range(60)]
    msgs += [talent(f"rs-{i}", d, TalentLevel.RESEARCHER) for i in range(30)]
    msgs += [agreement(f"ag-{i}", d) for i in range(19)] + [agreement("ag-x", d, in_gba=False)]
    msgs += [outcome(f"oc-{i}", d) for i in range(2)]
    msgs += [settled(f"st-{i}", d) for i in range(3)]
    msgs += [
        matured(f"pm-{i}", d, IntakePath.ORDER if i < 2 else IntakePath.MENU) for i in range(4)
    ]
    msgs += [hq(f"hq-{i}", d) for i in range(5)]
    msgs += [ticket(f"tk-{i}", d) for i in range(12)]
    msgs += [ticket(f"tk-late-{i}", d, within_sla=False) for i in range(3)]
    msgs += [activity(f"ac-{i}", d) for i in range(6)]
    msgs += [
        training("tr-m1", d, TrainingTrack.MANAGERS, 5),
        training("tr-m2", d, TrainingTrack.MANAGERS, 5),
        training("tr-e1", d, TrainingTrack.ENTREPRENEURS, 20),
        training("tr-s1", d, TrainingTrack.SKILLED_WORKERS, 500),
    ]
    msgs += [
        talent("hl-2020", date(2020, 12, 31)),
        talent("hl-2022", date(2022, 1, 1)),
        settled("st-2022", date(2022, 1, 1)),
        activity("ac-2020", date(2020, 11, 30)),
    ]
    msgs += [
        message(
            ProjectTransferred(
                project_id="pm-0", path=IntakePath.ORDER, case_id="c-0", transferred_on=d
            )
        )
    ]
    msgs += [
        message(
            CaseOpened(
                case_id="c-0",
                project_id="pm-0",
                path=IntakePath.ORDER,
                industry_chain="black_talc",
                opened_on=d,
            )
        )
    ]
    return msgs


EXAMPLE_COUNTED = 60 + 30 + 20 + 2 + 3 + 4 + 5 + 15 + 6 + 4 + 4 + 1 + 9  # not CaseOpened
INPUT_EVENTS = 1 + 7  # the scheme and the manual entries, consumed back from its own topic

MANUAL = [
    ("premises", 1, "lease of the Nanshan office, 2020-11-02"),
    ("team", 3, "roster of January"),
    ("team", 4, "roster of March: a fourth full-time officer"),  # the newest counts
    ("annual_work_plan", 1, "2021 plan adopted by the district"),
    ("monthly_work_plans", 9, "plans filed for Apr-Dec"),
    ("honours", 3, "three provincial commendations"),
    ("platforms_created", 2, "two innovation platforms"),
]


async def _enter_manual(svc: Any) -> None:
    for key, value, note in MANUAL:
        resp = await svc.client.put(
            f"/api/v1/assessments/{Y}/manual/{key}",
            json={"value": value, "evidence": note},
            headers=svc.auth("assessor", sub="auditor-1"),
        )
        assert resp.status_code == 200, resp.text


async def _run_the_example(svc: Any, settings: Any) -> None:
    """The example year on the service: clock, scheme, manual inputs, events, all applied."""
    svc.runtime.clock = lambda: CLOCK
    await put_scheme(svc, Y)
    await _enter_manual(svc)
    await send(settings, example_events())
    await until_inbox(svc, EXAMPLE_COUNTED, own=INPUT_EVENTS)


async def test_example_scheme_on_known_events_gives_the_hand_checked_result(make_settings):
    """Hand calculation: test_scoring.test_example_scheme_on_known_actuals' docstring.

    Dimensions 12.90 / 18.00 / 12.00 / 16.00 / 8.25 = 67.15, bonus 5.10 capped to 5.00,
    total 72.15; progress 0.668836; fund 4,000,000 + 1,337,672 = 5,337,672.
    """
    settings = await make_settings("assessment")
    async with run_service(SPEC, settings) as svc:
        await _run_the_example(svc, settings)
        r = await assessor_get(svc, f"/api/v1/assessments/{Y}")
        assert {k: d["score"] for k, d in r["dimensions"].items()} == {
            "self_construction": "12.90",
            "rd_cooperation": "18.00",
            "incubation": "12.00",
            "talent_introduction": "16.00",
            "activities": "8.25",
        }
        assert (r["bonus_uncapped"], r["bonus"], r["total"]) == ("5.10", "5.00", "72.15")
        assert r["progress"] == "0.668836"
        assert r["fund"]["base"] == "4000000"
        assert r["fund"]["reward"] == "1337672"
        assert r["fund"]["total"] == "5337672"
        team = r["dimensions"]["self_construction"]["indicators"]["team"]
        assert (team["actual"], team["score"]) == ("4", "2.40")
        assert team["evidence"]["note"] == "roster of March: a fourth full-time officer"
        talents = r["dimensions"]["talent_introduction"]["indicators"]["talents_high_level"]
        assert talents["evidence"]["facts"] == 60
        listed = await svc.client.get(
            talents["evidence"]["facts_url"] + "&limit=500", headers=svc.auth("assessor")
        )
        assert listed.headers["X-Total-Count"] == "60"
        assert all(f["event_type"] == "enclave.talent.recruited.v1" for f in listed.json())
        assert r["bonus_items"]["extra_high_level_talents"]["score"] == "1.10"
        assert r["bonus_items"]["honours"]["score"] == "2.00"  # item cap


async def test_rebuild_from_the_topics_gives_the_same_numbers(make_settings, new_database):
    """A fresh database and another consumer group: inputs and facts come back from the topics."""
    settings = await make_settings("assessment")
    async with run_service(SPEC, settings) as live:
        await _run_the_example(live, settings)
        live_preview = await assessor_get(live, f"/api/v1/assessments/{Y}")
        resp = await live.client.post(
            f"/api/v1/assessments/{Y}/publication", headers=live.auth("assessor")
        )
        assert resp.status_code == 200
        published = resp.json()["assessment"]
        live_facts = await assessor_get(live, f"/api/v1/assessments/{Y}/facts?limit=500")
        live_versions = await assessor_get(live, f"/api/v1/schemes/{Y}/versions")
        live_manual = await assessor_get(live, f"/api/v1/assessments/{Y}/manual")
    rebuild = await rebuild_settings(make_settings, new_database, settings)
    async with run_service(SPEC, rebuild) as rebuilt:
        await until_inbox(rebuilt, EXAMPLE_COUNTED, own=INPUT_EVENTS)
        again = await assessor_get(rebuilt, f"/api/v1/assessments/{Y}")
        assert again == live_preview  # every number, every explanation
        numbers = ("bonus", "bonus_uncapped", "total", "progress", "fund", "bonus_items")
        assert {k: again[k] for k in numbers} == {k: published[k] for k in numbers}
        assert {k: d["score"] for k, d in again["dimensions"].items()} == {
            k: d["score"] for k, d in published["dimensions"].items()
        }
        assert again["fund"]["total"] == "5337672"
        rebuilt_facts = await assessor_get(rebuilt, f"/api/v1/assessments/{Y}/facts?limit=500")
        key = ("indicator", "subject", "event_id", "quantity", "business_date")
        assert sorted(tuple(f[k] for k in key) for f in rebuilt_facts) == sorted(
            tuple(f[k] for k in key) for f in live_facts
        )
        # the noise outside 2021: two talents (2 facts each), a settlement, an activity
        assert await fact_count(rebuilt) == len(rebuilt_facts) + 6
        # the inputs came back from the topic too (not frozen: publications are not replayed)
        versions = await assessor_get(rebuilt, f"/api/v1/schemes/{Y}/versions")
        assert [{**v, "frozen": True} for v in versions] == live_versions
        manual = await assessor_get(rebuilt, f"/api/v1/assessments/{Y}/manual")
        assert [{**m, "id": 0} for m in manual] == [{**m, "id": 0} for m in live_manual]
