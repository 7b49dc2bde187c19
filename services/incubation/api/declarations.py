"""Routes for the talent programme declarations (帮助申报省、市、区人才工程)."""

from __future__ import annotations

from enclave_shared.catalog.incubation import DeclarationOutcome, ProgrammeLevel
from enclave_shared.corrections import correction_routes
from enclave_shared.deps import DatedListPageDep, SessionDep, TodayDep
from fastapi import APIRouter

from services.incubation.deps import Operator, Reader
from services.incubation.handlers import declarations
from services.incubation.schemas import (
    DeclarationCorrection,
    DeclarationCreate,
    DeclarationPublic,
)

router = APIRouter(prefix="/api/v1", tags=["talent programme declarations"])


@router.post("/declarations", status_code=201)
async def file_declaration(
    body: DeclarationCreate, session: SessionDep, today: TodayDep, _user: Operator
) -> DeclarationPublic:
    """File a high-level talent's declaration for a province, city or district programme."""
    row = await declarations.file(session, data=body, today=today)
    await session.commit()
    return DeclarationPublic.model_validate(row)


@router.get("/declarations")
async def list_declarations(
    session: SessionDep,
    page: DatedListPageDep,
    _user: Reader,
    talent_id: str | None = None,
    level: ProgrammeLevel | None = None,
    outcome: DeclarationOutcome | None = None,
) -> list[DeclarationPublic]:
    """Declarations, latest declared first; `from`/`to` on the declaration date."""
    found = await declarations.list_declarations(
        session, talent_id=talent_id, level=level, outcome=outcome, **page.query
    )
    return page.shaped(DeclarationPublic, found)


correction_routes(
    router,
    "/declarations/{declaration_id}",
    declarations.DECLARATION,
    name="declaration",
    body=DeclarationCorrection,
    public=DeclarationPublic,
    user=Operator,
    docs=(
        "Record a declaration's outcome (approved or rejected, with outcome_on) or correct it.",
        "Void a declaration entered by mistake.",
    ),
    reader=Reader,
    read_doc="One declaration.",
)
