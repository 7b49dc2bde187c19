"""The working-day calendar's reach, seen by operators: `GET /api/v1/calendar`, the
`hotline_calendar_covered_until_days` gauge and a warning once a day while fewer than
HOTLINE_CALENDAR_WARN_DAYS days are left; a calendar file extends the reach."""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from prometheus_client.parser import text_string_to_metric_families

from services.hotline import jobs
from services.hotline.config import HotlineSettings
from services.hotline.domain.worktime import FILE, PACKAGE
from tests.hotline.support import agent, hotline
from tests.support import RunningService

SH = ZoneInfo("Asia/Shanghai")


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
    async with hotline(make_settings) as (svc, settings, clock):
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
    async with hotline(make_settings, calendar_warn_days=60) as (svc, settings, clock):
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
    last = HotlineSettings(service="hotline").calendar_coverage().until.year
    # only New Year's Day, which the law fixes: no year's notice is made up here
    path.write_text(json.dumps({str(last + 1): {"holidays": [f"{last + 1}-01-01"]}}))
    async with hotline(make_settings, calendar_file=path) as (svc, _settings, clock):
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
