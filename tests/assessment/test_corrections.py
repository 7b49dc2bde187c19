"""A fact counts in its record's latest version and not at all once voided; a withdrawn
case's settlement counts no more; a rebuild from the topics arrives at the same figures."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from enclave_shared.catalog.incubation import (
    TalentCorrected,
    TalentLevel,
    TrainingCorrected,
    TrainingTrack,
    TrainingVoided,
)
from enclave_shared.catalog.intake import CaseCorrected, CaseVoided, CaseWithdrawn

from services.assessment.main import SPEC
from tests.assessment.helpers import (
    assessor_get,
    message,
    outcome,
    put_scheme,
    rebuild_settings,
    send,
    settled,
    talent,
    training,
    until_inbox,
)
from tests.support import run_service

Y = 2021
CLOCK = datetime(2022, 1, 20, 9, 0, tzinfo=UTC)
# (dimension, indicator) of the figures the corrections move, in the example scheme.
WATCHED = (
    ("talent_introduction", "talents_high_level"),
    ("talent_introduction", "talents_researchers"),
    ("activities", "trainings_managers"),
    ("activities", "trainings_entrepreneurs"),
    ("incubation", "enterprises_settled"),
    ("rd_cooperation", "outcomes_transferred"),
)


def figures(result: dict[str, Any]) -> dict[str, str]:
    return {key: result["dimensions"][dim]["indicators"][key]["actual"] for dim, key in WATCHED}


async def _until_inbox(svc: Any, n: int) -> None:
    """n events of the other services applied, and the scheme version (its own topic)."""
    await until_inbox(svc, n, own=1)


FIRST = [
    talent("t1", date(2021, 3, 10), TalentLevel.RESEARCHER),
    talent("t2", date(2021, 3, 11), TalentLevel.HIGH_LEVEL),
    training("r1", date(2021, 3, 20), TrainingTrack.MANAGERS, 12),
    training("r2", date(2021, 4, 20), TrainingTrack.MANAGERS, 5),
    training("r3", date(2021, 5, 20), TrainingTrack.MANAGERS, 7),
    settled("c1", date(2021, 4, 1)),
    settled("c2", date(2021, 4, 2)),
    outcome("c3", date(2021, 4, 3)),
]
REVISIONS = [
    message(
        TalentCorrected(
            talent_id="t1",
            reason="entered at the wrong level",
            before={"level": "researcher"},
            after={"level": "high_level"},
        )
    ),
    message(TrainingVoided(record_id="r1", reason="entered twice")),
    message(
        TrainingCorrected(
            record_id="r3",
            reason="wrong track",
            before={"track": "managers", "count": 7},
            after={"track": "entrepreneurs", "count": 8},
        )
    ),
    message(
        CaseWithdrawn(
            case_id="c1", project_id="p-c1", reason="did not land", withdrawn_on=date(2021, 5, 1)
        )
    ),
    message(CaseVoided(case_id="c3", reason="entered by mistake")),
    # A correction of a date moves the fact to another year: c2 settled in 2022, not 2021.
    message(
        CaseCorrected(
            case_id="c2",
            reason="the contract's date",
            before={"signed_on": "2021-04-02"},
            after={"signed_on": "2022-01-05", "responsible_unit": "zone office"},
        )
    ),
    # The first reports again under new event ids: the corrected versions still count.
    talent("t1", date(2021, 3, 10), TalentLevel.RESEARCHER),
    training("r1", date(2021, 3, 20), TrainingTrack.MANAGERS, 12),
    settled("c1", date(2021, 4, 1)),
]


async def test_corrections_voids_and_withdrawals_live_and_after_a_rebuild(
    make_settings, new_database
):
    settings = await make_settings("assessment")
    async with run_service(SPEC, settings) as live:
        live.runtime.clock = lambda: CLOCK
        await put_scheme(live, Y)
        await send(settings, FIRST)
        await _until_inbox(live, len(FIRST))
        before = figures(await assessor_get(live, f"/api/v1/assessments/{Y}"))
        assert before == {
            "talents_high_level": "1",
            "talents_researchers": "1",
            "trainings_managers": "24",
            "trainings_entrepreneurs": "0",
            "enterprises_settled": "2",
            "outcomes_transferred": "1",
        }
        await send(settings, REVISIONS)
        await _until_inbox(live, len(FIRST) + len(REVISIONS))
        preview = await assessor_get(live, f"/api/v1/assessments/{Y}")
        assert figures(preview) == {
            "talents_high_level": "2",
            "talents_researchers": "0",
            "trainings_managers": "5",
            "trainings_entrepreneurs": "8",
            "enterprises_settled": "0",
            "outcomes_transferred": "0",
        }
        facts = await assessor_get(live, f"/api/v1/assessments/{Y}/facts?limit=500")
        next_year = await assessor_get(live, f"/api/v1/assessments/{Y + 1}/facts?limit=500")
        assert [(f["indicator"], f["subject"]) for f in next_year] == [
            ("enterprises_settled", "c2")
        ]
    rebuild = await rebuild_settings(make_settings, new_database, settings)
    async with run_service(SPEC, rebuild) as rebuilt:
        rebuilt.runtime.clock = lambda: CLOCK
        await _until_inbox(rebuilt, len(FIRST) + len(REVISIONS))
        again = await assessor_get(rebuilt, f"/api/v1/assessments/{Y}")
        assert again == preview
        rebuilt_facts = await assessor_get(rebuilt, f"/api/v1/assessments/{Y}/facts?limit=500")
        key = ("indicator", "subject", "quantity", "business_date")
        assert sorted(tuple(f[k] for k in key) for f in rebuilt_facts) == sorted(
            tuple(f[k] for k in key) for f in facts
        )
