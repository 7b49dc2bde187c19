"""HTTP shapes of the intake service: `XCreate`/`XIn` bodies, and `XPublic` shapes built from
their rows with `model_validate` (from attributes), never field by field."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, ClassVar

from enclave_shared.catalog.incubation import EnterpriseTag, IntakePath, LayoutCategory
from enclave_shared.catalog.intake import (
    WAN_PLACES,
    Amount,
    Decision,
    MeetingKind,
    Money,
    PolicyKind,
    ReturnKind,
)
from enclave_shared.corrections import Correction, Reason
from pydantic import BaseModel, ConfigDict, Field

from services.intake.domain import (
    BasePlan,
    CaseStatus,
    Color,
    Outcome,
    PartnerKind,
    PlatformKind,
    PlatformLevel,
    Stage,
    WallTextKind,
)

Text = Field(min_length=1, max_length=300)
Figure = Annotated[
    Money, Field(ge=0, le=10**9, max_digits=10 + WAN_PLACES, decimal_places=WAN_PLACES)
]
"""A ledger header's amount in 万元: as an `Amount`, zero allowed."""


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class _Standing(_Out):
    """A record staff enter (`Voidable`): standing unless voided, and then why."""

    voided_at: datetime | None = None
    void_reason: str | None = None


class CasePublic(_Out):
    """An intake case as the API shows it (colour, outcome and days derived by the row)."""

    id: str
    project_id: str
    title: str
    path: IntakePath
    outcome: Outcome
    color: Color
    industry_chain: str
    layout_category: LayoutCategory | None
    enterprise: str | None
    enterprise_account: str | None
    enterprise_tag: EnterpriseTag | None  # directed path: unicorn or gazelle
    demand_id: str | None
    menu_item_id: str | None
    opened_on: date
    signed_on: date | None
    construction_started_on: date | None
    production_started_on: date | None
    days_to_construction: int | None
    responsible_unit: str | None
    responsible_person: str | None
    responsible_contact: str | None
    plot_id: str | None = Field(description="the plot of the base's plan the enterprise is on")
    investment: Money | None = Field(None, description="the ledger's header: invested, 万元")
    planned_jobs: int | None = None
    expected_output: Money | None = Field(None, description="expected yearly output, 万元")
    status: CaseStatus
    status_reason: str | None = Field(description="why it was suspended or withdrawn")
    suspended_on: date | None = Field(description="since when it is suspended (while it is)")
    withdrawn_on: date | None
    voided_at: datetime | None
    void_reason: str | None


PlotId = Field(None, min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")


class CaseCorrection(Correction):
    """What of a case may be corrected: its responsible body, its plot, a milestone date
    (which still may not fall before the one it follows)."""

    nullable: ClassVar[frozenset[str]] = frozenset(
        {"responsible_contact", "plot_id", "investment", "planned_jobs", "expected_output"}
    )

    responsible_unit: str | None = Field(None, min_length=1, max_length=300)
    responsible_person: str | None = Field(None, min_length=1, max_length=200)
    responsible_contact: str | None = Field(None, max_length=200)
    plot_id: str | None = PlotId
    signed_on: date | None = None
    construction_started_on: date | None = None
    production_started_on: date | None = None
    investment: Figure | None = Field(None, description="万元")
    planned_jobs: int | None = Field(None, ge=0, le=10_000_000)
    expected_output: Figure | None = Field(None, description="万元 a year")


class SuspendIn(_In):
    reason: Reason
    suspended_on: date


class ResumeIn(_In):
    resumed_on: date


class WithdrawIn(_In):
    reason: Reason
    withdrawn_on: date


class PlotIn(_In):
    plot_id: str | None = Field(..., min_length=1, max_length=40, description="null: unplaced")


class SigningIn(_In):
    signed_on: date
    enterprise: str | None = Field(
        None,
        min_length=1,
        max_length=300,
        description="the enterprise that signs, when the case does not name one yet",
    )


class StartIn(_In):
    started_on: date


class AccountIn(_In):
    enterprise_account: str | None = Field(
        ..., max_length=200, description="the enterprise user's account id (token sub); null clears"
    )


class ResponsibleIn(_In):
    """The responsible body (推进责任主体) of a case."""

    unit: str = Text
    person: str = Field(min_length=1, max_length=200)
    contact: str | None = Field(None, max_length=200)


class ProgressCreate(_In):
    happened_on: date
    text: str = Field(min_length=1, max_length=5000)
    stage: Stage | None = None


class ProgressPublic(_Out):
    id: str
    case_id: str
    happened_on: date
    stage: Stage | None
    text: str
    recorded_by: str | None


class StageView(_Out):
    stage: Stage
    requirements: list[str]
    done_on: date | None
    status: str  # done, current, pending


class Responsible(_Out):
    """The responsible body of a case, read from the case's `responsible_*` columns."""

    unit: str | None = Field(validation_alias="responsible_unit")
    person: str | None = Field(validation_alias="responsible_person")
    contact: str | None = Field(validation_alias="responsible_contact")


class LedgerPublic(_Out):
    """One enterprise, one ledger (一企一台账): the whole case as one document."""

    case: CasePublic
    responsible: Responsible
    stages: list[StageView]
    progress: list[ProgressPublic]
    meetings: list[MeetingPublic]
    overdue_meetings: list[SlotPublic]


class MeetingCreate(_In):
    """Schedule a meeting, record one that took place, or both."""

    kind: MeetingKind
    scheduled_on: date | None = None
    held_on: date | None = None
    notes: str = Field("", max_length=5000)


class MeetingHeldIn(_In):
    held_on: date
    notes: str | None = Field(None, max_length=5000)


class MeetingPublic(_Out):
    id: str
    case_id: str
    kind: MeetingKind
    scheduled_on: date | None
    held_on: date | None
    notes: str


class SlotPublic(_Out):
    """A period of the "three ones" cadence in which a meeting is owed."""

    case_id: str
    project_id: str
    kind: MeetingKind
    start: date
    due_on: date
    status: str  # held, open, overdue (domain.SlotStatus)
    meeting_id: str | None = None


class DueMeetingPublic(SlotPublic):
    """A period the dispatch counts, with the case's project and enterprise."""

    title: str
    enterprise: str | None = None


class PartnerIn(_In):
    """The partner of an R&D demand in cooperation."""

    name: str = Text
    kind: PartnerKind
    in_gba: bool = Field(description="whether the partner is in the Greater Bay Area")


class RdDemandCreate(_In):
    enterprise: str = Text
    industry_chain: str = Field(min_length=1, max_length=100)
    title: str = Text
    description: str = Field("", max_length=5000)
    submitted_on: date
    enterprise_account: str | None = Field(
        None, max_length=200, description="zone officers: the enterprise user's account, if any"
    )
    partner: PartnerIn | None = Field(None, description="who the demand is worked on with")


class RdDemandCorrection(Correction):
    """What of an R&D demand may be corrected."""

    nullable: ClassVar[frozenset[str]] = frozenset(
        {"partner_name", "partner_kind", "partner_in_gba"}
    )

    enterprise: str | None = Field(None, min_length=1, max_length=300)
    industry_chain: str | None = Field(None, min_length=1, max_length=100)
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = Field(None, max_length=5000)
    submitted_on: date | None = None
    partner_name: str | None = Field(None, min_length=1, max_length=300)
    partner_kind: PartnerKind | None = None
    partner_in_gba: bool | None = None


class RdDemandPublic(_Standing):
    id: str
    enterprise: str
    enterprise_account: str | None
    industry_chain: str
    title: str
    description: str
    submitted_on: date
    project_id: str | None = Field(
        None, description="the enclave's project that took the demand on (cooperation)"
    )
    taken_on: date | None = Field(None, description="when that project was registered")
    partner_name: str | None = None
    partner_kind: PartnerKind | None = None
    partner_in_gba: bool | None = None


class Cooperation(_Out):
    """A demand in cooperation and its partner."""

    demand_id: str
    enterprise: str
    title: str
    project_id: str | None
    partner_name: str | None
    partner_kind: PartnerKind | None
    partner_in_gba: bool | None


class RdDemandStats(_Out):
    submitted: int = Field(description="demands submitted in the window")
    in_cooperation: int = Field(description="demands taken on by the enclave in the window")
    partners: list[Cooperation] = Field(
        default_factory=list, description="those demands, each with the partner it names"
    )


class MenuItemCreate(_In):
    title: str = Text
    industry_chain: str = Field(min_length=1, max_length=100)
    layout_category: LayoutCategory
    description: str = Field("", max_length=5000)
    published_on: date


class MenuItemCorrection(Correction):
    """What of a menu item may be corrected."""

    title: str | None = Field(None, min_length=1, max_length=300)
    industry_chain: str | None = Field(None, min_length=1, max_length=100)
    layout_category: LayoutCategory | None = None
    description: str | None = Field(None, max_length=5000)
    published_on: date | None = None


class MenuItemPublic(_Standing):
    id: str
    title: str
    industry_chain: str
    layout_category: LayoutCategory
    description: str
    published_on: date


class CaseDays(_Out):
    case_id: str
    project_id: str
    enterprise: str | None
    path: IntakePath
    signed_on: date
    construction_started_on: date
    days_to_construction: int


class StatsPublic(_Out):
    """Figures over a window of business dates."""

    from_: date | None = Field(serialization_alias="from")
    to: date
    cases_opened: int
    cases_by_color: dict[Color, int] = Field(
        description="cases opened in the window, by colour; withdrawn ones are out"
    )
    cases_suspended: int = Field(description="of those, suspended at the window's end")
    cases_withdrawn: int = Field(description="cases opened in the window, later withdrawn")
    cases_by_path: dict[IntakePath, int]
    settled: int
    outcomes_transferred: int
    avg_days_to_construction: float | None
    baseline_days_to_construction: float
    days_to_construction: list[CaseDays]
    rd_demands: RdDemandStats
    menu_items: int
    meetings_held: dict[MeetingKind, int]


class WallRow(_Out):
    """A line of the transfer progress table (入孵企业转化进度表); no person is named."""

    case_id: str
    project_id: str
    title: str
    enterprise: str | None
    enterprise_tag: EnterpriseTag | None
    industry_chain: str
    path: IntakePath
    color: Color
    opened_on: date
    signed_on: date | None
    construction_started_on: date | None
    production_started_on: date | None
    days_to_construction: int | None
    status: CaseStatus
    plot_id: str | None
    returns: ReturnsSummary | None = Field(None, description="its five returns (counts, capital)")


class Distribution(_Out):
    """Map of incubated enterprises (入孵企业分布图)."""

    total: int
    by_industry_chain: dict[str, int]
    by_path: dict[IntakePath, int]
    by_color: dict[Color, int]


class WallTextIn(_In):
    items: list[str] = Field(min_length=1, max_length=30)


class WallTextPublic(_Out):
    """A text of the wall in its latest version (version 0: the default wording)."""

    kind: WallTextKind
    version: int
    items: list[str]
    edited_by: str | None = None
    edited_at: datetime | None = None


class PlanPublic(_Out):
    """The base's plan in its latest version (version 0: the sample shipped)."""

    version: int
    plan: BasePlan
    edited_by: str | None = None
    edited_at: datetime | None = None


class PlatformCreate(_In):
    kind: PlatformKind
    name: str = Text
    level: PlatformLevel
    since: date


class PlatformCorrection(Correction):
    kind: PlatformKind | None = None
    name: str | None = Field(None, min_length=1, max_length=300)
    level: PlatformLevel | None = None
    since: date | None = None


class PlatformPublic(_Standing):
    id: str
    kind: PlatformKind
    name: str
    level: PlatformLevel
    since: date


class Platforms(_Out):
    """The base's platforms and how many there are of each kind."""

    counts: dict[PlatformKind, int]
    items: list[PlatformPublic]


class WallPublic(_Out):
    """The public disclosure wall (上墙公示): entry conditions and process, the distribution
    chart (the plan and each enterprise's plot), the progress table and the platforms."""

    entry_conditions: WallTextPublic
    entry_process: WallTextPublic
    distribution: Distribution
    transfer_progress: list[WallRow]
    five_returns: ReturnsSummary | None = Field(None, description="the district's five returns")
    plan: PlanPublic
    unplaced: list[str] = Field(description="case ids of enterprises on no plot of the plan")
    platforms: Platforms


class QuietDays(BaseModel):
    """The configured quiet-day rules, and whether a given day is quiet."""

    weekdays: list[int]
    month_days: list[int]
    dates: list[date]
    day: date | None
    quiet: bool | None
    rule: str | None


LedgerPublic.model_rebuild()


# Support policies (精细化保障), their applications, and the "five returns" (五回).


class SupportPolicyCreate(_In):
    kind: PolicyKind
    title: str = Text
    gives: str = Field(min_length=1, max_length=5000, description="what the policy gives")
    max_amount: Amount | None = Field(None, description="its ceiling, 万元")
    published_on: date


class SupportPolicyCorrection(Correction):
    """What of a support policy may be corrected."""

    nullable: ClassVar[frozenset[str]] = frozenset({"max_amount"})

    kind: PolicyKind | None = None
    title: str | None = Field(None, min_length=1, max_length=300)
    gives: str | None = Field(None, min_length=1, max_length=5000)
    max_amount: Amount | None = None
    published_on: date | None = None


class SupportPolicyPublic(_Standing):
    id: str
    kind: PolicyKind
    title: str
    gives: str
    max_amount: Money | None
    published_on: date


class ApplicationCreate(_In):
    case_id: str = Field(min_length=1, max_length=40)
    policy_id: str = Field(min_length=1, max_length=40)
    amount_asked: Amount = Field(description="万元")
    filed_on: date


class DecisionIn(_In):
    decision: Decision
    amount_granted: Amount | None = Field(None, description="万元, when granted")
    decided_on: date
    note: str | None = Field(None, max_length=2000)


class ApplicationCorrection(Correction):
    """What of an application may be corrected (the decision's amount and date once decided)."""

    amount_asked: Amount | None = None
    filed_on: date | None = None
    amount_granted: Amount | None = None
    decided_on: date | None = None


class ApplicationPublic(_Standing):
    id: str
    case_id: str
    policy_id: str
    enterprise: str
    enterprise_account: str | None
    amount_asked: Money
    filed_on: date
    decision: Decision | None
    amount_granted: Money | None
    decided_on: date | None
    decision_note: str | None


class ReturnCreate(_In):
    kind: ReturnKind
    count: int | None = Field(None, ge=1, le=1_000_000, description="people, items, …")
    amount: Amount | None = Field(None, description="万元, capital only")
    description: str = Field("", max_length=2000)
    happened_on: date


class ReturnCorrection(Correction):
    """What of a "five returns" entry may be corrected (its kind stays)."""

    count: int | None = Field(None, ge=1, le=1_000_000)
    amount: Amount | None = None
    description: str | None = Field(None, max_length=2000)
    happened_on: date | None = None


class ReturnPublic(_Standing):
    id: str
    case_id: str
    kind: ReturnKind
    count: int | None
    amount: Money | None
    description: str
    happened_on: date


class ReturnsSummary(_Out):
    """The "five returns" summed (for a case, or the district): counts and the capital."""

    talents: int = 0
    information: int = 0
    capital: Money = Field(Decimal(0), description="万元, summed exactly")
    enterprises: int = 0
    technologies: int = 0
    cases: int = Field(0, description="cases with at least one return")
