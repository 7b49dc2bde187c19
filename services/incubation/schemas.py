"""HTTP shapes of the incubation service. Lengths match the columns in models.py."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, ClassVar

from enclave_shared.catalog.incubation import (
    CentreKind,
    DeclarationOutcome,
    EnterpriseTag,
    IntakePath,
    LayoutCategory,
    PartyFormation,
    PlanItemStatus,
    ProgrammeLevel,
    ProjectStage,
    RdCentreKind,
    SageTie,
    TalentLevel,
    TeamKind,
    TrainingTrack,
    TransferCause,
)
from enclave_shared.corrections import Correction
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.incubation import models as m
from services.incubation.domain import ActivityKind, AgreementKind, BacklogKind

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=m.NAME)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=m.TITLE)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=m.CODE)]
Note = Annotated[str, StringConstraints(max_length=10_000)]
RecordId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=m.ID)]
DateOrToday = Annotated[date | None, Field(description="business date; default today")]
"""A new record's business date: left out (None), the day it is recorded."""
MAX_COUNT = 1_000_000  # fits a 32-bit integer column with room to spare


class _In(BaseModel):
    """Request bodies: unknown fields are refused, so a typo is a 422 naming it."""

    model_config = ConfigDict(extra="forbid")


class _Out(BaseModel):
    """Response bodies, read from the ORM rows."""

    model_config = ConfigDict(from_attributes=True)


class _Standing(_Out):
    """A record that can be voided: when and why (both null while it stands)."""

    voided_at: datetime | None = None
    void_reason: str | None = None


class _Record(_Standing):
    """A voidable record with its id (listed after the void fields, as responses show it)."""

    id: str


# --- projects -------------------------------------------------------------------------


class ProjectCreate(_In):
    """A new project; `path` decides which of the other fields are required."""

    path: IntakePath
    title: Title | None = Field(None, description="defaults to the demand's or item's title")
    description: Note = ""
    industry_chain: Code | None = Field(
        None, description="one of the configured chains; defaults to the demand's or item's"
    )
    layout_category: LayoutCategory | None = None
    enterprise: Name | None = Field(
        None, description="directed: the target GBA enterprise (required); order: from demand"
    )
    enterprise_tag: EnterpriseTag | None = Field(None, description="directed only (required)")
    demand_id: Annotated[str, StringConstraints(min_length=1, max_length=m.NAME)] | None = Field(
        None, description="order only (required)"
    )
    menu_item_id: Annotated[str, StringConstraints(min_length=1, max_length=m.NAME)] | None = Field(
        None, description="menu only (required)"
    )
    team_members: list[Name] = Field(default_factory=list, max_length=200)
    team_talent_ids: list[RecordId] = Field(
        default_factory=list, max_length=200, description="team members who are enclave talents"
    )
    registered_on: DateOrToday = None


class TakeOn(_In):
    """Taking a backlog item on: everything defaults from the item."""

    title: Title | None = None
    description: Note = Field("", description="default: the item's description")
    industry_chain: Code | None = None
    layout_category: LayoutCategory | None = None
    team_members: list[Name] = Field(default_factory=list, max_length=200)
    team_talent_ids: list[RecordId] = Field(default_factory=list, max_length=200)
    registered_on: date | None = None


class ProjectCorrection(Correction):
    """The project's fields that can be corrected, each optional, and why."""

    nullable: ClassVar[frozenset[str]] = frozenset({"layout_category"})

    title: Title | None = None
    description: Note | None = None
    team_members: list[Name] | None = Field(None, max_length=200)
    team_talent_ids: list[RecordId] | None = Field(None, max_length=200)
    industry_chain: Code | None = None
    layout_category: LayoutCategory | None = None
    registered_on: date | None = None


class IncubationStart(_In):
    started_on: DateOrToday = None


class Maturity(_In):
    matured_on: DateOrToday = None


class Drop(_In):
    dropped_on: DateOrToday = None
    reason: Note = ""


class ProjectPublic(_Record):
    title: str
    description: str
    path: IntakePath
    stage: ProjectStage
    industry_chain: str
    layout_category: LayoutCategory | None
    enterprise: str | None
    enterprise_tag: EnterpriseTag | None
    demand_id: str | None
    menu_item_id: str | None
    team_members: list[str]
    team_talent_ids: list[str]
    registered_on: date
    incubation_started_on: date | None
    matured_on: date | None
    transferred_on: date | None
    dropped_on: date | None
    drop_reason: str | None
    case_id: str | None
    outcome: TransferCause | None = Field(
        description="what the transfer came to: enterprise_settled or outcome_transferred"
    )


class BacklogItemPublic(_Standing):
    kind: BacklogKind
    # The row's own id is an integer of this service's; the public id is intake's.
    id: str = Field(
        validation_alias="source_id",
        description="the demand id or menu item id, as intake named it",
    )
    title: str
    description: str
    enterprise: str | None
    industry_chain: str
    layout_category: str | None
    submitted_on: date
    project_id: str | None = Field(description="the live project taken on from it, if any")


# --- people and records ---------------------------------------------------------------


class AmbassadorCreate(_In):
    name: Name
    organisation: Name | None = None
    appointed_on: date | None = None


class AmbassadorPublic(_Out):
    id: str
    name: str
    organisation: str | None
    appointed_on: date
    talents_recruited: int = 0


class TalentCreate(_In):
    name: Name
    level: TalentLevel
    field: Name = Field(description="discipline or specialty")
    recruited_on: date | None = None
    ambassador_id: str | None = Field(None, max_length=m.ID)


class TalentBatch(_In):
    talents: list[TalentCreate] = Field(min_length=1, max_length=500)


class TalentCorrection(Correction):
    """A talent's fields that can be corrected (level, field, ambassador, …), and why."""

    nullable: ClassVar[frozenset[str]] = frozenset({"ambassador_id"})

    name: Name | None = None
    level: TalentLevel | None = None
    field: Name | None = None
    ambassador_id: RecordId | None = None
    recruited_on: date | None = None


class TalentPublic(_Record):
    name: str
    level: TalentLevel
    field: str
    recruited_on: date
    ambassador_id: str | None


class AgreementCreate(_In):
    partner: Name
    kind: AgreementKind
    in_gba: bool = Field(True, description="partner is in the Greater Bay Area")
    signed_on: date | None = None
    project_id: str | None = Field(None, max_length=m.ID)
    project_ids: list[RecordId] = Field(
        default_factory=list, max_length=100, description="the projects the agreement led to"
    )
    note: Note = ""


class AgreementCorrection(Correction):
    nullable: ClassVar[frozenset[str]] = frozenset({"project_id"})

    partner: Name | None = None
    kind: AgreementKind | None = None
    in_gba: bool | None = None
    signed_on: date | None = None
    project_id: RecordId | None = None
    project_ids: list[RecordId] | None = Field(None, max_length=100)
    note: Note | None = None


class AgreementPublic(_Record):
    partner: str
    kind: AgreementKind
    in_gba: bool
    signed_on: date
    project_id: str | None
    project_ids: list[str]
    note: str


class ActivityCreate(_In):
    kind: ActivityKind
    title: Title
    held_on: date | None = None
    attendance: int = Field(0, ge=0, le=MAX_COUNT)
    place: Name | None = None


class ActivityCorrection(Correction):
    nullable: ClassVar[frozenset[str]] = frozenset({"place"})

    kind: ActivityKind | None = None
    title: Title | None = None
    held_on: date | None = None
    attendance: int | None = Field(None, ge=0, le=MAX_COUNT)
    place: Name | None = None


class ActivityPublic(_Record):
    kind: ActivityKind
    title: str
    held_on: date
    attendance: int
    place: str | None


class TrainingCreate(_In):
    track: TrainingTrack
    count: int = Field(ge=1, le=MAX_COUNT, description="people who completed the track")
    completed_on: date | None = None
    note: Note = ""


class TrainingCorrection(Correction):
    track: TrainingTrack | None = None
    count: int | None = Field(None, ge=1, le=MAX_COUNT)
    completed_on: date | None = None
    note: Note | None = None


class TrainingPublic(_Record):
    track: TrainingTrack
    count: int
    completed_on: date
    note: str


class HqEnterpriseCreate(_In):
    name: Name
    industry_chain: Code | None = None
    registered_on: date | None = None
    agreement_id: RecordId | None = Field(
        None, description="the agreement with the GBA enterprise that now serves as HQ economy"
    )
    note: Note = ""


class HqEnterpriseCorrection(Correction):
    nullable: ClassVar[frozenset[str]] = frozenset({"industry_chain", "agreement_id"})

    name: Name | None = None
    industry_chain: Code | None = None
    registered_on: date | None = None
    agreement_id: RecordId | None = None
    note: Note | None = None


class HqEnterprisePublic(_Record):
    name: str
    industry_chain: str | None
    registered_on: date
    agreement_id: str | None
    note: str


# --- the work plans (有计划) --------------------------------------------------------------

# YYYY-MM from year 1000 (year 0 is no date)
Month = Annotated[str, StringConstraints(pattern=r"^[1-9]\d{3}-(0[1-9]|1[0-2])$")]


class PlanItemCreate(_In):
    title: Title
    owner: Name
    due_month: Month = Field(description="YYYY-MM: the month whose work plan holds the item")
    goal: Note = Field("", description="the five-year development plan's goal it details")
    note: Note = ""


class PlanItemCorrection(Correction):
    nullable: ClassVar[frozenset[str]] = frozenset({"done_on"})

    title: Title | None = None
    owner: Name | None = None
    due_month: Month | None = None
    status: PlanItemStatus | None = None
    done_on: date | None = None
    goal: Note | None = None
    note: Note | None = None


class PlanItemPublic(_Record):
    title: str
    owner: str
    due_month: str
    status: PlanItemStatus
    done_on: date | None
    goal: str
    note: str


class PlanMonthCreate(_In):
    month: Month
    results: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)
    ]
    closed_on: date | None = None


class PlanMonthCorrection(Correction):
    results: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]
        | None
    ) = None


class PlanMonthPublic(_Record):
    month: str
    closed_on: date
    results: str


# --- 有团队 / 有场所: the teams and the three centres ---------------------------------------

AREA_M2 = 1_000_000  # square metres: a bound that fits the column


class TeamMemberCreate(_In):
    team: TeamKind = Field(description="advisory (飞地发展顾问团) or operating (运营团队)")
    name: Name
    role: Name = Field(description="who they are: title or role")
    organisation: Name | None = Field(None, description="required for an advisory member")
    since: DateOrToday = None
    centre_id: RecordId | None = Field(None, description="the centre the member works in")


class TeamMemberCorrection(Correction):
    nullable: ClassVar[frozenset[str]] = frozenset({"organisation", "centre_id"})

    team: TeamKind | None = None
    name: Name | None = None
    role: Name | None = None
    organisation: Name | None = None
    since: date | None = None
    centre_id: RecordId | None = None


class TeamMemberPublic(_Record):
    team: TeamKind
    name: str
    role: str
    organisation: str | None
    since: date
    centre_id: str | None


class CentreCreate(_In):
    kind: CentreKind
    name: Name
    address: Title
    area_m2: int = Field(ge=1, le=AREA_M2, description="floor area, square metres")
    opened_on: DateOrToday = None


class CentreCorrection(Correction):
    kind: CentreKind | None = None
    name: Name | None = None
    address: Title | None = None
    area_m2: int | None = Field(None, ge=1, le=AREA_M2)
    opened_on: date | None = None


class CentrePublic(_Record):
    kind: CentreKind
    name: str
    address: str
    area_m2: int
    opened_on: date


class HostingCreate(_In):
    centre_id: RecordId
    project_id: RecordId
    since: DateOrToday = None


class HostingCorrection(Correction):
    centre_id: RecordId | None = None
    since: date | None = None


class HostingPublic(_Record):
    centre_id: str
    project_id: str
    since: date


# --- R&D centres in Shenzhen (科技研发中心) -------------------------------------------------


class RdCentreCreate(_In):
    kind: RdCentreKind = Field(
        description="local_enterprise (of the seven chains, in Shenzhen) or institution "
        "(a Shenzhen R&D institution moving into the enclave)"
    )
    name: Name
    industry_chain: Code = Field(description="one of the configured chains")
    centre_id: RecordId | None = Field(None, description="the enclave's centre hosting it")
    since: DateOrToday = None
    project_ids: list[RecordId] = Field(
        default_factory=list, max_length=100, description="the projects whose results it transfers"
    )
    note: Note = ""


class RdCentreCorrection(Correction):
    nullable: ClassVar[frozenset[str]] = frozenset({"centre_id"})

    kind: RdCentreKind | None = None
    name: Name | None = None
    industry_chain: Code | None = None
    centre_id: RecordId | None = None
    since: date | None = None
    project_ids: list[RecordId] | None = Field(None, max_length=100)
    note: Note | None = None


class RdCentrePublic(_Record):
    kind: RdCentreKind
    name: str
    industry_chain: str
    centre_id: str | None
    since: date
    project_ids: list[str]
    note: str


class RdFigures(BaseModel):
    """The R&D centres standing, and the institutions whose results reached Guangfeng."""

    local_enterprises: int = Field(description="local enterprises' R&D centres in Shenzhen")
    institutions: int = Field(description="Shenzhen R&D institutions in the enclave")
    institutions_transferring: int = Field(
        description="institutions with a linked project transferred to Guangfeng"
    )


# --- talent programme declarations (帮助申报人才工程) ----------------------------------------


class DeclarationCreate(_In):
    talent_id: RecordId = Field(description="a standing high-level talent of the enclave")
    programme: Title = Field(description="the talent programme declared")
    level: ProgrammeLevel
    declared_on: DateOrToday = None
    outcome: DeclarationOutcome = DeclarationOutcome.PENDING
    outcome_on: date | None = Field(
        None, description="when the outcome was known: required once approved or rejected"
    )
    note: Note = ""


class DeclarationCorrection(Correction):
    nullable: ClassVar[frozenset[str]] = frozenset({"outcome_on"})

    talent_id: RecordId | None = None
    programme: Title | None = None
    level: ProgrammeLevel | None = None
    declared_on: date | None = None
    outcome: DeclarationOutcome | None = None
    outcome_on: date | None = None
    note: Note | None = None


class DeclarationPublic(_Record):
    talent_id: str
    talent_name: str = Field(description="the talent's name as declared")
    programme: str
    level: ProgrammeLevel
    declared_on: date
    outcome: DeclarationOutcome
    outcome_on: date | None
    note: str


# --- 一轴: party organisations on the new-village-sage bodies, and the sages --------------


class PartyOrgCreate(_In):
    name: Name = Field(description="the party organisation")
    body: Name = Field(description="the new-village-sage body it is built on")
    formation: PartyFormation = Field(
        description="standalone (单独组建: 3 members or more), regional (区域联建) or "
        "industry (行业统建)"
    )
    members: int = Field(ge=1, le=MAX_COUNT, description="party members")
    formed_on: DateOrToday = None
    note: Note = ""


class PartyOrgCorrection(Correction):
    name: Name | None = None
    body: Name | None = None
    formation: PartyFormation | None = None
    members: int | None = Field(None, ge=1, le=MAX_COUNT)
    formed_on: date | None = None
    note: Note | None = None


class PartyOrgPublic(_Record):
    name: str
    body: str
    formation: PartyFormation
    members: int
    formed_on: date
    note: str


class SageCreate(_In):
    name: Name
    body: Name = Field(description="the new-village-sage body: 新乡贤参事会, 博士联谊会, …")
    tie: SageTie = Field(description="advisor, ambassador or recruiter")
    joined_on: DateOrToday = None
    note: Note = ""


class SageCorrection(Correction):
    name: Name | None = None
    body: Name | None = None
    tie: SageTie | None = None
    joined_on: date | None = None
    note: Note | None = None


class SagePublic(_Record):
    name: str
    body: str
    tie: SageTie
    joined_on: date
    note: str
