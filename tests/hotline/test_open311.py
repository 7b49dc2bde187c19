"""Open311 GeoReport v2 over the hotline's tickets: request and response shapes."""

from __future__ import annotations

from datetime import datetime

from tests.hotline.support import agent, enterprise, hotline, open_ticket

REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


async def test_service_list(make_settings):
    async with hotline(make_settings) as (svc, _settings, _clock):
        r = await svc.client.get("/open311/v2/services.json")
        assert r.status_code == 200
        services = r.json()
        assert [s["service_code"] for s in services][:3] == ["registration", "permits", "tax"]
        for s in services:
            assert set(s) >= {
                "service_code",
                "service_name",
                "description",
                "metadata",
                "type",
                "keywords",
                "group",
            }
            assert s["metadata"] is False and s["type"] == "realtime"
        assert services[2]["service_name"].startswith("Tax")


async def test_create_with_a_form_and_read_back(make_settings):
    async with hotline(make_settings) as (svc, _settings, clock):
        r = await svc.client.post(
            "/open311/v2/requests.json",
            headers=enterprise(svc, "ent-a"),
            data={
                "service_code": "utilities",
                "description": "no water at the new plant",
                "address_string": "Shangrao High-tech Zone, plot 7",
                "lat": "28.44",
                "long": "117.97",
                "attribute[case_id]": "C7",
                "api_key": "ignored",
            },
        )
        assert r.status_code == 201, r.text
        created = r.json()
        assert isinstance(created, list) and len(created) == 1
        assert set(created[0]) == {"service_request_id", "service_notice", "account_id"}
        rid = created[0]["service_request_id"]

        one = await svc.client.get(
            f"/open311/v2/requests/{rid}.json", headers=enterprise(svc, "ent-a")
        )
        assert one.status_code == 200
        [req] = one.json()
        assert set(req) == REQUEST_FIELDS
        assert req["status"] == "open" and req["service_code"] == "utilities"
        assert req["service_name"].startswith("Water, power and gas")
        assert "plot 7" in req["description"]
        assert datetime.fromisoformat(req["requested_datetime"]).utcoffset() is not None
        assert req["requested_datetime"] == "2026-03-02T09:00:00+00:00"
        assert req["expected_datetime"] == "2026-03-04T09:00:00+00:00"

        # the same ticket in the hotline API, and moved on through it
        ticket = (await svc.client.get(f"/api/v1/tickets/{rid}", headers=agent(svc))).json()
        assert ticket["case_id"] == "C7" and ticket["channel"] == "web"
        clock.advance(hours=1)
        await svc.client.post(
            f"/api/v1/tickets/{rid}/routing",
            headers=agent(svc),
            json={"department": "water company"},
        )
        [req] = (
            await svc.client.get(f"/open311/v2/requests/{rid}.json", headers=agent(svc))
        ).json()
        assert req["status"] == "open" and req["agency_responsible"] == "water company"
        assert req["status_notes"] == "routed to water company"
        assert req["updated_datetime"] == "2026-03-02T10:00:00+00:00"
        await svc.client.post(
            f"/api/v1/tickets/{rid}/resolution",
            headers=agent(svc),
            json={"summary": "pipe connected"},
        )
        [req] = (
            await svc.client.get(f"/open311/v2/requests/{rid}.json", headers=agent(svc))
        ).json()
        assert req["status"] == "closed" and req["status_notes"] == "pipe connected"


async def test_create_with_json_and_errors_in_georeport_shape(make_settings):
    async with hotline(make_settings) as (svc, _settings, _clock):
        r = await svc.client.post(
            "/open311/v2/requests.json",
            headers=agent(svc),
            json={"service_code": "tax", "description": "VAT refund"},
        )
        assert r.status_code == 201
        for body, word in (
            ({"description": "x"}, "service_code"),
            ({"service_code": "tax"}, "description"),
            ({"service_code": "tax", "description": "  "}, "description"),
            ({"service_code": "astrology", "description": "x"}, "service_code"),
            ({"service_code": "tax", "description": "x", "lat": "north"}, "lat"),
        ):
            r = await svc.client.post("/open311/v2/requests.json", data=body, headers=agent(svc))
            assert r.status_code == 400, r.text
            [err] = r.json()
            assert err["code"] == 400 and word in err["description"]
        r = await svc.client.post(
            "/open311/v2/requests.json",
            headers=agent(svc),
            content=b"[1]",
        )
        assert r.status_code == 400
        r = await svc.client.post(
            "/open311/v2/requests.json",
            headers={**agent(svc), "content-type": "application/json"},
            content=b"{broken",
        )
        assert r.status_code == 400
        r = await svc.client.post(
            "/open311/v2/requests.json",
            headers={**agent(svc), "content-type": "text/plain"},
            content=b"hi",
        )
        assert r.status_code == 400 and "content type" in r.json()[0]["description"]
        r = await svc.client.get("/open311/v2/requests/missing.json", headers=agent(svc))
        assert r.status_code == 404 and r.json()[0]["code"] == 404
        r = await svc.client.post(
            "/open311/v2/requests.json", data={"service_code": "tax", "description": "x"}
        )
        assert r.status_code == 401
        listed = await svc.client.get("/open311/v2/requests.json", headers=agent(svc))
        assert len(listed.json()) == 1  # nothing half-written by the refused requests


async def test_search_requests(make_settings):
    async with hotline(make_settings) as (svc, _settings, clock):
        a = await open_ticket(svc, enterprise(svc, "ent-a"), category="tax")
        clock.advance(days=2)
        b = await open_ticket(svc, enterprise(svc, "ent-a"), category="land")
        clock.advance(days=2)
        c = await open_ticket(svc, enterprise(svc, "ent-b"), category="land")
        await svc.client.post(
            f"/api/v1/tickets/{a['id']}/rejection", headers=agent(svc), json={"reason": "duplicate"}
        )

        async def ids(headers, **params):
            r = await svc.client.get("/open311/v2/requests.json", params=params, headers=headers)
            assert r.status_code == 200, r.text
            return [x["service_request_id"] for x in r.json()]

        staff = agent(svc)
        assert await ids(staff) == [c["id"], b["id"], a["id"]]  # newest first
        assert await ids(staff, service_code="land") == [c["id"], b["id"]]
        assert await ids(staff, service_code="tax,land", status="closed") == [a["id"]]
        assert await ids(staff, status="open") == [c["id"], b["id"]]
        assert await ids(staff, service_request_id=f"{a['id']},{c['id']}") == [c["id"], a["id"]]
        assert await ids(
            staff, start_date="2026-03-03T00:00:00Z", end_date="2026-03-05T00:00:00+00:00"
        ) == [b["id"]]
        assert await ids(staff, jurisdiction_id="guangfeng") == [c["id"], b["id"], a["id"]]
        # visibility holds in Open311 too
        assert await ids(enterprise(svc, "ent-a")) == [b["id"], a["id"]]
        r = await svc.client.get(
            f"/open311/v2/requests/{c['id']}.json", headers=enterprise(svc, "ent-a")
        )
        assert r.status_code == 404
        [rejected] = (
            await svc.client.get(f"/open311/v2/requests/{a['id']}.json", headers=staff)
        ).json()
        assert rejected["status"] == "closed" and rejected["status_notes"] == "rejected: duplicate"

        for params, word in (
            ({"start_date": "yesterday"}, "start_date"),
            ({"status": "pending"}, "status"),
            ({"start_date": "2026-01-01", "end_date": "2026-06-01"}, "90 days"),
        ):
            r = await svc.client.get("/open311/v2/requests.json", params=params, headers=staff)
            assert r.status_code == 400 and word in r.json()[0]["description"]
        r = await svc.client.get("/open311/v2/requests.json")
        assert r.status_code == 401
