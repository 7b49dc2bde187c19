"""Talents, ambassadors, agreements, activities, training and HQ economy: their rules, their
events (one per record, read from its row) and the figures by business date."""

from __future__ import annotations

from datetime import date

import pytest
from enclave_shared.errors import Conflict, Invalid

from services.incubation.config import DEFAULT_TRAINING_TARGETS
from services.incubation.handlers import records, stats, talents
from services.incubation.schemas import (
    ActivityCreate,
    AgreementCreate,
    AmbassadorCreate,
    HqEnterpriseCreate,
    TalentCreate,
    TrainingCreate,
)
from tests.unit.incubation.factories import CHAINS, TODAY, Sessions, event_types, register
from tests.unit.support import committed_events


async def hq(sessions: Sessions, name: str, **body: object) -> None:
    async with sessions() as session:
        data = HqEnterpriseCreate.model_validate({"name": name, **body})
        await records.register_hq_enterprise(session, data=data, chains=CHAINS, today=TODAY)
        await session.commit()


async def test_an_hq_enterprise_is_registered_once_by_name(sessions):
    await hq(sessions, "Shenzhen HQ Ltd", industry_chain="black_talc")
    with pytest.raises(Conflict) as refused:
        await hq(sessions, "Shenzhen HQ Ltd")
    assert refused.value.field == "name"
    with pytest.raises(Invalid) as unknown:
        await hq(sessions, "Other Ltd", industry_chain="space_mining")
    assert unknown.value.field == "industry_chain"
    [event] = await committed_events(sessions)
    assert event.type == "enclave.hq_enterprise.registered.v1"
    assert {k: v for k, v in event.data.items() if k != "enterprise_id"} == {
        "name": "Shenzhen HQ Ltd",
        "registered_on": "2021-06-30",
        "industry_chain": "black_talc",
    }


async def test_a_batch_of_talents_is_all_or_nothing_and_names_the_bad_entry(sessions):
    async with sessions() as session:
        ambassador = await talents.appoint_ambassador(
            session, data=AmbassadorCreate(name="Li Wei"), today=TODAY
        )
        await session.commit()
    batch = [
        TalentCreate(name="A", level="high_level", field="materials", ambassador_id=ambassador.id),
        TalentCreate(name="B", level="researcher", field="optics", ambassador_id="nobody"),
    ]
    async with sessions() as session:
        with pytest.raises(Invalid) as refused:
            await talents.recruit_talents(session, talents=batch, today=TODAY)
    assert refused.value.field == "talents.1.ambassador_id"
    assert await event_types(sessions) == ["enclave.ambassador.appointed.v1"]

    async with sessions() as session:
        rows = await talents.recruit_talents(session, talents=batch[:1] * 2, today=TODAY)
        await session.commit()
    events = await committed_events(sessions)
    assert [e.type for e in events[1:]] == ["enclave.talent.recruited.v1"] * 2
    assert [e.subject for e in events[1:]] == [r.id for r in rows]
    assert events[1].data == {
        "talent_id": rows[0].id,
        "level": "high_level",
        "field": "materials",
        "ambassador_id": ambassador.id,
        "recruited_on": "2021-06-30",
    }
    async with sessions() as session:
        assert await talents.talents_recruited_by(session, [ambassador.id]) == {ambassador.id: 2}


async def test_an_agreement_names_a_known_project_or_none(sessions):
    async with sessions() as session:
        with pytest.raises(Invalid) as refused:
            await records.sign_agreement(
                session,
                data=AgreementCreate(partner="SZU", kind="university", project_id="nope"),
                today=TODAY,
            )
    assert refused.value.field == "project_id"
    project = await register(sessions)
    async with sessions() as session:
        await records.sign_agreement(
            session,
            data=AgreementCreate(partner="SZU", kind="university", project_id=project.id),
            today=TODAY,
        )
        await session.commit()
    event = (await committed_events(sessions))[-1]
    assert {k: v for k, v in event.data.items() if k != "agreement_id"} == {
        "partner": "SZU",
        "kind": "university",
        "in_gba": True,
        "signed_on": "2021-06-30",
        "project_id": project.id,
        "project_ids": [],
    }


async def test_each_record_counts_on_its_own_business_date(sessions):
    async with sessions() as session:
        await talents.recruit_talents(
            session,
            talents=[
                TalentCreate(name="A", level="high_level", field="x", recruited_on="2021-01-05"),
                TalentCreate(name="B", level="researcher", field="x", recruited_on="2021-08-01"),
            ],
            today=TODAY,
        )
        await records.hold_activity(
            session,
            data=ActivityCreate(kind="roadshow", title="R", attendance=40, held_on="2021-02-01"),
            today=TODAY,
        )
        await records.complete_training(
            session, data=TrainingCreate(track="managers", count=20), today=TODAY
        )
        await session.commit()
    events = await committed_events(sessions)
    assert [e.data.get("held_on") for e in events if e.type == "enclave.activity.held.v1"] == [
        "2021-02-01"
    ]
    async with sessions() as session:
        figures = await stats.figures(
            session,
            date_from=date(2021, 1, 1),
            date_to=date(2021, 6, 30),
            training_targets=DEFAULT_TRAINING_TARGETS,
        )
        assert figures["talents"] == {"high_level": 1, "researcher": 0, "total": 1}
        assert figures["activities"] == {"total": 1, "attendance": 40}
        assert figures["training"]["managers"] == {"completed": 20, "target": 100}
        with pytest.raises(Invalid) as backwards:
            await stats.figures(
                session,
                date_from=date(2021, 7, 1),
                date_to=date(2021, 6, 30),
                training_targets=DEFAULT_TRAINING_TARGETS,
            )
    assert backwards.value.field == "from"
