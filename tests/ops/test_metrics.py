"""The exact series the alert rules watch: readiness per check as /readyz reports it, and
the hotline's SLA breaches as its sweep records them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from enclave_shared.launcher import load_spec
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from services.hotline.handlers.supervision import supervise
from services.hotline.models import Base
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


async def test_sla_breaches_count_each_limit_passed_not_the_reminders(tmp_path: Path):
    # utilities: accept within 2 working hours (tests/unit/hotline/test_supervision.py works
    # the dates out): reminded 8 Oct 08:36, supervised (督办) after 09:00, level 2 after
    # 9 Oct 09:00
    before = breaches("accept")
    async with unit_sessions(tmp_path, Base.metadata) as sessions, sessions() as session:
        await opened(session, category="utilities", now=datetime(2021, 9, 30, 16, tzinfo=SH))
        await session.commit()
        for at, expected in [
            (datetime(2021, 10, 8, 8, 36, tzinfo=SH), 0),  # 催办: no breach yet
            (datetime(2021, 10, 8, 9, 0, 1, tzinfo=SH), 1),  # 督办
            (datetime(2021, 10, 8, 10, 0, tzinfo=SH), 1),  # each once
            (datetime(2021, 10, 9, 9, 0, 1, tzinfo=SH), 2),  # 提级督办
        ]:
            await supervise(session, settings=settings(), now=at)
            await session.commit()
            assert breaches("accept") - before == expected, at
