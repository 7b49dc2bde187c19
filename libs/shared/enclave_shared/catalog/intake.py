"""Events the intake service (Shangrao high-tech zone intake base) publishes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import Field, PlainSerializer, field_validator

from enclave_shared.catalog.incubation import IntakePath, LayoutCategory
from enclave_shared.events import Corrected, Payload, Voided


class MeetingKind(StrEnum):
    """The "three ones" (三个一) cadence."""

    INSPECTION = "inspection"  # 半月一督察
    COORDINATION = "coordination"  # 一月一协调
    OBSERVATION = "observation"  # 一季一观摩


class PolicyKind(StrEnum):
    """The kinds of support policy of the zone (精细化保障)."""

    MACHINERY = "machinery"  # 加快先进机械制造产业发展的12条政策措施
    TECH_UPGRADE = "tech_upgrade"  # 规上工业企业技改扶持办法
    LOAN_INTEREST = "loan_interest"  # 贷款贴息
    EQUIPMENT = "equipment"  # 设备购置专项补助
    INDUSTRY_FUND = "industry_fund"  # 产业基金扶持
    TALENT = "talent"  # 高层次人才引进培养办法


class Decision(StrEnum):
    """What a zone officer decided on a policy application."""

    GRANTED = "granted"
    REFUSED = "refused"


class ReturnKind(StrEnum):
    """The "five returns" (五回) of a case."""

    TALENT = "talent"  # 人才回归 (people)
    INFORMATION = "information"  # 信息回馈 (items)
    CAPITAL = "capital"  # 资金回流 (万元)
    ENTERPRISE = "enterprise"  # 企业回迁 (enterprises)
    TECHNOLOGY = "technology"  # 技术回援 (technologies)


def _json_number(amount: Decimal) -> int | float:
    # a whole amount as an integer (1200, not 1200.0); otherwise the double whose shortest
    # text is the decimal's digits (fifteen significant digits at most: exact)
    return int(amount) if amount == amount.to_integral_value() else float(amount)


Money = Annotated[Decimal, PlainSerializer(_json_number, return_type=int | float, when_used="json")]
"""An exact amount of money in 万元 (a `Decimal`, stored as NUMERIC). JSON carries it as a
number whose text is the decimal's own digits (0.3, never 0.30000000000000004; 1200, not
1200.0000): an amount has at most four decimals (one yuan) and fifteen significant digits,
which a JSON number (an IEEE double at the reader) holds exactly. Read it as a decimal
(pydantic `Decimal`, or a JSON parser's decimal mode) to keep sums exact; a string of the
decimal is accepted on the way in; a correction's `before`/`after` give it as a number too."""

WAN_PLACES = 4
"""Decimals of an amount in 万元: to the yuan."""

Amount = Annotated[
    Money, Field(gt=0, le=10**9, max_digits=10 + WAN_PLACES, decimal_places=WAN_PLACES)
]
"""One entered amount in 万元: positive, at most 10⁹ 万元, to the yuan."""

AMOUNT_FIELDS = frozenset(
    {"max_amount", "amount_asked", "amount_granted", "amount", "investment", "expected_output"}
)
"""The records' fields that hold an amount of 万元."""


class _AmountsCorrected(Corrected):
    # A correction's before and after hold each value in its JSON form, which for a decimal
    # is a string: the amounts go as numbers here too, as in every other shape.
    @field_validator("before", "after")
    @classmethod
    def _amounts_as_numbers(cls, values: dict[str, Any]) -> dict[str, Any]:
        return {
            name: _json_number(Decimal(str(value)))
            if name in AMOUNT_FIELDS and isinstance(value, str | Decimal)
            else value
            for name, value in values.items()
        }


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


class CaseSuspended(_Intake):
    """A case was suspended (暂停): no "three ones" meetings are owed and no red-case
    supervision runs until it resumes; it shows grey on the board and the wall."""

    event_type: ClassVar[str] = "enclave.case.suspended.v1"
    subject_field: ClassVar[str] = "case_id"

    case_id: str
    project_id: str
    reason: str
    suspended_on: date


class CaseResumed(_Intake):
    """A suspended case resumed: its meetings are owed again."""

    event_type: ClassVar[str] = "enclave.case.resumed.v1"
    subject_field: ClassVar[str] = "case_id"

    case_id: str
    project_id: str
    resumed_on: date


class CaseWithdrawn(_Intake):
    """A case was withdrawn (退出): closed, out of the colour counts, kept in history."""

    event_type: ClassVar[str] = "enclave.case.withdrawn.v1"
    subject_field: ClassVar[str] = "case_id"

    case_id: str
    project_id: str
    reason: str
    withdrawn_on: date


class CaseCorrected(_Intake, _AmountsCorrected):
    """A case's entered facts were corrected (responsible body, plot, a milestone date)."""

    event_type: ClassVar[str] = "enclave.case.corrected.v1"
    subject_field: ClassVar[str] = "case_id"

    case_id: str


class CaseVoided(_Intake, Voided):
    """A case was entered by mistake: it counts no more."""

    event_type: ClassVar[str] = "enclave.case.voided.v1"
    subject_field: ClassVar[str] = "case_id"

    case_id: str


class CaseAccountAssigned(_Intake):
    """The enterprise account (a token's `sub`) that owns a case was set, changed or cleared
    (`null`), at opening or later: that enterprise reads the case and the tickets about it."""

    event_type: ClassVar[str] = "enclave.case.account_assigned.v1"
    subject_field: ClassVar[str] = "case_id"

    case_id: str
    project_id: str
    enterprise_account: str | None = None


class RdDemandCorrected(_Intake, Corrected):
    """An R&D demand's entered facts were corrected."""

    event_type: ClassVar[str] = "enclave.rd_demand.corrected.v1"
    subject_field: ClassVar[str] = "demand_id"

    demand_id: str


class RdDemandVoided(_Intake, Voided):
    """An R&D demand was entered by mistake: it counts no more."""

    event_type: ClassVar[str] = "enclave.rd_demand.voided.v1"
    subject_field: ClassVar[str] = "demand_id"

    demand_id: str


class MenuItemCorrected(_Intake, Corrected):
    """A menu item's entered facts were corrected."""

    event_type: ClassVar[str] = "enclave.menu_item.corrected.v1"
    subject_field: ClassVar[str] = "menu_item_id"

    menu_item_id: str


class MenuItemVoided(_Intake, Voided):
    """A menu item was entered by mistake: it counts no more."""

    event_type: ClassVar[str] = "enclave.menu_item.voided.v1"
    subject_field: ClassVar[str] = "menu_item_id"

    menu_item_id: str


class SupportPolicyPublished(_Intake):
    """The zone put a support policy (精细化保障) in its catalogue, with what it gives."""

    event_type: ClassVar[str] = "enclave.support_policy.published.v1"
    subject_field: ClassVar[str] = "policy_id"

    policy_id: str
    kind: PolicyKind
    title: str
    gives: str
    published_on: date


class SupportPolicyCorrected(_Intake, _AmountsCorrected):
    """A support policy's entered facts were corrected."""

    event_type: ClassVar[str] = "enclave.support_policy.corrected.v1"
    subject_field: ClassVar[str] = "policy_id"

    policy_id: str


class SupportPolicyVoided(_Intake, Voided):
    """A support policy was entered by mistake: it counts no more."""

    event_type: ClassVar[str] = "enclave.support_policy.voided.v1"
    subject_field: ClassVar[str] = "policy_id"

    policy_id: str


class PolicyApplicationFiled(_Intake):
    """A settled enterprise applied for a support policy (amount asked, 万元)."""

    event_type: ClassVar[str] = "enclave.policy_application.filed.v1"
    subject_field: ClassVar[str] = "application_id"

    application_id: str
    case_id: str
    policy_id: str
    enterprise: str
    amount_asked: Amount
    filed_on: date


class PolicyApplicationDecided(_Intake):
    """A zone officer decided a policy application: granted (with the amount, 万元) or refused."""

    event_type: ClassVar[str] = "enclave.policy_application.decided.v1"
    subject_field: ClassVar[str] = "application_id"

    application_id: str
    case_id: str
    policy_id: str
    decision: Decision
    amount_granted: Amount | None = None
    decided_on: date


class PolicyApplicationCorrected(_Intake, _AmountsCorrected):
    """A policy application's entered facts were corrected."""

    event_type: ClassVar[str] = "enclave.policy_application.corrected.v1"
    subject_field: ClassVar[str] = "application_id"

    application_id: str


class PolicyApplicationVoided(_Intake, Voided):
    """A policy application was entered by mistake: it counts no more."""

    event_type: ClassVar[str] = "enclave.policy_application.voided.v1"
    subject_field: ClassVar[str] = "application_id"

    application_id: str


class CaseReturnRecorded(_Intake):
    """One of the "five returns" (五回) of a case was entered with its ledger: talents,
    information, capital (万元), enterprises or technology that came back to Guangfeng."""

    event_type: ClassVar[str] = "enclave.case_return.recorded.v1"
    subject_field: ClassVar[str] = "return_id"

    return_id: str
    case_id: str
    kind: ReturnKind
    count: int | None = None
    amount: Amount | None = Field(None, description="capital invested, 万元 (capital only)")
    happened_on: date


class CaseReturnCorrected(_Intake, _AmountsCorrected):
    """A "five returns" entry's facts were corrected."""

    event_type: ClassVar[str] = "enclave.case_return.corrected.v1"
    subject_field: ClassVar[str] = "return_id"

    return_id: str


class CaseReturnVoided(_Intake, Voided):
    """A "five returns" entry was entered by mistake: it counts no more."""

    event_type: ClassVar[str] = "enclave.case_return.voided.v1"
    subject_field: ClassVar[str] = "return_id"

    return_id: str


EVENTS: list[type[Payload]] = [
    CaseOpened,
    EnterpriseSettled,
    OutcomeTransferred,
    ConstructionStarted,
    ProductionStarted,
    RdDemandSubmitted,
    MenuItemPublished,
    MeetingMissed,
    CaseSuspended,
    CaseResumed,
    CaseWithdrawn,
    CaseCorrected,
    CaseVoided,
    CaseAccountAssigned,
    RdDemandCorrected,
    RdDemandVoided,
    MenuItemCorrected,
    MenuItemVoided,
    SupportPolicyPublished,
    SupportPolicyCorrected,
    SupportPolicyVoided,
    PolicyApplicationFiled,
    PolicyApplicationDecided,
    PolicyApplicationCorrected,
    PolicyApplicationVoided,
    CaseReturnRecorded,
    CaseReturnCorrected,
    CaseReturnVoided,
]
