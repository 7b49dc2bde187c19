"""The live assessment on a small set worked out by hand, its publication, and the freeze."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from enclave_shared.catalog.assessment import (
    AssessmentPublished,
    ManualIndicatorEntered,
    SchemeVersioned,
)
from enclave_shared.catalog.hotline import TicketResolved
from enclave_shared.catalog.incubation import (
    AgreementSigned,
    TalentLevel,
    TalentRecruited,
    TrainingCompleted,
    TrainingTrack,
)
from enclave_shared.catalog.intake import EnterpriseSettled, IntakePath
from enclave_shared.errors import Conflict
from enclave_shared.events import Payload, new_event
from enclave_shared.outbox import OutboxSession

from services.assessment import handlers
from services.assessment.models import Base
from services.assessment.schemas import AssessmentPublic
from tests.unit.assessment.builders import DAY, NOW, YEAR, consume, small_scheme
from tests.unit.support import committed_events

D = Decimal
SHANGHAI = "Asia/Shanghai"
NEW_YEAR_7AM = datetime(2021, 12, 31, 23, 0, tzinfo=UTC)  # 07:00 on 1 January in Shangrao


def _facts() -> list[Payload]:
    at = datetime(2021, 6, 1, 12, tzinfo=UTC)
    talents = [
        TalentRecruited(
            talent_id=f"t-{n}", level=TalentLevel.HIGH_LEVEL, field="f", recruited_on=DAY
        )
        for n in (1, 2, 3, 4, 4)  # t-4 twice, under two event ids: 4 talents
    ]
    agreements = [
        AgreementSigned(agreement_id=f"a-{n}", partner="p", kind="k", in_gba=n != 4, signed_on=DAY)
        for n in (1, 2, 3, 4)  # three in the GBA
    ]
    tickets = [
        TicketResolved(
            ticket_id=f"k-{n}", category="c", within_sla=n != 3, resolved_at=at, resolved_on=DAY
        )
        for n in (1, 2, 3)  # two within the SLA
    ]
    return [
        *talents,
        *agreements,
        *tickets,
        EnterpriseSettled(case_id="c-1", project_id="p-1", path=IntakePath.MENU, signed_on=DAY),
        TrainingCompleted(
            record_id="r-1", track=TrainingTrack.MANAGERS, count=10, completed_on=DAY
        ),
        TrainingCompleted(
            record_id="r-2", track=TrainingTrack.MANAGERS, count=20, completed_on=DAY
        ),
        # another year: not counted in 2021
        TalentRecruited(
            talent_id="t-9", level=TalentLevel.HIGH_LEVEL, field="f", recruited_on=date(2022, 1, 1)
        ),
    ]


async def _enter(session: OutboxSession, indicator: str, value: int) -> None:
    await handlers.enter_manual(
        session, year=YEAR, indicator=indicator, value=D(value), evidence="seen", by="a", now=NOW
    )


async def _small_year(sessions) -> None:  # type: ignore[no-untyped-def]
    async with sessions() as session:
        await handlers.put_scheme(session, year=YEAR, scheme=small_scheme(), by="a", now=NOW)
        for payload in _facts():
            await consume(session, payload)
        await _enter(session, "team", 2)
        await _enter(session, "team", 4)  # the newest entry counts
        await _enter(session, "honours", 3)
        await session.commit()


async def test_scores_and_funds_of_a_small_year_worked_out_by_hand(sessions_for):
    """team 4/5 = 0.8 -> 8.00 (of 10); GBA agreements 3/4 = 0.75 -> 15.00 (of 20);
    settled 1/2 = 0.5 -> 5.00 (of 10); SLA tickets 2/3 = 0.6667, step at 1 -> 5.00 (of 20);
    high-level talents 4/3 -> capped 25.00; managers trained 30/40 = 0.75 -> 11.25 (of 15).
    Dimensions 8 + 15 + 10 + 25 + 11.25 = 69.25. Bonus: honours min(2, 3 * 1) = 2.00, extra
    talents 0.5 * (4 - 3) = 0.50; 2.50 capped at 2 -> 2.00. Total 71.25.
    Progress (8 + 15 + 5 + 20 * 0.6667 + 25 + 11.25) / 100 = 0.775840;
    fund 1,000,000 + round(300,000 * 0.775840) = 1,000,000 + 232,752 = 1,232,752."""
    async with sessions_for(Base.metadata) as sessions:
        await _small_year(sessions)
        async with sessions() as session:
            result = await handlers.get_assessment(session, year=YEAR)
    assert (result.status, result.scheme_version, result.published_on) == ("preview", 1, None)
    assert {k: d.score for k, d in result.dimensions.items()} == {
        "self_construction": D("8.00"),
        "rd_cooperation": D("15.00"),
        "incubation": D("10.00"),
        "talent_introduction": D("25.00"),
        "activities": D("11.25"),
    }
    incubation = result.dimensions["incubation"]
    assert incubation.progress == D("0.6111")  # (5 + 20 * 0.6667) / 30
    tickets = incubation.indicators["tickets_resolved_within_sla"]
    assert (tickets.actual, tickets.progress, tickets.score) == (D(2), D("0.6667"), D("5.00"))
    assert tickets.evidence.facts == 2
    talents = result.dimensions["talent_introduction"].indicators["talents_high_level"]
    assert (talents.actual, talents.progress, talents.score) == (D(4), D("1.0000"), D("25.00"))
    team = result.dimensions["self_construction"].indicators["team"]
    assert (team.actual, team.evidence.source, team.evidence.note) == (D(4), "manual", "seen")
    assert {k: b.score for k, b in result.bonus_items.items()} == {
        "honours": D("2.00"),
        "extra_talents": D("0.50"),
    }
    assert (result.bonus_uncapped, result.bonus, result.total) == (
        D("2.50"),
        D("2.00"),
        D("71.25"),
    )
    assert result.progress == D("0.775840")
    assert (result.fund.base, result.fund.share, result.fund.reward, result.fund.total) == (
        D(1_000_000),
        D("0.775840"),
        D(232_752),
        D(1_232_752),
    )


async def test_publication_freezes_the_result_sends_it_and_is_dated_in_shanghai(sessions_for):
    async with sessions_for(Base.metadata) as sessions:
        await _small_year(sessions)
        async with sessions() as session:
            preview = await handlers.get_assessment(session, year=YEAR)
            published, event_id = await handlers.publish(
                session, year=YEAR, by="chief", now=NEW_YEAR_7AM, time_zone=SHANGHAI
            )
            await session.commit()
        # 07:00 on 1 January in Shangrao is 1 January, not UTC's 31 December
        assert published.published_on == date(2022, 1, 1)
        assert (published.status, published.published_at) == ("published", NEW_YEAR_7AM)
        assert published.model_dump(exclude={"status", "published_on", "published_at"}) == (
            preview.model_dump(exclude={"status", "published_on", "published_at"})
        )
        events = await committed_events(sessions)
        assert [e.type for e in events] == [
            SchemeVersioned.event_type,
            ManualIndicatorEntered.event_type,
            ManualIndicatorEntered.event_type,
            ManualIndicatorEntered.event_type,
            AssessmentPublished.event_type,
        ]
        assert (events[-1].id, events[-1].subject) == (event_id, "2021")
        sent = AssessmentPublished.model_validate(events[-1].data)
        assert sent.published_on == date(2022, 1, 1)
        assert sent.dimensions == {k: d.score for k, d in preview.dimensions.items()}
        assert sent.weights == {
            "self_construction": 10,
            "rd_cooperation": 20,
            "incubation": 30,
            "talent_introduction": 25,
            "activities": 15,
        }
        assert (sent.bonus, sent.total, sent.progress, sent.scheme_version) == (
            D("2.00"),
            D("71.25"),
            D("0.775840"),
            1,
        )
        assert (sent.fund_base, sent.fund_reward, sent.fund_total) == (
            D(1_000_000),
            D(232_752),
            D(1_232_752),
        )


async def test_a_published_year_refuses_writes_and_keeps_its_result(sessions_for):
    async with sessions_for(Base.metadata) as sessions:
        await _small_year(sessions)
        async with sessions() as session:
            published, _ = await handlers.publish(
                session, year=YEAR, by="chief", now=NEW_YEAR_7AM, time_zone=SHANGHAI
            )
            await session.commit()
        async with sessions() as session:
            with pytest.raises(Conflict, match="published on 2022-01-01: its scheme is frozen"):
                await handlers.put_scheme(
                    session, year=YEAR, scheme=small_scheme(), by="a", now=NOW
                )
            with pytest.raises(Conflict, match="published on 2022-01-01: its manual entries"):
                await _enter(session, "team", 5)
            with pytest.raises(Conflict, match="it is frozen"):
                await handlers.publish(
                    session, year=YEAR, by="chief", now=NEW_YEAR_7AM, time_zone=SHANGHAI
                )
            await session.rollback()
            # late inputs: a fact is stored (a rebuild counts it) but the result stays frozen;
            # a foreign scheme version or manual entry is ignored
            await consume(
                session,
                TalentRecruited(
                    talent_id="t-late", level=TalentLevel.RESEARCHER, field="f", recruited_on=DAY
                ),
            )
            foreign = SchemeVersioned(
                year=YEAR, version=2, scheme=small_scheme().model_dump(mode="json"), created_at=NOW
            )
            await handlers.replay_scheme_version(session, payload=foreign, event=new_event(foreign))
            entry = ManualIndicatorEntered(
                year=YEAR, indicator="team", value=D(5), evidence="x", entered_at=NOW
            )
            await handlers.replay_manual_entry(session, payload=entry, event=new_event(entry))
            await session.commit()
        async with sessions() as session:
            frozen = await handlers.get_assessment(session, year=YEAR)
            versions = await handlers.list_scheme_versions(session, year=YEAR)
            manual = await handlers.list_manual(session, year=YEAR)
            _, facts = await handlers.list_facts(
                session, year=YEAR, indicator="talents_researchers", page=None
            )
        assert frozen == published
        assert isinstance(frozen, AssessmentPublic) and frozen.status == "published"
        assert [(v.version, v.frozen) for v in versions] == [(1, True)]
        assert [m.value for m in manual] == [D(2), D(4), D(3)]
        assert facts == 1
        # nothing more was sent after the publication
        assert (await committed_events(sessions))[-1].type == AssessmentPublished.event_type
