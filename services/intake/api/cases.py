"""Routes of intake cases and their ledgers (一企一台账)."""

from __future__ import annotations

from typing import Annotated

from enclave_shared.catalog.incubation import IntakePath
from enclave_shared.corrections import correction_routes
from enclave_shared.deps import ListPageDep, SessionDep, StandingListPageDep
from enclave_shared.outbox import OutboxSession
from fastapi import APIRouter, Depends, Query

from services.intake.deps import CaseReader, CaseViewer, Officer, SettingsDep, TodayDep
from services.intake.domain import BasePlan, CaseStatus, Color, signed_by
from services.intake.handlers import cases, reports, wall
from services.intake.models import IntakeCase
from services.intake.schemas import (
    AccountIn,
    CaseCorrection,
    CasePublic,
    LedgerPublic,
    PlotIn,
    ProgressCreate,
    ProgressPublic,
    ResponsibleIn,
    ResumeIn,
    SigningIn,
    StartIn,
    SuspendIn,
    WithdrawIn,
)

router = APIRouter(prefix="/api/v1", tags=["cases"])


@router.get("/cases")
async def list_cases(
    session: SessionDep,
    user: CaseViewer,
    page: StandingListPageDep,
    project_id: Annotated[str | None, Query(max_length=100)] = None,
    path: IntakePath | None = None,
    color: Color | None = None,
    enterprise_account: Annotated[str | None, Query(max_length=200)] = None,
    status: CaseStatus | None = None,
) -> list[CasePublic]:
    """Intake cases, oldest first; an enterprise user gets only its own. Void cases only
    with `include_void`."""
    found = await cases.get_all_cases(
        session,
        user=user,
        project_id=project_id,
        path=path,
        color=color,
        enterprise_account=enterprise_account,
        status=status,
        **page.query,
    )
    return page.shaped(CasePublic, found)


@router.get("/cases/{case_id}")
async def get_case(case_id: str, session: SessionDep, user: CaseViewer) -> CasePublic:
    """One case with its milestone dates and days from signing to construction."""
    return CasePublic.model_validate(await cases.get_case(session, case_id=case_id, user=user))


async def _saved(session: OutboxSession, case: IntakeCase) -> CasePublic:
    """Commit a change of the case and answer the case as it now is."""
    await session.commit()
    return CasePublic.model_validate(case)


async def _plan(session: SessionDep) -> BasePlan:
    return (await wall.get_plan(session)).plan


correction_routes(
    router,
    "/cases/{case_id}",
    cases.CASE,
    name="case",
    body=CaseCorrection,
    public=CasePublic,
    user=Officer,
    context=Annotated[BasePlan, Depends(_plan)],
    docs=(
        "Correct the responsible body, the plot or a milestone date (with a reason); a\n"
        "milestone date cannot move before the one it follows (422 naming both).",
        "Void a case entered by mistake: it stays, marked, out of every list and figure.",
    ),
)


@router.post("/cases/{case_id}/suspend")
async def suspend(case_id: str, body: SuspendIn, session: SessionDep, _user: Officer) -> CasePublic:
    """Suspend the case: no "three ones" meetings owed, no red-case supervision (grey)."""
    case = await cases.get_case(session, case_id=case_id, for_update=True)
    await cases.suspend(session, case=case, reason=body.reason, on=body.suspended_on)
    return await _saved(session, case)


@router.post("/cases/{case_id}/resume")
async def resume(case_id: str, body: ResumeIn, session: SessionDep, _user: Officer) -> CasePublic:
    """Resume a suspended case: its meetings are owed again."""
    case = await cases.get_case(session, case_id=case_id, for_update=True)
    await cases.resume(session, case=case, on=body.resumed_on)
    return await _saved(session, case)


@router.post("/cases/{case_id}/withdraw")
async def withdraw(
    case_id: str, body: WithdrawIn, session: SessionDep, _user: Officer
) -> CasePublic:
    """Withdraw the case: the enterprise did not land; closed, out of the colour counts."""
    case = await cases.get_case(session, case_id=case_id, for_update=True)
    await cases.withdraw(session, case=case, reason=body.reason, on=body.withdrawn_on)
    return await _saved(session, case)


@router.put("/cases/{case_id}/plot")
async def set_plot(case_id: str, body: PlotIn, session: SessionDep, _user: Officer) -> CasePublic:
    """Place the enterprise on a plot of the base's plan (null: unplaced)."""
    case = await cases.get_case(session, case_id=case_id, for_update=True)
    plan = await wall.get_plan(session)
    await cases.set_plot(session, case=case, plot_id=body.plot_id, plan=plan.plan)
    return await _saved(session, case)


@router.post("/cases/{case_id}/signing")
async def sign(case_id: str, body: SigningIn, session: SessionDep, _user: Officer) -> CasePublic:
    """Investment (or transfer) agreement signed: the enterprise settles or the result transfers."""
    case = await cases.get_case(session, case_id=case_id, for_update=True)
    await cases.sign(session, case=case, signed_on=body.signed_on, enterprise=body.enterprise)
    return await _saved(session, case)


@router.post("/cases/{case_id}/construction")
async def start_construction(
    case_id: str, body: StartIn, session: SessionDep, _user: Officer
) -> CasePublic:
    """Construction started: yellow."""
    case = await cases.get_case(session, case_id=case_id, for_update=True)
    await cases.start_construction(session, case=case, started_on=body.started_on)
    return await _saved(session, case)


@router.post("/cases/{case_id}/production")
async def start_production(
    case_id: str, body: StartIn, session: SessionDep, _user: Officer
) -> CasePublic:
    """Production started: blue."""
    case = await cases.get_case(session, case_id=case_id, for_update=True)
    await cases.start_production(session, case=case, started_on=body.started_on)
    return await _saved(session, case)


@router.put("/cases/{case_id}/responsible")
async def set_responsible(
    case_id: str, body: ResponsibleIn, session: SessionDep, _user: Officer
) -> CasePublic:
    """Name the responsible body (推进责任主体): unit and person."""
    case = await cases.get_case(session, case_id=case_id, for_update=True)
    cases.set_responsible(case=case, unit=body.unit, person=body.person, contact=body.contact)
    return await _saved(session, case)


@router.put("/cases/{case_id}/account")
async def set_account(
    case_id: str, body: AccountIn, session: SessionDep, _user: Officer
) -> CasePublic:
    """Give the case to an enterprise user's account (the token `sub`), or clear it."""
    case = await cases.get_case(session, case_id=case_id, for_update=True)
    cases.set_account(session, case=case, enterprise_account=body.enterprise_account)
    return await _saved(session, case)


@router.get("/cases/{case_id}/ledger")
async def get_ledger(
    case_id: str, session: SessionDep, user: CaseReader, settings: SettingsDep, today: TodayDep
) -> LedgerPublic:
    """The case's ledger as one document."""
    case = await cases.get_case(session, case_id=case_id, user=user)
    templates = settings.template(IntakePath(case.path))
    return await reports.ledger(session, case=case, templates=templates, today=today)


@router.post("/cases/{case_id}/progress", status_code=201)
async def add_progress(
    case_id: str, body: ProgressCreate, session: SessionDep, user: CaseReader
) -> ProgressPublic:
    """Add a dated progress entry (an enterprise user may add to its own ledger)."""
    case = await cases.get_case(session, case_id=case_id, user=user)
    entry = await cases.add_progress(
        session,
        case=case,
        happened_on=body.happened_on,
        text=body.text,
        stage=body.stage.value if body.stage else None,
        recorded_by=signed_by(user),
    )
    await session.commit()
    return ProgressPublic.model_validate(entry)


@router.get("/cases/{case_id}/progress")
async def list_progress(
    case_id: str, session: SessionDep, user: CaseReader, page: ListPageDep
) -> list[ProgressPublic]:
    """The case's progress entries in date order."""
    case = await cases.get_case(session, case_id=case_id, user=user)
    return page.shaped(
        ProgressPublic, await cases.get_progress(session, case=case, page=page.params)
    )


@router.get("/cases/{case_id}/progress/{entry_id}")
async def get_progress(
    case_id: str, entry_id: str, session: SessionDep, user: CaseReader
) -> ProgressPublic:
    """One progress entry."""
    case = await cases.get_case(session, case_id=case_id, user=user)
    entry = await cases.get_progress_entry(session, case=case, entry_id=entry_id)
    return ProgressPublic.model_validate(entry)
