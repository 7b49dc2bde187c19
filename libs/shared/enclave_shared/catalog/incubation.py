"""Events the incubation service (Shenzhen enclave) publishes."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from enclave_shared.events import Corrected, Payload, Voided


class IntakePath(StrEnum):
    """The four ways a project leaves the enclave (成果承接的四条路径)."""

    ORDER = "order"  # 订单式
    MENU = "menu"  # 菜单式
    DIRECTED = "directed"  # 定向式
    DELIVERY = "delivery"  # 配送式


class LayoutCategory(StrEnum):
    """The 三新两大 industry layout."""

    NEW_ELECTRONICS = "new_electronics"
    NEW_MATERIALS = "new_materials"
    NEW_SMART_MANUFACTURING = "new_smart_manufacturing"
    BIG_DATA = "big_data"
    BIG_TOURISM = "big_tourism"


class ProjectStage(StrEnum):
    """A project's lifecycle in the enclave."""

    PROPOSED = "proposed"
    INCUBATING = "incubating"
    MATURED = "matured"
    TRANSFERRED = "transferred"
    DROPPED = "dropped"


class TalentLevel(StrEnum):
    """高层次人才 or other researcher (科研人员)."""

    HIGH_LEVEL = "high_level"
    RESEARCHER = "researcher"


class TrainingTrack(StrEnum):
    """The three tracks of the 531 training programme."""

    MANAGERS = "managers"  # 职业经理人
    ENTREPRENEURS = "entrepreneurs"  # 新生代企业家
    SKILLED_WORKERS = "skilled_workers"  # 技能型人才


class EnterpriseTag(StrEnum):
    """What kind of GBA enterprise a directed project targets."""

    UNICORN = "unicorn"  # 独角兽
    GAZELLE = "gazelle"  # 瞪羚
    OTHER = "other"


class TransferCause(StrEnum):
    """Which intake event made a project transferred."""

    CASE_OPENED = "case_opened"
    ENTERPRISE_SETTLED = "enterprise_settled"
    OUTCOME_TRANSFERRED = "outcome_transferred"


class _Incubation(Payload):
    producer: ClassVar[str] = "incubation"


class ProjectRegistered(_Incubation):
    """A project entered the enclave on one of the four paths."""

    event_type: ClassVar[str] = "enclave.project.registered.v1"
    subject_field: ClassVar[str] = "project_id"

    project_id: str
    title: str
    path: IntakePath
    industry_chain: str
    layout_category: LayoutCategory | None = None
    enterprise: str | None = Field(None, description="local or target enterprise, if any")
    demand_id: str | None = None
    menu_item_id: str | None = None
    registered_on: date
    enterprise_tag: EnterpriseTag | None = Field(None, description="directed: the target's tag")


class ProjectStageChanged(_Incubation):
    """A project moved from one lifecycle stage to another."""

    event_type: ClassVar[str] = "enclave.project.stage_changed.v1"
    subject_field: ClassVar[str] = "project_id"

    project_id: str
    path: IntakePath
    from_stage: ProjectStage
    to_stage: ProjectStage
    changed_on: date
    reason: str | None = Field(None, description="why, when given (e.g. for a drop)")


class ProjectMatured(_Incubation):
    """A project finished incubation and is ready to transfer to Guangfeng."""

    event_type: ClassVar[str] = "enclave.project.matured.v1"
    subject_field: ClassVar[str] = "project_id"

    project_id: str
    title: str
    path: IntakePath
    industry_chain: str
    layout_category: LayoutCategory | None = None
    enterprise: str | None = Field(
        None, description="order: the local enterprise; directed: the target enterprise"
    )
    demand_id: str | None = None
    menu_item_id: str | None = None
    matured_on: date
    enterprise_tag: EnterpriseTag | None = Field(None, description="directed: the target's tag")


class ProjectTransferred(_Incubation):
    """Intake reported the project's case opened or its enterprise settled."""

    event_type: ClassVar[str] = "enclave.project.transferred.v1"
    subject_field: ClassVar[str] = "project_id"

    project_id: str
    path: IntakePath
    case_id: str
    transferred_on: date
    cause: TransferCause | None = Field(None, description="the intake event that reported it")


class TalentRecruited(_Incubation):
    """A talent was recruited to the enclave."""

    event_type: ClassVar[str] = "enclave.talent.recruited.v1"
    subject_field: ClassVar[str] = "talent_id"

    talent_id: str
    level: TalentLevel
    field: str
    ambassador_id: str | None = None
    recruited_on: date


class AgreementSigned(_Incubation):
    """A cooperation agreement (合作意向) was signed with a partner."""

    event_type: ClassVar[str] = "enclave.agreement.signed.v1"
    subject_field: ClassVar[str] = "agreement_id"

    agreement_id: str
    partner: str
    kind: str
    in_gba: bool
    signed_on: date
    project_id: str | None = None
    project_ids: list[str] = Field(
        default_factory=list, description="the projects the agreement led to"
    )


class ActivityHeld(_Incubation):
    """An activity took place: a village-elite meeting, talent welcome, roadshow, training, or
    one of the campaigns 我是党员我带头 and 我为家乡做点事."""

    event_type: ClassVar[str] = "enclave.activity.held.v1"
    subject_field: ClassVar[str] = "activity_id"

    activity_id: str
    kind: str
    title: str
    attendance: int = Field(ge=0)
    held_on: date


class TrainingCompleted(_Incubation):
    """People completed a 531 training track."""

    event_type: ClassVar[str] = "enclave.training.completed.v1"
    subject_field: ClassVar[str] = "record_id"

    record_id: str
    track: TrainingTrack
    count: int = Field(ge=1)
    completed_on: date


class HqEnterpriseRegistered(_Incubation):
    """An enterprise stays in Shenzhen but serves Guangfeng (总部经济)."""

    event_type: ClassVar[str] = "enclave.hq_enterprise.registered.v1"
    subject_field: ClassVar[str] = "enterprise_id"

    enterprise_id: str
    name: str
    registered_on: date
    industry_chain: str | None = None


class AmbassadorAppointed(_Incubation):
    """A talent ambassador (招才大使) was appointed to recruit for the enclave."""

    event_type: ClassVar[str] = "enclave.ambassador.appointed.v1"
    subject_field: ClassVar[str] = "ambassador_id"

    ambassador_id: str
    name: str
    appointed_on: date


class ProjectCorrected(_Incubation, Corrected):
    """A project's title, description, team, chain or layout was corrected."""

    event_type: ClassVar[str] = "enclave.project.corrected.v1"
    subject_field: ClassVar[str] = "project_id"

    project_id: str


class ProjectVoided(_Incubation, Voided):
    """A project entered by mistake was voided: it counts no more."""

    event_type: ClassVar[str] = "enclave.project.voided.v1"
    subject_field: ClassVar[str] = "project_id"

    project_id: str


class TalentCorrected(_Incubation, Corrected):
    """A talent's level, field or ambassador was corrected."""

    event_type: ClassVar[str] = "enclave.talent.corrected.v1"
    subject_field: ClassVar[str] = "talent_id"

    talent_id: str


class TalentVoided(_Incubation, Voided):
    """A talent entered by mistake was voided: it counts no more."""

    event_type: ClassVar[str] = "enclave.talent.voided.v1"
    subject_field: ClassVar[str] = "talent_id"

    talent_id: str


class AgreementCorrected(_Incubation, Corrected):
    """A cooperation agreement was corrected (partner, kind, date, the projects it led to, …)."""

    event_type: ClassVar[str] = "enclave.agreement.corrected.v1"
    subject_field: ClassVar[str] = "agreement_id"

    agreement_id: str


class AgreementVoided(_Incubation, Voided):
    """A cooperation agreement entered by mistake was voided."""

    event_type: ClassVar[str] = "enclave.agreement.voided.v1"
    subject_field: ClassVar[str] = "agreement_id"

    agreement_id: str


class ActivityCorrected(_Incubation, Corrected):
    """An activity's kind, title, date, attendance or place was corrected."""

    event_type: ClassVar[str] = "enclave.activity.corrected.v1"
    subject_field: ClassVar[str] = "activity_id"

    activity_id: str


class ActivityVoided(_Incubation, Voided):
    """An activity entered by mistake was voided."""

    event_type: ClassVar[str] = "enclave.activity.voided.v1"
    subject_field: ClassVar[str] = "activity_id"

    activity_id: str


class TrainingCorrected(_Incubation, Corrected):
    """A 531 training record's track, count or date was corrected."""

    event_type: ClassVar[str] = "enclave.training.corrected.v1"
    subject_field: ClassVar[str] = "record_id"

    record_id: str


class TrainingVoided(_Incubation, Voided):
    """A 531 training record entered by mistake was voided."""

    event_type: ClassVar[str] = "enclave.training.voided.v1"
    subject_field: ClassVar[str] = "record_id"

    record_id: str


class HqEnterpriseCorrected(_Incubation, Corrected):
    """An HQ-economy enterprise's name, chain or date was corrected."""

    event_type: ClassVar[str] = "enclave.hq_enterprise.corrected.v1"
    subject_field: ClassVar[str] = "enterprise_id"

    enterprise_id: str


class HqEnterpriseVoided(_Incubation, Voided):
    """An HQ-economy enterprise entered by mistake was voided."""

    event_type: ClassVar[str] = "enclave.hq_enterprise.voided.v1"
    subject_field: ClassVar[str] = "enterprise_id"

    enterprise_id: str


class PlanItemStatus(StrEnum):
    """Where an item of a monthly work plan stands (按月细化制定工作计划)."""

    PLANNED = "planned"
    DONE = "done"
    LATE = "late"
    DROPPED = "dropped"


class PlanItemAdded(_Incubation):
    """An item was put in a month's work plan (it may detail the five-year plan's goal)."""

    event_type: ClassVar[str] = "enclave.plan_item.added.v1"
    subject_field: ClassVar[str] = "item_id"

    item_id: str
    title: str
    owner: str
    due_month: str = Field(description="YYYY-MM: the month whose plan holds the item")
    status: PlanItemStatus
    done_on: date | None = Field(None, description="the business date it was done")
    goal: str = Field("", description="the five-year plan's goal the item details")


class PlanItemCorrected(_Incubation, Corrected):
    """A plan item changed: its status (done, late, dropped), done_on, owner, month, …;
    `after` holds the new values (done on time: status done, done_on within due_month)."""

    event_type: ClassVar[str] = "enclave.plan_item.corrected.v1"
    subject_field: ClassVar[str] = "item_id"

    item_id: str


class PlanItemVoided(_Incubation, Voided):
    """A plan item entered by mistake was voided: it counts no more."""

    event_type: ClassVar[str] = "enclave.plan_item.voided.v1"
    subject_field: ClassVar[str] = "item_id"

    item_id: str


class PlanMonthClosed(_Incubation):
    """A month's work plan was closed with its results: its items' counts as of the close."""

    event_type: ClassVar[str] = "enclave.plan_month.closed.v1"
    subject_field: ClassVar[str] = "closing_id"

    closing_id: str
    month: str = Field(description="YYYY-MM")
    closed_on: date
    results: str
    items: int = Field(ge=0, description="the month's standing items")
    done: int = Field(ge=0)
    done_on_time: int = Field(ge=0, description="done with done_on within the month")
    late: int = Field(ge=0)
    dropped: int = Field(ge=0)
    done_on_time_ids: list[str] = Field(default_factory=list)


class PlanMonthCorrected(_Incubation, Corrected):
    """A closed month's results were corrected."""

    event_type: ClassVar[str] = "enclave.plan_month.corrected.v1"
    subject_field: ClassVar[str] = "closing_id"

    closing_id: str


class PlanMonthVoided(_Incubation, Voided):
    """A month's closing entered by mistake was voided: the month is open again."""

    event_type: ClassVar[str] = "enclave.plan_month.voided.v1"
    subject_field: ClassVar[str] = "closing_id"

    closing_id: str


# --- 有团队 / 有场所: the advisory group, the operating team, the three centres ------------


class TeamKind(StrEnum):
    """Which of the enclave's two teams a member belongs to."""

    ADVISORY = "advisory"  # 飞地发展顾问团
    OPERATING = "operating"  # the operating team (运营团队)


class CentreKind(StrEnum):
    """The enclave's three centres (三个中心)."""

    INCUBATION = "incubation"  # 项目孵化中心
    RND = "rnd"  # 科技研发中心
    TRAINING = "training"  # 人才培训中心


class TeamMemberAdded(_Incubation):
    """A member joined the advisory group (飞地发展顾问团) or the operating team."""

    event_type: ClassVar[str] = "enclave.team_member.added.v1"
    subject_field: ClassVar[str] = "member_id"

    member_id: str
    team: TeamKind
    name: str
    role: str = Field(description="who they are: title or role")
    organisation: str | None = None
    since: date
    centre_id: str | None = Field(None, description="the centre the member works in, if any")


class TeamMemberCorrected(_Incubation, Corrected):
    """A team member's team, name, role, organisation, date or centre was corrected."""

    event_type: ClassVar[str] = "enclave.team_member.corrected.v1"
    subject_field: ClassVar[str] = "member_id"

    member_id: str


class TeamMemberVoided(_Incubation, Voided):
    """A team member entered by mistake was voided."""

    event_type: ClassVar[str] = "enclave.team_member.voided.v1"
    subject_field: ClassVar[str] = "member_id"

    member_id: str


class CentreOpened(_Incubation):
    """One of the three centres opened as a place: its address and floor area."""

    event_type: ClassVar[str] = "enclave.centre.opened.v1"
    subject_field: ClassVar[str] = "centre_id"

    centre_id: str
    kind: CentreKind
    name: str
    address: str
    area_m2: int = Field(ge=1, description="floor area, square metres")
    opened_on: date


class CentreCorrected(_Incubation, Corrected):
    """A centre's kind, name, address, area or opening date was corrected."""

    event_type: ClassVar[str] = "enclave.centre.corrected.v1"
    subject_field: ClassVar[str] = "centre_id"

    centre_id: str


class CentreVoided(_Incubation, Voided):
    """A centre entered by mistake was voided."""

    event_type: ClassVar[str] = "enclave.centre.voided.v1"
    subject_field: ClassVar[str] = "centre_id"

    centre_id: str


class ProjectHosted(_Incubation):
    """A centre hosts a project from a date (one centre at a time for a project)."""

    event_type: ClassVar[str] = "enclave.hosting.started.v1"
    subject_field: ClassVar[str] = "hosting_id"

    hosting_id: str
    centre_id: str
    project_id: str
    since: date


class HostingCorrected(_Incubation, Corrected):
    """A project's hosting was corrected (its centre or date)."""

    event_type: ClassVar[str] = "enclave.hosting.corrected.v1"
    subject_field: ClassVar[str] = "hosting_id"

    hosting_id: str


class HostingVoided(_Incubation, Voided):
    """A project's hosting entered by mistake was voided (the project may be hosted anew)."""

    event_type: ClassVar[str] = "enclave.hosting.voided.v1"
    subject_field: ClassVar[str] = "hosting_id"

    hosting_id: str


# --- R&D centres in Shenzhen (科技研发中心) -------------------------------------------------


class RdCentreKind(StrEnum):
    """Who set up an R&D centre with the enclave."""

    # a local enterprise of the seven chains with an R&D centre in Shenzhen
    LOCAL_ENTERPRISE = "local_enterprise"
    # a Shenzhen R&D institution moving into the enclave
    INSTITUTION = "institution"


class RdCentreRegistered(_Incubation):
    """An R&D centre in Shenzhen was registered: a local enterprise's, or a Shenzhen R&D
    institution's moving into the enclave, with the projects whose results it transfers."""

    event_type: ClassVar[str] = "enclave.rd_centre.registered.v1"
    subject_field: ClassVar[str] = "rd_centre_id"

    rd_centre_id: str
    kind: RdCentreKind
    name: str
    industry_chain: str
    centre_id: str | None = Field(None, description="the enclave's centre hosting it, if any")
    since: date
    project_ids: list[str] = Field(
        default_factory=list, description="the projects whose results it transfers"
    )


class RdCentreCorrected(_Incubation, Corrected):
    """An R&D centre was corrected (kind, name, chain, hosting centre, date, its projects)."""

    event_type: ClassVar[str] = "enclave.rd_centre.corrected.v1"
    subject_field: ClassVar[str] = "rd_centre_id"

    rd_centre_id: str


class RdCentreVoided(_Incubation, Voided):
    """An R&D centre entered by mistake was voided."""

    event_type: ClassVar[str] = "enclave.rd_centre.voided.v1"
    subject_field: ClassVar[str] = "rd_centre_id"

    rd_centre_id: str


# --- talent programme declarations (帮助申报省、市、区人才工程) ------------------------------


class ProgrammeLevel(StrEnum):
    """Whose talent programme (人才工程) a declaration goes to."""

    PROVINCE = "province"  # 省级
    CITY = "city"  # 市级
    DISTRICT = "district"  # 区级


class DeclarationOutcome(StrEnum):
    """What became of a talent programme declaration."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class DeclarationFiled(_Incubation):
    """The enclave helped a high-level talent declare for a province, city or district
    talent programme (帮助申报人才工程)."""

    event_type: ClassVar[str] = "enclave.declaration.filed.v1"
    subject_field: ClassVar[str] = "declaration_id"

    declaration_id: str
    talent_id: str
    programme: str
    level: ProgrammeLevel
    declared_on: date
    outcome: DeclarationOutcome
    outcome_on: date | None = Field(None, description="when the outcome was known, if it is")


class DeclarationCorrected(_Incubation, Corrected):
    """A declaration changed: its outcome (approved or rejected, with outcome_on), programme,
    level or dates."""

    event_type: ClassVar[str] = "enclave.declaration.corrected.v1"
    subject_field: ClassVar[str] = "declaration_id"

    declaration_id: str


class DeclarationVoided(_Incubation, Voided):
    """A declaration entered by mistake was voided."""

    event_type: ClassVar[str] = "enclave.declaration.voided.v1"
    subject_field: ClassVar[str] = "declaration_id"

    declaration_id: str


# --- 一轴: party-building on the new-village-sage bodies, and the sages ---------------------


class PartyFormation(StrEnum):
    """How a party organisation was built on a new-village-sage body."""

    STANDALONE = "standalone"  # 单独组建
    REGIONAL = "regional"  # 区域联建
    INDUSTRY = "industry"  # 行业统建


class SageTie(StrEnum):
    """A new village sage's tie to the enclave."""

    ADVISOR = "advisor"  # 顾问
    AMBASSADOR = "ambassador"  # 招才大使 / 形象大使
    RECRUITER = "recruiter"  # 以才引才的引荐人


class PartyOrgFormed(_Incubation):
    """A party organisation was built on a new-village-sage body (新乡贤参事会、博士联谊会…)."""

    event_type: ClassVar[str] = "enclave.party_org.formed.v1"
    subject_field: ClassVar[str] = "party_org_id"

    party_org_id: str
    name: str
    body: str = Field(description="the new-village-sage body it is built on")
    formation: PartyFormation
    members: int = Field(ge=1, description="party members")
    formed_on: date


class PartyOrgCorrected(_Incubation, Corrected):
    """A party organisation was corrected (name, body, formation, members, date)."""

    event_type: ClassVar[str] = "enclave.party_org.corrected.v1"
    subject_field: ClassVar[str] = "party_org_id"

    party_org_id: str


class PartyOrgVoided(_Incubation, Voided):
    """A party organisation entered by mistake was voided."""

    event_type: ClassVar[str] = "enclave.party_org.voided.v1"
    subject_field: ClassVar[str] = "party_org_id"

    party_org_id: str


class SageJoined(_Incubation):
    """A new village sage (新乡贤) of a body took up a tie to the enclave."""

    event_type: ClassVar[str] = "enclave.sage.joined.v1"
    subject_field: ClassVar[str] = "sage_id"

    sage_id: str
    name: str
    body: str = Field(description="the new-village-sage body the sage belongs to")
    tie: SageTie
    joined_on: date


class SageCorrected(_Incubation, Corrected):
    """A sage was corrected (name, body, tie, date)."""

    event_type: ClassVar[str] = "enclave.sage.corrected.v1"
    subject_field: ClassVar[str] = "sage_id"

    sage_id: str


class SageVoided(_Incubation, Voided):
    """A sage entered by mistake was voided."""

    event_type: ClassVar[str] = "enclave.sage.voided.v1"
    subject_field: ClassVar[str] = "sage_id"

    sage_id: str


EVENTS: list[type[Payload]] = [
    ProjectRegistered,
    ProjectStageChanged,
    ProjectMatured,
    ProjectTransferred,
    TalentRecruited,
    AgreementSigned,
    ActivityHeld,
    TrainingCompleted,
    HqEnterpriseRegistered,
    AmbassadorAppointed,
    ProjectCorrected,
    ProjectVoided,
    TalentCorrected,
    TalentVoided,
    AgreementCorrected,
    AgreementVoided,
    ActivityCorrected,
    ActivityVoided,
    TrainingCorrected,
    TrainingVoided,
    HqEnterpriseCorrected,
    HqEnterpriseVoided,
    PlanItemAdded,
    PlanItemCorrected,
    PlanItemVoided,
    PlanMonthClosed,
    PlanMonthCorrected,
    PlanMonthVoided,
    TeamMemberAdded,
    TeamMemberCorrected,
    TeamMemberVoided,
    CentreOpened,
    CentreCorrected,
    CentreVoided,
    ProjectHosted,
    HostingCorrected,
    HostingVoided,
    RdCentreRegistered,
    RdCentreCorrected,
    RdCentreVoided,
    DeclarationFiled,
    DeclarationCorrected,
    DeclarationVoided,
    PartyOrgFormed,
    PartyOrgCorrected,
    PartyOrgVoided,
    SageJoined,
    SageCorrected,
    SageVoided,
]
