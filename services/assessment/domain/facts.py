"""What each consumed event counts for: zero or more dated facts of the indicator registry.

`facts_of` is the whole mapping from the catalog to the registry; the handler stores its
result once per (indicator, subject).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from enclave_shared.catalog.hotline import TicketResolved
from enclave_shared.catalog.incubation import (
    ActivityHeld,
    AgreementSigned,
    HqEnterpriseRegistered,
    ProjectMatured,
    ProjectTransferred,
    TalentLevel,
    TalentRecruited,
    TrainingCompleted,
)
from enclave_shared.catalog.intake import EnterpriseSettled, OutcomeTransferred
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
        case TicketResolved(within_sla=True, resolved_on=day):
            return [Counted("tickets_resolved_within_sla", 1, day)]
    return []


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
]
"""The other services' events `facts_of` counts from: the ones the service consumes."""
