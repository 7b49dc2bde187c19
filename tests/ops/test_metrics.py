"""The exact series the alert rules watch: readiness per check as /readyz reports it, and
the hotline's SLA breaches as its sweep records them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from enclave_shared.launcher import load_spec
from enclave_shared.outbox import OutboxSession
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import async_sessionmaker

from services.hotline.jobs import sweep_once
from services.hotline.models import Base
from tests.hotline.support import agent, hotline, open_ticket
from tests.support import RunningService, eventually, run_service
from tests.unit.hotline.support import opened, settings
from tests.unit.support import unit_sessions

SH = ZoneInfo("Asia/Shanghai")


async def ready_series(svc: RunningService, service: str) -> dict[str, float]:
    resp = await svc.client.get("/metrics")
    assert resp.status_code == 200
    return {
        s.labels["check"]: s.value
        for family in text_string_to_metric_families(resp.text)
        for s in family.samples
        if s.name == "enclave_ready" and s.labels["service"] == service
    }


async def test_enclave_ready_is_each_readyz_check_at_scrape_time(make_settings):
    spec = load_spec("hotline")
    settings_ = await make_settings("hotline", settings_class=spec.settings_class)
    async with run_service(spec, settings_) as svc:

        async def ready() -> dict[str, object] | None:
            body: dict[str, object] = (await svc.client.get("/readyz")).json()
            return body if body["ready"] else None

        readyz = await eventually(ready)
        assert set(readyz["checks"]) == {"database", "broker", "outbox", "consumer"}
        assert await ready_series(svc, "hotline") == dict.fromkeys(readyz["checks"], 1.0)
        # the consumer loop stopped: /readyz says so, and so does the next scrape
        assert svc.runtime.consumer is not None
        await svc.runtime.consumer.stop()
        assert (await svc.client.get("/readyz")).json()["checks"]["consumer"] != "ok"
        series = await ready_series(svc, "hotline")
        assert series == {"database": 1.0, "broker": 1.0, "outbox": 1.0, "consumer": 0.0}


def breaches(breach: str) -> float:
    value = REGISTRY.get_sample_value(
        "enclave_sla_breaches_total", {"service": "hotline", "breach": breach}
    )
    return value or 0.0


class Sweeps:
    """What the hotline's periodic job needs of its runtime: unit sessions, the settings and
    a clock; `fail_commit` makes the next sweep's commit fail (rolled back)."""

    def __init__(self, sessions: async_sessionmaker[OutboxSession]) -> None:
        self.settings = settings()
        self.now = datetime(2021, 9, 30, 16, tzinfo=SH)
        self.fail_commit = False
        self._sessions = sessions

    def clock(self) -> datetime:
        return self.now

    def sessions(self) -> OutboxSession:
        session = self._sessions()
        if self.fail_commit:
            self.fail_commit = False

            async def commit() -> None:
                raise OperationalError("COMMIT", None, Exception("database is locked"))

            session.commit = commit  # type: ignore[method-assign]
        return session


async def test_sla_breaches_count_each_limit_passed_once_committed(tmp_path: Path):
    # utilities: accept within 2 working hours (tests/unit/hotline/test_supervision.py works
    # the dates out): reminded 8 Oct 08:36, supervised (督办) after 09:00, level 2 after
    # 9 Oct 09:00
    before = breaches("accept")
    async with unit_sessions(tmp_path, Base.metadata) as sessions:
        runtime = Sweeps(sessions)
        async with sessions() as session:
            await opened(session, category="utilities", now=runtime.now)
            await session.commit()
        for at, fails, expected in [
            (datetime(2021, 10, 8, 8, 36, tzinfo=SH), False, 0),  # 催办: no breach yet
            (datetime(2021, 10, 8, 9, 0, 1, tzinfo=SH), True, 0),  # 督办 rolled back
            (datetime(2021, 10, 8, 9, 0, 1, tzinfo=SH), False, 1),  # 督办
            (datetime(2021, 10, 8, 10, 0, tzinfo=SH), False, 1),  # each once
            (datetime(2021, 10, 9, 9, 0, 1, tzinfo=SH), False, 2),  # 提级督办
        ]:
            runtime.now, runtime.fail_commit = at, fails
            if fails:
                with pytest.raises(OperationalError):
                    await sweep_once(runtime)  # type: ignore[arg-type]
            else:
                await sweep_once(runtime)  # type: ignore[arg-type]
            assert breaches("accept") - before == expected, at


async def test_the_sweep_run_by_hand_counts_its_breaches(make_settings):
    async with hotline(make_settings) as (svc, _settings, clock):
        clock.now = datetime(2021, 9, 30, 16, tzinfo=SH)
        await open_ticket(svc, agent(svc), category="utilities")
        before = breaches("accept")
        clock.now = datetime(2021, 10, 9, 9, 0, 1, tzinfo=SH)  # 督办 and 提级督办 at once
        swept = await svc.client.post("/api/v1/supervision/sweep", headers=svc.auth("admin"))
        assert swept.status_code == 200, swept.text
        assert [e["level"] for e in swept.json()["escalated"]] == [0, 1, 2]
        assert breaches("accept") - before == 2
