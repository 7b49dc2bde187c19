"""Who sees what between intake and the hotline, through both services on one broker: the
account intake gives a case reaches the hotline (CaseAccountAssigned), so that enterprise
reads every ticket about its case or project, whoever opened it, and another enterprise
cannot attach a ticket to them (403 naming the field); a new account takes over."""

from __future__ import annotations

from typing import Any

from enclave_shared.launcher import load_spec

from tests.hotline.support import agent, enterprise
from tests.intake.helpers import OFFICER, open_case
from tests.support import RunningService, eventually, run_service


async def seen_by(hotline: RunningService, account: str) -> list[str]:
    listed = await hotline.client.get("/api/v1/tickets", headers=enterprise(hotline, account))
    assert listed.status_code == 200, listed.text
    assert listed.headers["X-Total-Count"] == str(len(listed.json()))
    return [t["id"] for t in listed.json()]


async def give(intake: RunningService, case_id: str, account: str) -> None:
    """A zone officer gives the case to an enterprise account in intake."""
    given = await intake.client.put(
        f"/api/v1/cases/{case_id}/account",
        json={"enterprise_account": account},
        headers=intake.auth(OFFICER),
    )
    assert given.status_code == 200, given.text


async def once_seen_by(hotline: RunningService, account: str) -> list[str]:
    """The tickets the account reads, once it reads any (intake's event has arrived)."""

    async def some() -> list[str] | None:
        return await seen_by(hotline, account) or None

    seen: list[str] = await eventually(some)
    return seen


async def test_the_account_intake_gives_a_case_decides_who_sees_its_tickets(make_settings):
    intake_spec, hotline_spec = load_spec("intake"), load_spec("hotline")
    intake_settings = await make_settings("intake", settings_class=intake_spec.settings_class)
    hotline_settings = await make_settings("hotline", settings_class=hotline_spec.settings_class)
    async with (
        run_service(intake_spec, intake_settings) as intake,
        run_service(hotline_spec, hotline_settings) as hotline,
    ):
        case = await open_case(intake, "p-own", "menu")  # no enterprise named: nobody's yet
        about_case = {"case_id": case["id"], "project_id": "p-own"}
        call = {"category": "utilities", "description": "厂房用电尚未接通"}
        by_agent = await hotline.client.post(
            "/api/v1/tickets", json={**call, **about_case}, headers=agent(hotline)
        )
        assert by_agent.status_code == 201, by_agent.text
        ticket_id = by_agent.json()["id"]
        assert await seen_by(hotline, "ent-own") == []  # not yet its case

        await give(intake, case["id"], "ent-own")
        assert await once_seen_by(hotline, "ent-own") == [ticket_id]
        read = await hotline.client.get(
            f"/api/v1/tickets/{ticket_id}", headers=enterprise(hotline, "ent-own")
        )
        assert read.status_code == 200 and read.json()["reporter_sub"] == "agent-li"
        hidden = await hotline.client.get(
            f"/api/v1/tickets/{ticket_id}", headers=enterprise(hotline, "ent-other")
        )
        assert hidden.status_code == 404

        async def refused(account: str, body: dict[str, Any]) -> dict[str, Any]:
            answer = await hotline.client.post(
                "/api/v1/tickets", json={**call, **body}, headers=enterprise(hotline, account)
            )
            assert answer.status_code == 403, answer.text
            problem: dict[str, Any] = answer.json()
            return problem

        for field in ("case_id", "project_id"):
            problem = await refused("ent-other", {field: about_case[field]})
            assert problem["field"] == field
            assert "belongs to another enterprise" in problem["detail"]
        unknown = await refused("ent-own", {"case_id": "case-nobody-sent"})
        assert unknown["field"] == "case_id" and "not known" in unknown["detail"]
        own = await hotline.client.post(
            "/api/v1/tickets", json={**call, **about_case}, headers=enterprise(hotline, "ent-own")
        )
        assert own.status_code == 201, own.text
        assert await seen_by(hotline, "ent-other") == []

        await give(intake, case["id"], "ent-other")  # the case goes to another account
        # the new owner reads both tickets about its case; the old one only the one it opened
        assert await once_seen_by(hotline, "ent-other") == [ticket_id, own.json()["id"]]
        assert await seen_by(hotline, "ent-own") == [own.json()["id"]]
