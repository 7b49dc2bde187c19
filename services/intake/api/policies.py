"""Routes of the support policies (精细化保障) and the settled enterprises' applications."""

from __future__ import annotations

from typing import Annotated, Literal

from enclave_shared.catalog.intake import PolicyKind
from enclave_shared.corrections import correction_routes
from enclave_shared.deps import SessionDep, StandingListPageDep
from fastapi import APIRouter, Query

from services.intake.deps import CaseReader, Officer
from services.intake.handlers import policies
from services.intake.schemas import (
    ApplicationCorrection,
    ApplicationCreate,
    ApplicationPublic,
    DecisionIn,
    SupportPolicyCorrection,
    SupportPolicyCreate,
    SupportPolicyPublic,
)

router = APIRouter(prefix="/api/v1", tags=["support policies"])


@router.post("/support-policies", status_code=201)
async def publish_policy(
    body: SupportPolicyCreate, session: SessionDep, _user: Officer
) -> SupportPolicyPublic:
    """Put a support policy in the zone's catalogue, with what it gives."""
    policy = await policies.publish_policy(
        session,
        kind=body.kind,
        title=body.title,
        gives=body.gives,
        max_amount=body.max_amount,
        published_on=body.published_on,
    )
    await session.commit()
    return SupportPolicyPublic.model_validate(policy)


@router.get("/support-policies")
async def list_policies(
    session: SessionDep,
    _user: CaseReader,
    page: StandingListPageDep,
    kind: PolicyKind | None = None,
) -> list[SupportPolicyPublic]:
    """The catalogue of support policies, oldest first."""
    found = await policies.get_all_policies(session, kind=kind, **page.query)
    return page.shaped(SupportPolicyPublic, found)


@router.get("/support-policies/{policy_id}")
async def get_policy(policy_id: str, session: SessionDep, _user: CaseReader) -> SupportPolicyPublic:
    """One support policy."""
    return SupportPolicyPublic.model_validate(
        await policies.get_policy(session, policy_id=policy_id)
    )


correction_routes(
    router,
    "/support-policies/{policy_id}",
    policies.POLICY,
    name="support_policy",
    body=SupportPolicyCorrection,
    public=SupportPolicyPublic,
    user=Officer,
    docs=("Correct a support policy (with a reason).", "Void a policy entered by mistake."),
)


@router.post("/policy-applications", status_code=201)
async def file_application(
    body: ApplicationCreate, session: SessionDep, user: CaseReader
) -> ApplicationPublic:
    """A settled enterprise applies for a policy (by a zone officer, or the enterprise for
    its own case)."""
    application = await policies.file_application(
        session,
        user=user,
        case_id=body.case_id,
        policy_id=body.policy_id,
        amount_asked=body.amount_asked,
        filed_on=body.filed_on,
    )
    await session.commit()
    return ApplicationPublic.model_validate(application)


@router.get("/policy-applications")
async def list_applications(
    session: SessionDep,
    user: CaseReader,
    page: StandingListPageDep,
    case_id: Annotated[str | None, Query(max_length=40)] = None,
    policy_id: Annotated[str | None, Query(max_length=40)] = None,
    decision: Literal["granted", "refused", "pending"] | None = None,
) -> list[ApplicationPublic]:
    """Applications, oldest first; an enterprise user gets only its own."""
    found = await policies.get_all_applications(
        session, user=user, case_id=case_id, policy_id=policy_id, decision=decision, **page.query
    )
    return page.shaped(ApplicationPublic, found)


@router.get("/policy-applications/{application_id}")
async def get_application(
    application_id: str, session: SessionDep, user: CaseReader
) -> ApplicationPublic:
    """One application (an enterprise user: its own only)."""
    return ApplicationPublic.model_validate(
        await policies.get_application(session, application_id=application_id, user=user)
    )


@router.put("/policy-applications/{application_id}/decision")
async def decide_application(
    application_id: str, body: DecisionIn, session: SessionDep, user: Officer
) -> ApplicationPublic:
    """Grant (with the amount, 万元) or refuse an application, once."""
    application = await policies.get_application(session, application_id=application_id, user=user)
    await policies.decide_application(session, application=application, body=body)
    await session.commit()
    return ApplicationPublic.model_validate(application)


correction_routes(
    router,
    "/policy-applications/{application_id}",
    policies.APPLICATION,
    name="policy_application",
    body=ApplicationCorrection,
    public=ApplicationPublic,
    user=Officer,
    docs=(
        "Correct an application's amounts or dates (with a reason).",
        "Void an application entered by mistake.",
    ),
)
