"""Idempotency-Key: a retried POST returns the first answer and creates nothing twice."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from enclave_shared.db import IdempotentRequest, utcnow
from enclave_shared.pruning import prune
from sqlalchemy import func, select

from tests.platform.sample import producer_spec
from tests.support import read_topic, run_service


def _with_key(headers: dict[str, str], key: str) -> dict[str, str]:
    return {**headers, "Idempotency-Key": key}


async def _notes(svc) -> int:
    return (await svc.client.get("/notes/count")).json()["count"]


async def test_the_same_key_and_body_answer_once_and_create_once(make_settings):
    settings = await make_settings("incubation")
    async with run_service(producer_spec, settings) as svc:
        headers = _with_key(svc.auth("enclave_operator"), "form-1")
        note = {"project_id": "p1", "title": "once"}
        first = await svc.client.post("/notes", json=note, headers=headers)
        again = await svc.client.post("/notes", json=note, headers=headers)
        assert first.status_code == again.status_code == 201
        assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
        assert "idempotent-replayed" not in first.headers
        assert await _notes(svc) == 1
        other = await svc.client.post(
            "/notes", json={**note, "title": "another body"}, headers=headers
        )
        assert other.status_code == 422 and "another request" in other.json()["detail"]
        someone_else = _with_key(svc.auth("enclave_operator", sub="someone-else"), "form-1")
        theirs = await svc.client.post("/notes", json=note, headers=someone_else)
        assert theirs.status_code == 201 and theirs.json() != first.json(), "keys are per caller"
        assert await _notes(svc) == 2
        records = await read_topic(settings.kafka_bootstrap_servers, settings.topic, 3, timeout=3)
        assert len(records) == 2, "one event per created note"


async def test_a_request_that_changed_nothing_keeps_no_key(make_settings):
    settings = await make_settings("incubation")
    async with run_service(producer_spec, settings) as svc:
        headers = _with_key(svc.auth("enclave_operator"), "form-2")
        refused = {"project_id": "p1", "title": "t", "fail_after_write": True}
        for _ in range(2):  # run again, not replayed: the first was rolled back
            resp = await svc.client.post("/notes", json=refused, headers=headers)
            assert resp.status_code == 422 and "idempotent-replayed" not in resp.headers
        assert await _notes(svc) == 0
        ok = await svc.client.post(
            "/notes", json={"project_id": "p1", "title": "t"}, headers=headers
        )
        assert ok.status_code == 201 and await _notes(svc) == 1


async def test_two_requests_racing_with_one_key_create_one(make_settings):
    settings = await make_settings("incubation")
    async with run_service(producer_spec, settings) as svc:
        headers = _with_key(svc.auth("enclave_operator"), "double-click")
        note = {"project_id": "p1", "title": "raced"}
        answers = await asyncio.gather(
            *[svc.client.post("/notes", json=note, headers=headers) for _ in range(4)]
        )
        assert await _notes(svc) == 1
        assert sorted({a.status_code for a in answers}) in ([201], [201, 409])
        created = [a.json() for a in answers if a.status_code == 201]
        assert all(c == created[0] for c in created)


async def test_keys_are_forgotten_after_24_hours(make_settings):
    settings = await make_settings("incubation")
    async with run_service(producer_spec, settings) as svc:
        headers = _with_key(svc.auth("enclave_operator"), "old")
        note = {"project_id": "p1", "title": "t"}
        assert (await svc.client.post("/notes", json=note, headers=headers)).status_code == 201
        await prune(svc.runtime.engine, now=utcnow() + timedelta(hours=25), keep_days=0)
        async with svc.runtime.sessions() as session:
            count = select(func.count()).select_from(IdempotentRequest)
            assert await session.scalar(count) == 0
        assert (await svc.client.post("/notes", json=note, headers=headers)).status_code == 201
        assert await _notes(svc) == 2
