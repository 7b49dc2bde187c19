"""Events the intake service (Shangrao high-tech zone intake base) publishes."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from enclave_shared.catalog.incubation import IntakePath, LayoutCategory
from enclave_shared.events import Payload


class MeetingKind(StrEnum):
    """The "three ones" (三个一) cadence."""

    INSPECTION = "inspection"  # 半月一督察
    COORDINATION = "coordination"  # 一月一协调
    OBSERVATION = "observation"  # 一季一观摩


class _Intake(Payload):
    producer: ClassVar[str] = "intake"


class CaseOpened(_Intake):
    """An intake case (one enterprise, one ledger) was opened for a matured project."""

    event_type: ClassVar[str] = "enclave.case.opened.v1"
    subject_field: ClassVar[str] = "case_id"

    case_id: str
    project_id: str
    path: IntakePath
    industry_chain: str
    enterprise: str | None = None
    opened_on: date


class EnterpriseSettled(_Intake):
    """An enterprise signed its investment agreement and settled (落户) in Guangfeng."""

    event_type: ClassVar[str] = "enclave.enterprise.settled.v1"
    subject_field: ClassVar[str] = "case_id"

    case_id: str
    project_id: str
    path: IntakePath
    enterprise: str | None = None
    signed_on: date


class OutcomeTransferred(_Intake):
    """On the order path, the R&D result was transferred to the local enterprise."""

    event_type: ClassVar[str] = "enclave.outcome.transferred.v1"
    subject_field: ClassVar[str] = "case_id"

    case_id: str
    project_id: str
    path: IntakePath
    enterprise: str | None = None
    signed_on: date


class ConstructionStarted(_Intake):
    """Construction started: the case turns yellow."""

    event_type: ClassVar[str] = "enclave.construction.started.v1"
    subject_field: ClassVar[str] = "case_id"

    case_id: str
    project_id: str
    started_on: date
    days_to_construction: int | None = Field(None, ge=0)


class ProductionStarted(_Intake):
    """Production started: the case turns blue."""

    event_type: ClassVar[str] = "enclave.production.started.v1"
    subject_field: ClassVar[str] = "case_id"

    case_id: str
    project_id: str
    started_on: date


class RdDemandSubmitted(_Intake):
    """A local enterprise stated an R&D need (order path)."""

    event_type: ClassVar[str] = "enclave.rd_demand.submitted.v1"
    subject_field: ClassVar[str] = "demand_id"

    demand_id: str
    enterprise: str
    industry_chain: str
    title: str
    description: str = ""
    submitted_on: date


class MenuItemPublished(_Intake):
    """The zone published a project it wants incubated (menu path)."""

    event_type: ClassVar[str] = "enclave.menu_item.published.v1"
    subject_field: ClassVar[str] = "menu_item_id"

    menu_item_id: str
    title: str
    industry_chain: str
    layout_category: LayoutCategory
    description: str = ""
    published_on: date


class MeetingMissed(_Intake):
    """A "three ones" inspection, coordination or observation did not take place in time."""

    event_type: ClassVar[str] = "enclave.meeting.missed.v1"
    subject_field: ClassVar[str] = "case_id"

    case_id: str
    project_id: str
    kind: MeetingKind
    due_on: date


EVENTS: list[type[Payload]] = [
    CaseOpened,
    EnterpriseSettled,
    OutcomeTransferred,
    ConstructionStarted,
    ProductionStarted,
    RdDemandSubmitted,
    MenuItemPublished,
    MeetingMissed,
]
