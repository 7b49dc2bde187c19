"""Money as exact decimals (万元, to the yuan): entered as numbers or strings, stored as
NUMERIC, summed exactly for the district, sent as JSON numbers with the decimal's own
digits; more than four decimals refused naming the field; the migration from the old float
columns keeps every value or refuses."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from enclave_shared.catalog.intake import (
    CaseCorrected,
    CaseReturnCorrected,
    CaseReturnRecorded,
    PolicyApplicationFiled,
)
from enclave_shared.migrations import alembic_config
from sqlalchemy import Connection, select, text
from sqlalchemy.ext.asyncio import create_async_engine

from services.intake import models
from services.intake.models import Base, CaseReturn, IntakeCase, PolicyApplication, SupportPolicy
from tests.intake.helpers import OFFICER, emitted, open_case
from tests.support import of_type

RETURNS = "/api/v1/five-returns"
VERSIONS = Path(models.__file__).parent / "migrations"
FLOAT_REVISION = "8fce13734eab"  # the last revision with the amounts as floats


async def test_amounts_are_summed_exactly_and_kept_to_the_yuan(intake):
    h = intake.auth(OFFICER)
    acme = await open_case(intake, "p-m1", "menu", enterprise="Acme")
    beta = await open_case(intake, "p-m2", "menu", enterprise="Beta")
    ids = []
    for case, amount in ((acme, 0.1), (beta, 0.2), (beta, "0.0005")):
        body = {"kind": "capital", "amount": amount, "happened_on": "2021-05-01"}
        made = await intake.client.post(f"/api/v1/cases/{case['id']}/returns", json=body, headers=h)
        assert made.status_code == 201, made.text
        ids.append(made.json()["id"])
    summary = await intake.client.get(f"{RETURNS}/summary", headers=h)
    # 0.1 + 0.2 + 0.0005 as decimals: a float sum gives 0.30050000000000004
    assert '"capital":0.3005,' in summary.text.replace(" ", ""), summary.text
    assert Decimal(str(summary.json()["capital"])) == Decimal("0.3005")
    listed = await intake.client.get(RETURNS, params={"case_id": beta["id"]}, headers=h)
    assert [r["amount"] for r in listed.json()] == [0.2, 0.0005]
    too_fine = await intake.client.post(
        f"/api/v1/cases/{acme['id']}/returns",
        json={"kind": "capital", "amount": "0.00001", "happened_on": "2021-05-01"},
        headers=h,
    )
    assert too_fine.status_code == 422 and too_fine.json()["field"] == "amount", too_fine.text
    fixed = await intake.client.patch(
        f"{RETURNS}/{ids[0]}", json={"amount": "0.25", "reason": "补录"}, headers=h
    )
    assert fixed.status_code == 200 and fixed.json()["amount"] == 0.25
    total = (await intake.client.get(f"{RETURNS}/summary", headers=h)).json()["capital"]
    assert Decimal(str(total)) == Decimal("0.4505")
    events = await emitted(intake, 2 * 2 + 3 + 1)  # 2 cases opened with their accounts
    recorded = of_type(events, CaseReturnRecorded)
    assert sorted(r["amount"] for r in recorded) == [0.0005, 0.1, 0.2]
    # a correction's before and after carry the amounts as numbers too
    assert of_type(events, CaseReturnCorrected)[0]["before"] == {"amount": 0.1}
    assert of_type(events, CaseReturnCorrected)[0]["after"] == {"amount": 0.25}


async def test_an_application_keeps_its_amounts_digit_for_digit(intake):
    h = intake.auth(OFFICER)
    case = await open_case(intake, "p-m3", "menu", enterprise="Acme")
    signed = await intake.client.post(
        f"/api/v1/cases/{case['id']}/signing", json={"signed_on": "2021-04-01"}, headers=h
    )
    assert signed.status_code == 200, signed.text
    policy = await intake.client.post(
        "/api/v1/support-policies",
        json={
            "kind": "equipment",
            "title": "设备购置专项补助",
            "gives": "按设备投资额补助",
            "max_amount": "999999999.9999",
            "published_on": "2021-01-05",
        },
        headers=h,
    )
    assert policy.status_code == 201, policy.text
    filed = await intake.client.post(
        "/api/v1/policy-applications",
        json={
            "case_id": case["id"],
            "policy_id": policy.json()["id"],
            "amount_asked": "123456789.0123",
            "filed_on": "2021-04-02",
        },
        headers=h,
    )
    assert filed.status_code == 201, filed.text
    assert '"amount_asked":123456789.0123,' in filed.text.replace(" ", "")
    header = await intake.client.patch(
        f"/api/v1/cases/{case['id']}",
        json={"investment": "0.1", "expected_output": 0.3, "reason": "台账表头"},
        headers=h,
    )
    assert header.status_code == 200, header.text
    assert (header.json()["investment"], header.json()["expected_output"]) == (0.1, 0.3)
    # opened (with its account), settled, the policy, the application, the header corrected
    events = await emitted(intake, 6)
    assert of_type(events, PolicyApplicationFiled)[0]["amount_asked"] == 123456789.0123
    corrected = of_type(events, CaseCorrected)[0]["after"]
    assert corrected == {"investment": 0.1, "expected_output": 0.3}


async def _migrate(url: str, capital: float) -> None:
    # the float revision, rows written as it stored them, then the newest revisions
    engine = create_async_engine(url)
    config = alembic_config(VERSIONS, Base.metadata)

    def run(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.upgrade(config, FLOAT_REVISION)
        _rows(connection, capital)
        command.upgrade(config, "heads")

    try:
        async with engine.begin() as conn:
            await conn.run_sync(run)
    finally:
        await engine.dispose()


async def test_the_migration_turns_the_float_amounts_into_decimals_without_loss(new_database):
    url = await new_database("intake")
    await _migrate(url, capital=1200.1234)
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            case = (
                await conn.execute(select(IntakeCase.investment, IntakeCase.expected_output))
            ).one()
            policy = (await conn.execute(select(SupportPolicy.max_amount))).scalar_one()
            app = (
                await conn.execute(
                    select(PolicyApplication.amount_asked, PolicyApplication.amount_granted)
                )
            ).one()
            capital = (await conn.execute(select(CaseReturn.amount))).scalar_one()
    finally:
        await engine.dispose()
    assert tuple(case) == (Decimal("0.1"), Decimal("999999999.9999"))
    assert policy == Decimal("0.3") and tuple(app) == (Decimal("0.2"), Decimal("0.15"))
    assert capital == Decimal("1200.1234")


async def test_the_migration_refuses_an_amount_it_would_round(new_database):
    url = await new_database("intake")
    with pytest.raises(RuntimeError, match=r"intake_case_returns\.amount of ret-1 is 0\.12345"):
        await _migrate(url, capital=0.12345)


def _rows(connection: Connection, capital: float = 1200.1234) -> None:
    connection.execute(
        text(
            "INSERT INTO intake_cases (id, project_id, title, path, industry_chain, opened_on,"
            " status, source_event_id, created_at, investment, expected_output)"
            " VALUES ('case-1', 'p-1', 't', 'menu', 'chain', '2021-01-01', 'active', 'e-1',"
            " '2021-01-01 00:00:00', 0.1, 999999999.9999)"
        )
    )
    connection.execute(
        text(
            "INSERT INTO intake_support_policies (id, kind, title, gives, max_amount,"
            " published_on, created_at) VALUES ('pol-1', 'equipment', 't', 'g', 0.3,"
            " '2021-01-01', '2021-01-01 00:00:00')"
        )
    )
    connection.execute(
        text(
            "INSERT INTO intake_policy_applications (id, case_id, policy_id, enterprise,"
            " amount_asked, filed_on, decision, amount_granted, created_at) VALUES ('app-1',"
            " 'case-1', 'pol-1', 'Acme', 0.2, '2021-02-01', 'granted', 0.15,"
            " '2021-01-01 00:00:00')"
        )
    )
    connection.execute(
        text(
            "INSERT INTO intake_case_returns (id, case_id, kind, amount, description,"
            " happened_on, created_at) VALUES ('ret-1', 'case-1', 'capital', :capital, '',"
            " '2021-03-01', '2021-01-01 00:00:00')"
        ),
        {"capital": capital},
    )
