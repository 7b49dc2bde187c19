"""Open311 GeoReport v2 over the hotline's tickets: shapes in JSON and XML, the discovery
document, public reads without personal data, posting with an application key, and an
Open311 client library from PyPI reading both formats."""

from __future__ import annotations

import asyncio
from datetime import datetime
from xml.etree import ElementTree as ET

import httpx
import pytest
from georeport import GeoReport

from tests.hotline.support import agent, enterprise, hotline, open_ticket, owned_by
from tests.support import serve_app

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
        await owned_by(svc, "ent-a", "C7")  # its case, as intake says
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
                "first_name": "Xiaoming",
                "last_name": "Wang",
                "phone": "13812341234",
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
        # utilities: 2 working days after Monday 2 March -> close of Wednesday, 17:30 there
        assert req["expected_datetime"] == "2026-03-04T09:30:00+00:00"
        assert "13812341234" not in one.text and "Wang" not in one.text

        # the same ticket in the hotline API, and moved on through it
        ticket = (await svc.client.get(f"/api/v1/tickets/{rid}", headers=agent(svc))).json()
        assert ticket["case_id"] == "C7" and ticket["channel"] == "web"
        assert ticket["callback_number"] == "13812341234"  # the agent sees it, on the ticket
        assert ticket["caller_name"] == "Xiaoming Wang"
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
        assert r.status_code == 403 and "api_key is required" in r.json()[0]["description"]
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
        # without a token: anyone reads the callers' requests
        assert await ids({}) == [c["id"], b["id"], a["id"]]
        bad = await svc.client.get(
            "/open311/v2/requests.json", headers={"Authorization": "Bearer x"}
        )
        assert bad.status_code == 401


async def test_every_resource_in_xml_and_the_discovery_document(make_settings):
    async with hotline(make_settings) as (svc, _settings, _clock):
        rid = (
            await open_ticket(svc, agent(svc), caller_name="王小明", callback_number="13812341234")
        )["id"]
        r = await svc.client.get("/open311/v2/services.xml")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/xml")
        services = ET.fromstring(r.content)
        assert services.tag == "services"
        first = services.find("service")
        assert first is not None and first.findtext("service_code") == "registration"
        assert first.findtext("metadata") == "false"
        r = await svc.client.get("/open311/v2/requests.xml")
        root = ET.fromstring(r.content)
        assert root.tag == "service_requests"
        [request] = root.findall("request")
        assert {child.tag for child in request} == REQUEST_FIELDS
        assert request.findtext("service_request_id") == rid
        assert "13812341234" not in r.text and "王小明" not in r.text  # no personal data
        one = ET.fromstring((await svc.client.get(f"/open311/v2/requests/{rid}.xml")).content)
        assert one.findtext("request/status") == "open"
        missing = await svc.client.get("/open311/v2/requests/HL-NONE.xml")
        assert missing.status_code == 404
        assert ET.fromstring(missing.content).findtext("error/code") == "404"
        assert (await svc.client.get("/open311/v2/services.csv")).status_code == 404

        for fmt in ("json", "xml"):
            r = await svc.client.get(f"/open311/discovery.{fmt}")
            assert r.status_code == 200, r.text
        document = (await svc.client.get("/open311/discovery.json")).json()
        [endpoint] = document["endpoints"]
        assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert endpoint["url"].endswith("/open311/v2")
        assert set(endpoint["formats"]) == {"text/xml", "application/json"}
        xml = ET.fromstring((await svc.client.get("/open311/discovery.xml")).content)
        assert xml.findtext("endpoints/endpoint/specification") == endpoint["specification"]
        assert [f.text for f in xml.iterfind("endpoints/endpoint/formats/format")] == [
            "application/json",
            "text/xml",
        ]


async def test_posting_with_an_application_key(make_settings):
    async with hotline(make_settings) as (svc, _settings, _clock):
        issued = await svc.client.post(
            "/api/v1/open311/applications",
            headers=agent(svc),
            json={"name": "Guangfeng civic app", "account": "app-guangfeng"},
        )
        assert issued.status_code == 201, issued.text
        key = issued.json()["api_key"]
        listed = await svc.client.get("/api/v1/open311/applications", headers=agent(svc))
        assert "api_key" not in listed.json()[0] and listed.headers["X-Total-Count"] == "1"
        denied = await svc.client.post(
            "/api/v1/open311/applications",
            headers=enterprise(svc),
            json={"name": "mine", "account": "ent-1"},
        )
        assert denied.status_code == 403

        form = {"service_code": "tax", "description": "invoice quota", "api_key": key}
        r = await svc.client.post("/open311/v2/requests.xml", data=form)
        assert r.status_code == 201, r.text
        created = ET.fromstring(r.content)
        rid = created.findtext("request/service_request_id")
        assert created.findtext("request/account_id") == "app-guangfeng"
        ticket = (await svc.client.get(f"/api/v1/tickets/{rid}", headers=agent(svc))).json()
        assert ticket["reporter_sub"] == "app-guangfeng" and ticket["channel"] == "web"

        bad = await svc.client.post("/open311/v2/requests.xml", data={**form, "api_key": "nope"})
        assert bad.status_code == 403
        assert ET.fromstring(bad.content).findtext("error/description") == "api_key is not valid"
        app_id = issued.json()["id"]
        revoked = await svc.client.post(
            f"/api/v1/open311/applications/{app_id}/revocation", headers=agent(svc)
        )
        assert revoked.status_code == 200 and revoked.json()["revoked_at"]
        again = await svc.client.post("/open311/v2/requests.json", data=form)
        assert again.status_code == 403 and again.json()[0]["code"] == 403


@pytest.mark.parametrize("fmt", ["json", "xml"])
async def test_an_open311_client_from_pypi_reads_the_hotline(make_settings, fmt):
    """georeport (a GeoReport v2 client nobody here wrote) over a real socket, in both
    formats; it does not post, so the post is a plain form as the standard describes it,
    with an application key, and the client reads the request back."""
    async with hotline(make_settings) as (svc, _settings, _clock):
        issued = await svc.client.post(
            "/api/v1/open311/applications",
            headers=agent(svc),
            json={"name": "client test", "account": "app-1"},
        )
        key = issued.json()["api_key"]
        async with serve_app(svc.app, lifespan="off") as base:
            root = f"{base}/open311/v2"
            async with httpx.AsyncClient() as plain:
                r = await plain.post(
                    f"{root}/requests.{fmt}",
                    data={"service_code": "land", "description": "boundary survey", "api_key": key,
                          "phone": "13812341234"},
                )  # fmt: skip
                assert r.status_code == 201, r.text
            client = GeoReport(root, output_format=fmt)
            services = await asyncio.to_thread(client.get_service_list)
            codes = [s["service_code"] for s in services]
            assert codes[:3] == ["registration", "permits", "tax"] and "land" in codes
            requests_ = await asyncio.to_thread(client.get_service_requests, service_code="land")
            # xmltodict gives one element as a dict, several as a list
            [request] = requests_ if isinstance(requests_, list) else [requests_]
            assert request["service_code"] == "land" and request["status"] == "open"
            assert request["description"] == "boundary survey"
            one = await asyncio.to_thread(client.get_service_request, request["service_request_id"])
            assert one["service_request_id"] == request["service_request_id"]
            assert "13812341234" not in str(one)
