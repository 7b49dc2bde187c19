"""Talents (the list, one added by hand, a batch imported from an .xlsx file) and the talent
ambassadors (招才大使) who bring them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request, Response
from starlette.datastructures import UploadFile

from services.console.clients import FieldError, Services, ServiceUnavailable
from services.console.clients.incubation import Ambassador, Talent
from services.console.deps import ServicesDep, form_value, page_for
from services.console.pages import enclave_talents, page_router
from services.console.pages.enclave_lists import (
    VOID_COLUMN,
    Column,
    Listing,
    Writer,
    export,
    field_message,
    form_errors,
    list_page,
)
from services.console.pages.lists import N_
from services.console.sessions import SignedIn
from services.console.web import redirect

router = page_router()

TalentsPage = Annotated[SignedIn, Depends(page_for("enclave.talents"))]
WriterDep = Annotated[SignedIn, Writer]
MAX_UPLOAD = 1024 * 1024  # the platform refuses bodies over 1 MiB anyway
TALENT_FIELDS = ("name", "level", "field", "recruited_on", "ambassador_id")
IMPORT_DOWN = N_("The incubation service is not available: nothing was imported.")

AMBASSADORS = Listing(
    page="/enclave/ambassadors",
    resource="ambassadors",
    shape=Ambassador,
    columns=(
        Column(N_("Name"), lambda a: a.name),
        Column(N_("Organisation"), lambda a: a.organisation),
        Column(N_("Appointed on"), lambda a: a.appointed_on),
        Column(N_("Talents recruited"), lambda a: a.talents_recruited),
    ),
    filters=(),
    title=N_("Talent ambassadors"),
)


def talents_listing(names: dict[str, str]) -> Listing:
    """The talents list, naming each talent's ambassador."""
    return Listing(
        page="/enclave/talents",
        resource="talents",
        shape=Talent,
        columns=(
            Column(N_("Name"), lambda t: t.name, link=lambda t: f"/enclave/talents/{t.id}"),
            Column(N_("Level"), lambda t: t.level, label="talent_level"),
            Column(N_("Field or specialty"), lambda t: t.field),
            Column(N_("Recruited on"), lambda t: t.recruited_on),
            Column(
                N_("Talent ambassador"),
                lambda t: names.get(t.ambassador_id, t.ambassador_id) if t.ambassador_id else None,
            ),
            VOID_COLUMN,
        ),
        filters=("level", "ambassador_id", "from", "to", "include_void"),
        title=N_("Talents"),
    )


async def _ambassadors(services: Services) -> list[Ambassador] | None:
    try:
        return await services.incubation.every("ambassadors", Ambassador, {})
    except (ServiceUnavailable, FieldError):
        return None


async def _talents_page(
    request: Request, services: Services, signed: SignedIn, **context: Any
) -> Response:
    ambassadors = await _ambassadors(services)
    names = {a.id: a.name for a in ambassadors or []}
    return await list_page(
        request,
        services,
        signed,
        talents_listing(names),
        "enclave/talents.html",
        ambassador_options=[(a.id, a.name) for a in ambassadors or []],
        **context,
    )


@router.get("/enclave/talents")
async def talents(request: Request, services: ServicesDep, signed: TalentsPage) -> Response:
    """Talents, filtered by level, ambassador and recruitment dates."""
    return await _talents_page(request, services, signed)


@router.get("/enclave/talents/export.xlsx")
async def talents_export(request: Request, services: ServicesDep, _signed: TalentsPage) -> Response:
    """The filtered talents as an Excel workbook."""
    ambassadors = await _ambassadors(services)
    return await export(
        request, services, talents_listing({a.id: a.name for a in ambassadors or []})
    )


@router.post("/enclave/talents")
async def add_talent(request: Request, services: ServicesDep, signed: WriterDep) -> Response:
    """Record one recruited talent."""
    form = await request.form()
    values = {name: form_value(form, name) for name in TALENT_FIELDS}
    try:
        await services.incubation.post("talents", Talent, values)
    except FieldError as exc:
        return await _talents_page(
            request, services, signed, errors=form_errors(exc), values=values, status_code=422
        )
    except ServiceUnavailable:
        return await _talents_page(request, services, signed, status_code=503)
    return redirect(request, "/enclave/talents")


@router.get("/enclave/talents/import-template.xlsx")
async def import_template(_signed: TalentsPage) -> Response:
    """The workbook to fill in for an import."""
    response: Response = enclave_talents.template_response()
    return response


@router.post("/enclave/talents/import")
async def import_talents(request: Request, services: ServicesDep, signed: WriterDep) -> Response:
    """Check every row of the uploaded workbook; import them all, or none if one is wrong."""
    form = await request.form()
    upload = form.get("file")
    content = b""
    if isinstance(upload, UploadFile):
        content = await upload.read(MAX_UPLOAD + 1)
    ambassadors = await _ambassadors(services) or []
    lookup = {a.name: a.id for a in ambassadors} | {a.id: a.id for a in ambassadors}
    found = enclave_talents.read(content, lookup)
    if found.problem or found.errors:
        return await _talents_page(request, services, signed, imported=found, status_code=422)
    try:
        done = await services.incubation.post_many(
            "talents/batch", Talent, {"talents": found.talents}
        )
    except FieldError as exc:
        row, column = enclave_talents.error_of_service(exc.field, found.rows)
        found.errors.append(enclave_talents.RowError(row or 0, column, field_message(exc)))
        return await _talents_page(request, services, signed, imported=found, status_code=422)
    except ServiceUnavailable:
        found.problem = IMPORT_DOWN
        return await _talents_page(request, services, signed, imported=found, status_code=503)
    return await _talents_page(request, services, signed, imported_count=len(done))


@router.get("/enclave/ambassadors")
async def ambassadors(request: Request, services: ServicesDep, signed: TalentsPage) -> Response:
    """The talent ambassadors and how many talents each brought."""
    return await list_page(request, services, signed, AMBASSADORS, "enclave/ambassadors.html")


@router.get("/enclave/ambassadors/export.xlsx")
async def ambassadors_export(
    request: Request, services: ServicesDep, _signed: TalentsPage
) -> Response:
    """The ambassadors as an Excel workbook."""
    return await export(request, services, AMBASSADORS)


@router.post("/enclave/ambassadors")
async def appoint(request: Request, services: ServicesDep, signed: WriterDep) -> Response:
    """Appoint a talent ambassador."""
    form = await request.form()
    values = {n: form_value(form, n) for n in ("name", "organisation", "appointed_on")}
    try:
        await services.incubation.post("ambassadors", Ambassador, values)
    except FieldError as exc:
        return await list_page(
            request,
            services,
            signed,
            AMBASSADORS,
            "enclave/ambassadors.html",
            errors=form_errors(exc),
            values=values,
            status_code=422,
        )
    except ServiceUnavailable:
        return await list_page(
            request, services, signed, AMBASSADORS, "enclave/ambassadors.html", status_code=503
        )
    return redirect(request, "/enclave/ambassadors")
