"""What each consumed event counts for: zero or more dated facts of the indicator registry.

`facts_of` is the whole mapping from the catalog to the registry; the handler stores its
result once per (indicator, subject). A fact counts in its record's latest version:
`REVISED_BY` names, for each correction and void, the events whose facts it revises; a
withdrawn case's settlement or result transfer counts no more (`WITHDRAWN_INDICATORS`).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from enclave_shared.catalog.hotline import (
    TicketCorrected,
    TicketResolved,
    TicketRevisited,
    TicketVoided,
)
from enclave_shared.catalog.incubation import (
    ActivityCorrected,
    ActivityHeld,
    ActivityVoided,
    AgreementCorrected,
    AgreementSigned,
    AgreementVoided,
    HqEnterpriseCorrected,
    HqEnterpriseRegistered,
    HqEnterpriseVoided,
    PlanMonthClosed,
    PlanMonthCorrected,
    PlanMonthVoided,
    ProjectCorrected,
    ProjectMatured,
    ProjectTransferred,
    ProjectVoided,
    TalentCorrected,
    TalentLevel,
    TalentRecruited,
    TalentVoided,
    TrainingCompleted,
    TrainingCorrected,
    TrainingVoided,
)
from enclave_shared.catalog.intake import (
    CaseCorrected,
    CaseVoided,
    CaseWithdrawn,
    EnterpriseSettled,
    OutcomeTransferred,
)
from enclave_shared.errors import EventRefused
from enclave_shared.events import Payload

MAX_SUBJECT = 500  # an index row has a size limit on PostgreSQL; refused alike on both profiles


@dataclass(frozen=True)
class Counted:
    """One indicator's share of an event."""

    indicator: str
    quantity: int
    business_date: date


def facts_of(payload: Payload) -> list[Counted]:
    """What an event adds to which indicators, on which business date."""
    match payload:
        case TalentRecruited(level=level, recruited_on=day):
            own = "talents_high_level" if level is TalentLevel.HIGH_LEVEL else "talents_researchers"
            return [Counted(own, 1, day), Counted("talents_total", 1, day)]
        case AgreementSigned(in_gba=in_gba, signed_on=day):
            both = [Counted("agreements_total", 1, day)]
            return [Counted("agreements_gba", 1, day), *both] if in_gba else both
        case ProjectMatured(path=path, matured_on=day):
            return [
                Counted("projects_matured", 1, day),
                Counted(f"projects_matured_{path.value}", 1, day),
            ]
        case ProjectTransferred(path=path, transferred_on=day):
            return [
                Counted("projects_transferred", 1, day),
                Counted(f"projects_transferred_{path.value}", 1, day),
            ]
        case EnterpriseSettled(signed_on=day):
            return [Counted("enterprises_settled", 1, day)]
        case OutcomeTransferred(signed_on=day):
            return [Counted("outcomes_transferred", 1, day)]
        case HqEnterpriseRegistered(registered_on=day):
            return [Counted("hq_enterprises", 1, day)]
        case ActivityHeld(held_on=day):
            return [Counted("activities_held", 1, day)]
        case TrainingCompleted(track=track, count=count, completed_on=day):
            return [
                Counted("trainings_total", count, day),
                Counted(f"trainings_{track.value}", count, day),
            ]
        case PlanMonthClosed(month=month, items=items, done=done, done_on_time=on_time):
            # the month's results count on its last day, in its own year (a December closed
            # in January counts for December's year)
            if not on_time <= done <= items:
                raise EventRefused(
                    f"a closed month of {items} items, {done} done, {on_time} done on time: "
                    "no more done on time than done, nor done than items"
                )
            day = month_end(month)
            return [
                Counted("plan_items", items, day),
                Counted("plan_items_done", done, day),
                Counted("plan_items_done_on_time", on_time, day),
            ]
        case TicketResolved(within_sla=True, resolved_on=day):
            return [Counted("tickets_resolved_within_sla", 1, day)]
        case TicketRevisited(result=result, revisited_on=day) if result in SATISFIED:
            return [Counted("tickets_satisfied", 1, day)]
    return []


def month_end(month: str) -> date:
    """The last day of a YYYY-MM month; EventRefused for anything else."""
    try:
        first = date.fromisoformat(f"{month}-01")
    except ValueError:
        raise EventRefused(f"month {month!r} is not a YYYY-MM month") from None
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


SATISFIED = frozenset({"satisfied", "basically_satisfied"})
"""The revisit results the satisfaction indicator counts (满意, 基本满意): once a ticket."""


COUNTED_EVENTS: list[type[Payload]] = [
    TalentRecruited,
    AgreementSigned,
    ProjectMatured,
    ProjectTransferred,
    EnterpriseSettled,
    OutcomeTransferred,
    HqEnterpriseRegistered,
    ActivityHeld,
    TrainingCompleted,
    TicketResolved,
    TicketRevisited,
    PlanMonthClosed,
]
"""The other services' events `facts_of` counts from: the ones the service consumes."""

# The events whose facts each correction or void revises (same subject: the record's id).
REVISED_BY: dict[type[Payload], tuple[type[Payload], ...]] = {
    TalentCorrected: (TalentRecruited,),
    TalentVoided: (TalentRecruited,),
    AgreementCorrected: (AgreementSigned,),
    AgreementVoided: (AgreementSigned,),
    ProjectCorrected: (ProjectMatured, ProjectTransferred),
    ProjectVoided: (ProjectMatured, ProjectTransferred),
    HqEnterpriseCorrected: (HqEnterpriseRegistered,),
    HqEnterpriseVoided: (HqEnterpriseRegistered,),
    ActivityCorrected: (ActivityHeld,),
    ActivityVoided: (ActivityHeld,),
    TrainingCorrected: (TrainingCompleted,),
    TrainingVoided: (TrainingCompleted,),
    CaseCorrected: (EnterpriseSettled, OutcomeTransferred),
    CaseVoided: (EnterpriseSettled, OutcomeTransferred),
    TicketCorrected: (TicketResolved, TicketRevisited),
    TicketVoided: (TicketResolved, TicketRevisited),
    PlanMonthCorrected: (PlanMonthClosed,),
    PlanMonthVoided: (PlanMonthClosed,),  # the month is open again: its next closing counts
}
"""Corrections and voids the service consumes, and the counted events they revise."""

# A withdrawn case (the enterprise did not land): its settlement and its result transfer
# count no more. The project's transfer to the intake base stays: the enclave did hand it
# over, and that is what projects_transferred measures.
WITHDRAWN_INDICATORS = frozenset({"enterprises_settled", "outcomes_transferred"})
WITHDRAWALS: list[type[Payload]] = [CaseWithdrawn]
