"""Unit tests of the event-to-indicator mapping."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from enclave_shared.catalog.hotline import TicketOpened, TicketResolved
from enclave_shared.catalog.incubation import (
    AgreementSigned,
    IntakePath,
    ProjectTransferred,
    TalentLevel,
    TalentRecruited,
    TrainingCompleted,
    TrainingTrack,
)
from enclave_shared.errors import EventRefused
from enclave_shared.events import new_event

from services.assessment.consumers import on_counted_event
from services.assessment.domain.facts import Counted, facts_of
from services.assessment.domain.indicators import INDICATORS, MANUAL_KEYS, Source

DAY = date(2021, 12, 31)


def test_every_fact_names_a_registry_event_indicator():
    for path in IntakePath:
        payload = ProjectTransferred(project_id="p", path=path, case_id="c", transferred_on=DAY)
        for fact in facts_of(payload):
            assert INDICATORS[fact.indicator].source is Source.EVENTS
            assert fact.indicator not in MANUAL_KEYS
    for track in TrainingTrack:
        payload = TrainingCompleted(record_id="r", track=track, count=3, completed_on=DAY)
        assert all(f.indicator in INDICATORS for f in facts_of(payload))


def test_mapping_by_level_gba_track_and_sla():
    researcher = TalentRecruited(
        talent_id="t", level=TalentLevel.RESEARCHER, field="x", recruited_on=DAY
    )
    assert facts_of(researcher) == [
        Counted("talents_researchers", 1, DAY),
        Counted("talents_total", 1, DAY),
    ]
    abroad = AgreementSigned(agreement_id="a", partner="p", kind="k", in_gba=False, signed_on=DAY)
    assert facts_of(abroad) == [Counted("agreements_total", 1, DAY)]
    training = TrainingCompleted(
        record_id="r", track=TrainingTrack.SKILLED_WORKERS, count=250, completed_on=DAY
    )
    assert facts_of(training) == [
        Counted("trainings_total", 250, DAY),
        Counted("trainings_skilled_workers", 250, DAY),
    ]
    at = datetime(2021, 12, 31, 23, 0, tzinfo=UTC)
    late = TicketResolved(
        ticket_id="k", category="c", within_sla=False, resolved_at=at, resolved_on=DAY
    )
    kept = late.model_copy(update={"within_sla": True})
    assert facts_of(late) == []
    assert facts_of(kept) == [Counted("tickets_resolved_within_sla", 1, DAY)]
    assert facts_of(TicketOpened(ticket_id="k", channel="phone", category="c", opened_at=at)) == []


async def test_an_absurd_subject_is_refused_on_every_profile():

    payload = TalentRecruited(
        talent_id="t" * 501, level=TalentLevel.HIGH_LEVEL, field="x", recruited_on=DAY
    )
    with pytest.raises(EventRefused, match="subject of 501 characters"):
        await on_counted_event(None, payload, new_event(payload))  # type: ignore[arg-type]
