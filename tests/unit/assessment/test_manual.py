"""Manual indicators: entered with evidence and sent; only manual keys; replays stored once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from enclave_shared.catalog.assessment import ManualIndicatorEntered
from enclave_shared.errors import EventRefused, Invalid
from enclave_shared.events import new_event

from services.assessment import handlers
from services.assessment.models import Base
from tests.unit.assessment.builders import NOW, YEAR
from tests.unit.support import committed_events, staged


async def test_an_entry_is_stored_and_sent(sessions_for):
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            entry = await handlers.enter_manual(
                session,
                year=YEAR,
                indicator="team",
                value=Decimal("4.0000"),
                evidence="roster of March",
                by="auditor-1",
                now=NOW,
            )
            await session.commit()
        assert (entry.indicator, str(entry.value), entry.entered_by) == ("team", "4", "auditor-1")
        (event,) = await committed_events(sessions)
        assert (event.type, event.subject, event.id) == (
            ManualIndicatorEntered.event_type,
            "2021",
            entry.event_id,
        )
        sent = ManualIndicatorEntered.model_validate(event.data)
        assert (sent.indicator, sent.value, sent.evidence) == ("team", 4, "roster of March")
        async with sessions() as session:
            listed = await handlers.list_manual(session, year=YEAR)
        assert listed == [entry]


@pytest.mark.parametrize(
    ("indicator", "hint"),
    [("talents_high_level", "it is counted from events"), ("unicorns", "no such indicator")],
)
async def test_only_manual_indicators_are_entered(sessions_for, indicator, hint):
    async with sessions_for(Base.metadata) as sessions, sessions() as session:
        with pytest.raises(Invalid, match=hint) as refused:
            await handlers.enter_manual(
                session,
                year=YEAR,
                indicator=indicator,
                value=Decimal(1),
                evidence="x",
                by=None,
                now=NOW,
            )
        assert refused.value.field == "indicator"
        assert staged(session) == []


async def test_a_replayed_entry_is_stored_once_and_a_foreign_key_refused(sessions_for):
    payload = ManualIndicatorEntered(
        year=YEAR, indicator="honours", value=Decimal(3), evidence="medal", entered_at=NOW
    )
    event = new_event(payload)
    async with sessions_for(Base.metadata) as sessions, sessions() as session:
        await handlers.replay_manual_entry(session, payload=payload, event=event)
        await handlers.replay_manual_entry(session, payload=payload, event=event)
        listed = await handlers.list_manual(session, year=YEAR)
        assert [(m.indicator, m.event_id) for m in listed] == [("honours", event.id)]
        wrong = payload.model_copy(update={"indicator": "agreements_gba"})
        with pytest.raises(EventRefused, match="not a manual indicator"):
            await handlers.replay_manual_entry(session, payload=wrong, event=new_event(wrong))
