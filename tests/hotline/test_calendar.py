"""The working-day calendar's reach, seen by operators: `GET /api/v1/calendar`, the
`hotline_calendar_covered_until_days` gauge and a warning once a day while fewer than
HOTLINE_CALENDAR_WARN_DAYS days are left; a calendar file extends the reach. The tests of
the reach run on the package's years alone (or a file of their own), started on a day the
package knows; the suite's other hotlines run on its test calendar, even in 2027."""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from prometheus_client.parser import text_string_to_metric_families

from services.hotline import jobs
from services.hotline.domain.worktime import FILE, PACKAGE
from tests.conftest import TEST_CALENDAR
from tests.hotline.support import agent, hotline, hotline_events, open_ticket
from tests.support import RunningService
from tests.unit.hotline.support import package_last_year

SH = ZoneInfo("Asia/Shanghai")
LAST = package_last_year()
PACKAGE_ONLY = {"calendar_file": None, "started_on": date(LAST, 9, 1)}
"""The package's years alone, the hotline started on a day they cover."""

TICKET = {"category": "tax", "description": "invoice quota too low"}  # 5 working days


def _morning(day: date) -> datetime:
    """09:00 of `day` in Shanghai, so the business date is `day` whatever UTC says."""
    return datetime.combine(day, time(9), SH)


async def _gauge(svc: RunningService) -> float:
    text = (await svc.client.get("/metrics")).text
    for family in text_string_to_metric_families(text):
        if family.name == "hotline_calendar_covered_until_days":
            return next(s.value for s in family.samples if s.labels["service"] == "hotline")
    raise AssertionError("no calendar gauge")


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == jobs.__name__]


async def test_a_covered_calendar_neither_warns_nor_shows_running_out(make_settings, caplog):
    async with hotline(make_settings, **PACKAGE_ONLY) as (svc, settings, clock):
        until = settings.calendar_coverage().until
        clock.now = _morning(until - timedelta(days=100))
        body = (await svc.client.get("/api/v1/calendar", headers=agent(svc))).json()
        assert body == {
            "covered_until": until.isoformat(),
            "source": PACKAGE,
            "days_left": 100,
            "warn_days": 45,
            "running_out": False,
        }
        with caplog.at_level(logging.WARNING, logger=jobs.__name__):
            await jobs.watch_calendar(svc.runtime)
        assert await _gauge(svc) == 100
        assert _warnings(caplog) == []


async def test_near_the_end_the_gauge_falls_and_a_warning_comes_once_a_day(make_settings, caplog):
    running = hotline(make_settings, calendar_warn_days=60, **PACKAGE_ONLY)
    async with running as (svc, settings, clock):
        until = settings.calendar_coverage().until
        clock.now = _morning(until - timedelta(days=30))
        body = (await svc.client.get("/api/v1/calendar", headers=agent(svc))).json()
        assert body["days_left"] == 30 and body["warn_days"] == 60 and body["running_out"]
        ticket = await svc.client.post("/api/v1/tickets", json=TICKET, headers=agent(svc))
        assert ticket.status_code == 201, ticket.text
        with caplog.at_level(logging.WARNING, logger=jobs.__name__):
            await jobs.watch_calendar(svc.runtime)
            await jobs.watch_calendar(svc.runtime)  # the same day: no second warning
            assert await _gauge(svc) == 30
            assert len(_warnings(caplog)) == 1
            assert f"ends on {until}" in _warnings(caplog)[0]
            assert f"give {until.year + 1}'s holidays" in _warnings(caplog)[0]
            clock.now += timedelta(days=1)
            await jobs.watch_calendar(svc.runtime)
            assert await _gauge(svc) == 29 and len(_warnings(caplog)) == 2
            clock.now = _morning(until + timedelta(days=1))
            await jobs.watch_calendar(svc.runtime)
        assert await _gauge(svc) == -1
        assert [r.levelname for r in caplog.records if r.name == jobs.__name__][-1] == "ERROR"
        assert f"ran out on {until}" in _warnings(caplog)[-1]
        assert (await svc.client.get("/api/v1/calendar", headers=agent(svc))).json()[
            "days_left"
        ] == -1
        listed = await svc.client.get("/api/v1/tickets", headers=agent(svc))
        assert listed.status_code == 200, listed.text  # the tickets still read, once past
        [row] = listed.json()
        assert row["due_at"] == ticket.json()["due_at"] and row["working_hours_left"] is None
        clock.now = _morning(until - timedelta(days=1))
        resp = await svc.client.post("/api/v1/tickets", json=TICKET, headers=agent(svc))
        assert resp.status_code == 422  # 5 working days from then reach the unknown year


async def test_a_calendar_file_extends_the_reach(make_settings, tmp_path, caplog):
    path = tmp_path / "calendar.json"
    last = LAST
    # only New Year's Day, which the law fixes: no year's notice is made up here
    path.write_text(json.dumps({str(last + 1): {"holidays": [f"{last + 1}-01-01"]}}))
    started = date(last, 12, 1)
    async with hotline(make_settings, calendar_file=path, started_on=started) as (svc, _, clock):
        clock.now = _morning(date(last, 12, 1))
        body = (await svc.client.get("/api/v1/calendar", headers=agent(svc))).json()
        assert body["covered_until"] == f"{last + 1}-12-31" and body["source"] == FILE
        left = (date(last + 1, 12, 31) - date(last, 12, 1)).days
        assert body["days_left"] == left and not body["running_out"]
        with caplog.at_level(logging.WARNING, logger=jobs.__name__):
            await jobs.watch_calendar(svc.runtime)
        assert await _gauge(svc) == left and _warnings(caplog) == []
        clock.now = _morning(date(last, 12, 30))
        resp = await svc.client.post("/api/v1/tickets", json=TICKET, headers=agent(svc))
        assert resp.status_code == 201, resp.text  # its limit runs into the new year
        assert resp.json()["resolve_due_at"].startswith(f"{last + 1}-01-")


async def test_on_a_day_in_2027_the_suites_hotline_starts_and_counts_its_limits(make_settings):
    # The start-up check reads the process's clock set to Monday 4 January 2027, past the
    # package's last year; the test calendar gives 2027 as plain weekdays. utilities: accept
    # within 2 working hours, resolve within 2 working days. By hand (China time): accept due
    # 11:00 on the 4th, its reminder at 10:36; resolve due 17:30 on Wednesday the 6th.
    monday = date(2027, 1, 4)
    async with hotline(make_settings, started_on=monday) as (svc, settings, clock):
        assert settings.calendar_file == TEST_CALENDAR
        body = (await svc.client.get("/api/v1/calendar", headers=agent(svc))).json()
        assert body["covered_until"] == "2030-12-31" and body["source"] == FILE
        assert body["days_left"] == (date(2030, 12, 31) - monday).days
        ticket = await open_ticket(svc, agent(svc), category="utilities")
        assert ticket["opened_at"] == "2027-01-04T01:00:00Z"
        assert ticket["accept_due_at"] == "2027-01-04T03:00:00Z"
        assert ticket["resolve_due_at"] == "2027-01-06T09:30:00Z"

        async def swept_at(hour: int, minute: int, second: int = 0) -> list[tuple[str, int]]:
            clock.now = datetime.combine(monday, time(hour, minute, second), SH)
            result = await jobs.sweep_once(svc.runtime)
            return [(b.value, level) for _t, b, level in result.escalated]

        assert await swept_at(10, 35) == []
        assert await swept_at(10, 36) == [("accept", 0)]
        assert await swept_at(11, 0, 1) == [("accept", 1)]
        url = f"/api/v1/tickets/{ticket['id']}"
        routed = await svc.client.post(
            f"{url}/routing", headers=agent(svc), json={"department": "power"}
        )
        assert routed.status_code == 200, routed.text
        done = await svc.client.post(
            f"{url}/resolution", headers=agent(svc), json={"summary": "on"}
        )
        assert done.status_code == 200 and done.json()["within_sla"] is True
        events = await hotline_events(svc, 2)
        assert events[0]["type"] == "enclave.ticket.opened.v1"
        opened_at = datetime.fromisoformat(events[0]["data"]["opened_at"])
        assert opened_at == datetime.combine(monday, time(9), SH)
