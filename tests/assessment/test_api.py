"""HTTP: schemes (versioned, validated, frozen), auth, bad input, publication and its event."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from enclave_shared.catalog import BY_TYPE
from enclave_shared.catalog.assessment import (
    AssessmentPublished,
    ManualIndicatorEntered,
    SchemeVersioned,
)
from enclave_shared.events import CloudEvent

from services.assessment import handlers
from services.assessment.domain.scheme import Scheme
from services.assessment.main import SPEC
from tests.assessment.helpers import example_scheme, inbox_count, message, send
from tests.support import events_of, eventually, read_topic, run_service, started_and_held

YEAR = 2021
CLOCK = datetime(2022, 1, 20, 9, 0, tzinfo=UTC)


async def test_scheme_put_is_versioned_and_readable(make_settings):
    async with run_service(SPEC, await make_settings("assessment")) as svc:
        headers = svc.auth("assessor", sub="auditor-1")
        first = await svc.client.put(
            f"/api/v1/schemes/{YEAR}", json=example_scheme(), headers=headers
        )
        assert first.status_code == 200, first.text
        assert first.json()["version"] == 1 and first.json()["frozen"] is False
        changed = example_scheme()
        changed["fund"]["reward_pool"] = 1_000_000
        second = await svc.client.put(
            f"/api/v1/schemes/{YEAR}", json=changed, headers=svc.auth("admin")
        )
        assert second.status_code == 200 and second.json()["version"] == 2
        latest = (await svc.client.get(f"/api/v1/schemes/{YEAR}", headers=headers)).json()
        assert latest["version"] == 2 and latest["scheme"]["fund"]["reward_pool"] == "1000000"
        old = await svc.client.get(f"/api/v1/schemes/{YEAR}?version=1", headers=headers)
        assert old.json()["scheme"]["fund"]["reward_pool"] == "2000000"
        registry = (await svc.client.get("/api/v1/indicators", headers=headers)).json()
        sources = {i["key"]: i["source"] for i in registry}
        assert sources["premises"] == "manual" and sources["agreements_gba"] == "events"
        versions = await svc.client.get(f"/api/v1/schemes/{YEAR}/versions", headers=headers)
        assert [v["version"] for v in versions.json()] == [1, 2]
        assert versions.json()[0]["created_by"] == "auditor-1"
        # the preview uses the newest version; with no events or entries everything is 0
        preview = (await svc.client.get(f"/api/v1/assessments/{YEAR}", headers=headers)).json()
        assert preview["status"] == "preview" and preview["scheme_version"] == 2
        assert preview["total"] == "0.00"
        assert preview["fund"] == {
            "base": "4000000",
            "reward_pool": "1000000",
            "reward_basis": "progress",
            "share": "0.000000",
            "reward": "0",
            "total": "4000000",
        }
        assert set(preview["dimensions"]) == {
            "self_construction",
            "rd_cooperation",
            "incubation",
            "talent_introduction",
            "activities",
        }
        dim = preview["dimensions"]["talent_introduction"]
        assert dim["weight"] == "25" and dim["score"] == "0.00"
        assert dim["indicators"]["talents_high_level"]["evidence"]["facts_url"] == (
            f"/api/v1/assessments/{YEAR}/facts?indicator=talents_high_level"
        )


async def test_auth_401_and_403(make_settings):
    async with run_service(SPEC, await make_settings("assessment")) as svc:
        calls = [
            ("put", f"/api/v1/schemes/{YEAR}", example_scheme()),
            ("get", f"/api/v1/assessments/{YEAR}", None),
            ("post", f"/api/v1/assessments/{YEAR}/publication", None),
            (
                "put",
                f"/api/v1/assessments/{YEAR}/manual/premises",
                {"value": 1, "evidence": "lease"},
            ),
        ]
        for method, url, body in calls:
            kwargs = {"json": body} if body is not None else {}
            anonymous = await svc.client.request(method, url, **kwargs)
            assert anonymous.status_code == 401, (url, anonymous.text)
            for role in ("enclave_operator", "zone_officer", "hotline_agent", "enterprise"):
                denied = await svc.client.request(method, url, headers=svc.auth(role), **kwargs)
                assert denied.status_code == 403, (url, role, denied.text)
        bad = await svc.client.get(
            f"/api/v1/assessments/{YEAR}", headers={"Authorization": "Bearer not-a-token"}
        )
        assert bad.status_code == 401


async def test_bad_input_is_a_4xx_naming_the_problem(make_settings):
    async with run_service(SPEC, await make_settings("assessment")) as svc:
        headers = svc.auth("assessor")

        async def put(body: dict) -> tuple[int, str]:  # type: ignore[type-arg]
            resp = await svc.client.put(f"/api/v1/schemes/{YEAR}", json=body, headers=headers)
            return resp.status_code, resp.text

        weights = example_scheme()
        weights["dimensions"]["incubation"]["weight"] = 30
        status, text = await put(weights)
        assert status == 422 and "dimension weights add up to 105, not 100" in text
        negative = example_scheme()
        negative["dimensions"]["talent_introduction"]["indicators"][0]["target"] = -49
        status, text = await put(negative)
        assert status == 422 and "talents_high_level" in text and "must be positive" in text
        assert "dimensions.talent_introduction.indicators[0].target" in text
        unknown = example_scheme()
        unknown["dimensions"]["activities"]["indicators"][0]["key"] = "parties_thrown"
        status, text = await put(unknown)
        assert status == 422 and "unknown indicator 'parties_thrown'" in text
        unknown_dim = example_scheme()
        unknown_dim["dimensions"]["marketing"] = {"weight": 0, "indicators": []}
        status, text = await put(unknown_dim)
        assert status == 422 and "marketing" in text
        not_a_number = example_scheme()
        not_a_number["fund"]["base"] = "lots"
        status, text = await put(not_a_number)
        assert status == 422 and "base" in text
        extra = example_scheme()
        extra["dimensions"]["incubation"]["indicators"][0]["bogus"] = 1
        status, text = await put(extra)
        assert status == 422 and "bogus" in text
        status, _ = await put(example_scheme() | {"dimensions": "none"})
        assert status == 422
        huge = await svc.client.get(f"/api/v1/schemes/{YEAR}?version={10**20}", headers=headers)
        assert huge.status_code == 422 and "version" in huge.text
        # nothing of the above was stored
        missing = await svc.client.get(f"/api/v1/assessments/{YEAR}", headers=headers)
        assert missing.status_code == 404 and f"no scheme for {YEAR}" in missing.text
        publish = await svc.client.post(f"/api/v1/assessments/{YEAR}/publication", headers=headers)
        assert publish.status_code == 404 and f"no scheme for {YEAR}" in publish.text
        scheme = await svc.client.get(f"/api/v1/schemes/{YEAR}", headers=headers)
        assert scheme.status_code == 404
        year = await svc.client.get("/api/v1/assessments/1850", headers=headers)
        assert year.status_code == 422
        manual = await svc.client.put(
            f"/api/v1/assessments/{YEAR}/manual/talents_high_level",
            json={"value": 3, "evidence": "x"},
            headers=headers,
        )
        assert manual.status_code == 422 and "counted from events" in manual.text
        manual = await svc.client.put(
            f"/api/v1/assessments/{YEAR}/manual/premises",
            json={"value": -1, "evidence": "x"},
            headers=headers,
        )
        assert manual.status_code == 422
        manual = await svc.client.put(
            f"/api/v1/assessments/{YEAR}/manual/premises", json={"value": 1}, headers=headers
        )
        assert manual.status_code == 422 and "evidence" in manual.text
        facts = await svc.client.get(
            f"/api/v1/assessments/{YEAR}/facts?indicator=premises", headers=headers
        )
        assert facts.status_code == 422


async def test_publication_freezes_and_sends_a_valid_event(make_settings):
    settings = await make_settings("assessment")
    async with run_service(SPEC, settings) as svc:
        svc.runtime.clock = lambda: CLOCK
        headers = svc.auth("assessor", sub="auditor-1")
        assert (
            await svc.client.put(f"/api/v1/schemes/{YEAR}", json=example_scheme(), headers=headers)
        ).status_code == 200
        entry = await svc.client.put(
            f"/api/v1/assessments/{YEAR}/manual/premises",
            json={"value": 1, "evidence": "lease signed 2020-11-02"},
            headers=headers,
        )
        assert entry.status_code == 200, entry.text
        published = await svc.client.post(
            f"/api/v1/assessments/{YEAR}/publication", headers=headers
        )
        assert published.status_code == 200, published.text
        result = published.json()["assessment"]
        assert result["status"] == "published" and result["published_on"] == "2022-01-20"
        assert result["dimensions"]["self_construction"]["score"] == "3.00"
        premises = result["dimensions"]["self_construction"]["indicators"]["premises"]
        assert premises["evidence"]["note"] == "lease signed 2020-11-02"
        assert premises["evidence"]["entered_by"] == "auditor-1"
        # frozen: the scheme, the manual entries and a second publication are refused
        again = await svc.client.post(f"/api/v1/assessments/{YEAR}/publication", headers=headers)
        assert again.status_code == 409 and "published on 2022-01-20" in again.text
        put = await svc.client.put(
            f"/api/v1/schemes/{YEAR}", json=example_scheme(), headers=headers
        )
        assert put.status_code == 409 and "frozen" in put.text
        manual = await svc.client.put(
            f"/api/v1/assessments/{YEAR}/manual/team",
            json={"value": 5, "evidence": "roster"},
            headers=headers,
        )
        assert manual.status_code == 409
        assert (await svc.client.get(f"/api/v1/schemes/{YEAR}", headers=headers)).json()["frozen"]
        # the next year is not frozen
        other = await svc.client.put(
            f"/api/v1/schemes/{YEAR + 1}", json=example_scheme(), headers=headers
        )
        assert other.status_code == 200
        # reading the year gives the frozen result
        read = (await svc.client.get(f"/api/v1/assessments/{YEAR}", headers=headers)).json()
        assert read == result

        # on the topic: scheme 2021, the manual entry, the publication, scheme 2022
        records = await read_topic(settings.kafka_bootstrap_servers, settings.topic, 4)
        envelopes = [CloudEvent.model_validate(raw) for raw in events_of(records)]
        assert sorted(e.type for e in envelopes) == sorted(
            [
                "enclave.assessment.scheme_versioned.v1",
                "enclave.assessment.manual_entered.v1",
                "enclave.assessment.published.v1",
                "enclave.assessment.scheme_versioned.v1",
            ]
        )
        for other in envelopes:  # every event validates against the catalog
            BY_TYPE[other.type].model_validate(other.data)
        (index,) = [i for i, e in enumerate(envelopes) if e.id == published.json()["event_id"]]
        envelope = envelopes[index]
        assert records[index].key == str(YEAR).encode()
        payload = BY_TYPE[envelope.type].model_validate(envelope.data)
        assert isinstance(payload, AssessmentPublished)
        assert payload.year == YEAR and str(payload.total) == result["total"]
        assert {k: str(v) for k, v in payload.dimensions.items()} == {
            k: d["score"] for k, d in result["dimensions"].items()
        }
        assert payload.weights is not None and payload.weights["incubation"] == 25
        # premises: 3 points of progress -> 0.03 * 2,000,000 = 60,000 reward
        assert str(payload.fund_total) == result["fund"]["total"] == "4060000"
        assert payload.scheme_version == 1
        assert json.loads(records[index].value)["source"] == "/enclave/assessment"

        # inputs for the frozen year from a foreign writer on the topic are ignored
        foreign = [
            SchemeVersioned(year=YEAR, version=2, scheme=example_scheme(), created_at=CLOCK),
            ManualIndicatorEntered(
                year=YEAR, indicator="team", value=5, evidence="x", entered_at=CLOCK
            ),
        ]
        await send(settings, [message(p) for p in foreign])

        async def all_own_applied() -> bool:
            return await inbox_count(svc, own=True) >= 5  # 3 of its own + 2 foreign

        await eventually(all_own_applied)
        scheme = (await svc.client.get(f"/api/v1/schemes/{YEAR}", headers=headers)).json()
        assert scheme["version"] == 1
        assert (await svc.client.get(f"/api/v1/assessments/{YEAR}", headers=headers)).json() == (
            result
        )
        manual = await svc.client.get(f"/api/v1/assessments/{YEAR}/manual", headers=headers)
        assert [m["indicator"] for m in manual.json()] == ["premises"]


async def test_a_scheme_version_cannot_slip_in_after_publication_read_the_year(make_settings):
    async with run_service(SPEC, await make_settings("assessment")) as svc:
        headers = svc.auth("assessor")
        url = f"/api/v1/schemes/{YEAR}"
        first = await svc.client.put(url, json=example_scheme(), headers=headers)
        assert first.status_code == 200
        async with svc.runtime.sessions() as writing:
            scheme = Scheme.model_validate(example_scheme())
            await handlers.put_scheme(writing, year=YEAR, scheme=scheme, by="late", now=CLOCK)
            # it waits for the year's open writer
            publication = await started_and_held(
                svc.client.post(f"/api/v1/assessments/{YEAR}/publication", headers=headers)
            )
            await writing.commit()
        published = await publication
        assert published.status_code == 200, published.text
        assert published.json()["assessment"]["scheme_version"] == 2
        after = await svc.client.put(url, json=example_scheme(), headers=headers)
        assert after.status_code == 409
