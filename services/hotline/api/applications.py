"""Routes that register applications for Open311 posting (agents) and withdraw their keys."""

from __future__ import annotations

from enclave_shared.deps import ClockDep, ListPageDep, SessionDep
from fastapi import APIRouter

from services.hotline.deps import Agent
from services.hotline.handlers import applications
from services.hotline.schemas import ApplicationCreate, ApplicationIssued, ApplicationPublic

router = APIRouter(prefix="/api/v1/open311", tags=["open311"])


@router.post("/applications", status_code=201, response_model=ApplicationIssued)
async def register_application(
    body: ApplicationCreate, session: SessionDep, clock: ClockDep, _: Agent
) -> ApplicationIssued:
    """Register an application; the answer holds its api_key, shown this once."""
    app, key = await applications.register(
        session, name=body.name, account=body.account, now=clock()
    )
    await session.commit()
    return ApplicationIssued(**ApplicationPublic.model_validate(app).model_dump(), api_key=key)


@router.get("/applications", response_model=list[ApplicationPublic])
async def list_applications(
    session: SessionDep, page: ListPageDep, _: Agent
) -> list[ApplicationPublic]:
    """The registered applications (never their keys)."""
    return page.shaped(ApplicationPublic, await applications.get_all(session, page=page.params))


@router.post("/applications/{app_id}/revocation", response_model=ApplicationPublic)
async def revoke_application(
    app_id: int, session: SessionDep, clock: ClockDep, _: Agent
) -> ApplicationPublic:
    """Withdraw the application's key."""
    app = await applications.revoke(session, app_id=app_id, now=clock())
    await session.commit()
    return ApplicationPublic.model_validate(app)
