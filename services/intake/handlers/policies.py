"""Support policies (精细化保障): the zone's catalogue of policies and what each gives, and the
settled enterprises' applications for them, decided by zone officers."""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from enclave_shared.auth import Principal, Role
from enclave_shared.catalog.intake import (
    Decision,
    PolicyApplicationCorrected,
    PolicyApplicationDecided,
    PolicyApplicationFiled,
    PolicyApplicationVoided,
    PolicyKind,
    SupportPolicyCorrected,
    SupportPolicyPublished,
    SupportPolicyVoided,
)
from enclave_shared.corrections import Correctable, ensure_standing, standing
from enclave_shared.deps import PageParams
from enclave_shared.errors import Conflict, Forbidden, Invalid, NotFound
from enclave_shared.outbox import OutboxSession
from enclave_shared.queries import found, where_given

from services.intake.domain import CaseStatus, new_id, wan
from services.intake.handlers.cases import get_case, may_see, own_only
from services.intake.handlers.rows import entered, page_of
from services.intake.models import IntakeCase, PolicyApplication, SupportPolicy
from services.intake.schemas import DecisionIn

R = TypeVar("R")

PENDING = "pending"  # the list's decision filter for applications not yet decided


async def publish_policy(
    session: OutboxSession,
    *,
    kind: PolicyKind,
    title: str,
    gives: str,
    max_amount: Decimal | None,
    published_on: date,
) -> SupportPolicy:
    """Put a support policy in the catalogue, with what it gives."""
    policy = SupportPolicy(
        id=new_id("pol"),
        kind=kind.value,
        title=title,
        gives=gives,
        max_amount=max_amount,
        published_on=published_on,
    )
    return await entered(session, policy, SupportPolicyPublished)


async def get_policy(session: OutboxSession, *, policy_id: str) -> SupportPolicy:
    """A support policy by id."""
    return found(
        await session.get(SupportPolicy, policy_id), "support policy", policy_id, field="policy_id"
    )


async def get_all_policies(
    session: OutboxSession,
    *,
    kind: PolicyKind | None = None,
    include_void: bool = False,
    page: PageParams | None = None,
) -> tuple[Sequence[SupportPolicy], int]:
    """The catalogue, oldest first (void policies only with `include_void`)."""
    return await page_of(
        session,
        SupportPolicy,
        *standing(SupportPolicy, include_void),
        *where_given((SupportPolicy.kind, kind)),
        by=[SupportPolicy.published_on],
        page=page,
    )


async def file_application(
    session: OutboxSession,
    *,
    user: Principal,
    case_id: str,
    policy_id: str,
    amount_asked: Decimal,
    filed_on: date,
) -> PolicyApplication:
    """A settled enterprise applies for a policy; an enterprise user files for its own case
    only (403 otherwise). A case or policy the body names that does not exist is bad input
    (422 naming it), not a missing resource: the path names none."""
    case = await _named(get_case(session, case_id=case_id))
    if not may_see(user, case.enterprise_account):
        raise Forbidden("an enterprise files for its own case only", field="case_id")
    ensure_standing(case, "case")
    if case.signed_on is None or case.enterprise is None:
        raise Invalid(
            f"case {case_id}'s enterprise has not settled: only settled enterprises apply",
            field="case_id",
        )
    if case.status == CaseStatus.WITHDRAWN.value:
        raise Invalid(f"case {case_id} is withdrawn", field="case_id")
    policy = await _named(get_policy(session, policy_id=policy_id))
    ensure_standing(policy, "support policy")
    application = PolicyApplication(
        id=new_id("app"),
        case_id=case.id,
        policy_id=policy.id,
        enterprise=case.enterprise,
        enterprise_account=case.enterprise_account,
        amount_asked=amount_asked,
        filed_on=filed_on,
    )
    _check_amounts(application, policy, signed_on=case.signed_on)
    return await entered(session, application, PolicyApplicationFiled)


async def get_application(
    session: OutboxSession, *, application_id: str, user: Principal
) -> PolicyApplication:
    """An application; an enterprise user may read its own only (403 otherwise)."""
    application = await _load_application(session, application_id)
    if not may_see(user, application.enterprise_account):
        raise Forbidden("an enterprise sees its own applications only", field="application_id")
    return application


async def get_all_applications(
    session: OutboxSession,
    *,
    user: Principal,
    case_id: str | None = None,
    policy_id: str | None = None,
    decision: str | None = None,
    include_void: bool = False,
    page: PageParams | None = None,
) -> tuple[Sequence[PolicyApplication], int]:
    """Applications the caller may see, oldest first; `decision` is granted, refused or
    pending. An enterprise user asking for another's case is refused (403)."""
    if user.role is Role.ENTERPRISE and case_id is not None:
        case = await session.get(IntakeCase, case_id)  # none: the filter lists nothing
        if case is not None and not may_see(user, case.enterprise_account):
            raise Forbidden("an enterprise sees its own applications only", field="case_id")
    conditions = [
        *standing(PolicyApplication, include_void),
        *own_only(user, PolicyApplication.enterprise_account),
        *where_given(
            (PolicyApplication.case_id, case_id), (PolicyApplication.policy_id, policy_id)
        ),
    ]
    if decision == PENDING:
        conditions.append(PolicyApplication.decision.is_(None))
    elif decision is not None:
        conditions.append(PolicyApplication.decision == decision)
    return await page_of(
        session, PolicyApplication, *conditions, by=[PolicyApplication.filed_on], page=page
    )


async def decide_application(
    session: OutboxSession, *, application: PolicyApplication, body: DecisionIn
) -> None:
    """Grant (with the amount) or refuse an application, once."""
    ensure_standing(application, "policy application")
    if application.decision is not None:
        raise Conflict(
            f"application {application.id} is decided already ({application.decision})",
            field="decision",
        )
    if body.decision is Decision.GRANTED and body.amount_granted is None:
        raise Invalid("a grant names the amount granted", field="amount_granted")
    if body.decision is Decision.REFUSED and body.amount_granted is not None:
        raise Invalid("a refusal grants no amount", field="amount_granted")
    application.decision = body.decision.value
    application.amount_granted = body.amount_granted
    application.decided_on = body.decided_on
    application.decision_note = body.note
    policy = await get_policy(session, policy_id=application.policy_id)
    _check_amounts(application, policy)
    session.record(PolicyApplicationDecided.model_validate(application, from_attributes=True))


def _check_amounts(
    application: PolicyApplication, policy: SupportPolicy, signed_on: date | None = None
) -> None:
    # The rules of an application's figures and dates, on filing, deciding and correcting.
    if policy.max_amount is not None and application.amount_asked > policy.max_amount:
        raise Invalid(
            f"amount_asked {wan(application.amount_asked)} is above the policy's ceiling "
            f"({wan(policy.max_amount)} 万元)",
            field="amount_asked",
        )
    if signed_on is not None and application.filed_on < signed_on:
        raise Invalid(
            f"filed_on {application.filed_on} is before the enterprise settled ({signed_on})",
            field="filed_on",
        )
    if application.amount_granted is not None:
        if application.decision != Decision.GRANTED.value:
            raise Invalid(
                "only a granted application has an amount granted", field="amount_granted"
            )
        if application.amount_granted > application.amount_asked:
            raise Invalid("amount_granted is above the amount asked", field="amount_granted")
    if application.decided_on is not None and application.decided_on < application.filed_on:
        raise Invalid("decided_on is before filed_on", field="decided_on")


async def _named(lookup: Awaitable[R]) -> R:
    """A record a request's body names: its absence is a 422 on the field, not a 404."""
    try:
        return await lookup
    except NotFound as missing:
        raise Invalid(missing.message, field=missing.field) from missing


async def _load_application(session: OutboxSession, application_id: str) -> PolicyApplication:
    application = await session.get(PolicyApplication, application_id)
    return found(application, "policy application", application_id, field="application_id")


async def _check_application(
    session: OutboxSession, application: PolicyApplication, after: dict[str, Any], _context: Any
) -> None:
    if application.decision is None and "decided_on" in after:
        raise Invalid("an application not decided has no decision date", field="decided_on")
    policy = await get_policy(session, policy_id=application.policy_id)
    case = await get_case(session, case_id=application.case_id)
    _check_amounts(application, policy, signed_on=case.signed_on)


APPLICATION = Correctable(
    what="policy application",
    corrected=PolicyApplicationCorrected,
    voided=PolicyApplicationVoided,
    load=_load_application,
    check=_check_application,
)
"""A policy application: its amounts and dates, within the policy's ceiling and in order."""


async def _load_policy(session: OutboxSession, policy_id: str) -> SupportPolicy:
    return await get_policy(session, policy_id=policy_id)


POLICY = Correctable(
    what="support policy",
    corrected=SupportPolicyCorrected,
    voided=SupportPolicyVoided,
    load=_load_policy,
)
"""A support policy: its fields."""
