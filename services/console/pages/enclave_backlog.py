"""The enclave's backlog: the R&D demands and menu items intake published, and "take on"
(an order or menu project registered from the item, in one click)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Response

from services.console.clients import FieldError, ServiceRefused, ServiceUnavailable
from services.console.clients.incubation import BacklogItem, Project
from services.console.deps import ServicesDep, page_for
from services.console.pages import page_router
from services.console.pages.enclave_lists import (
    Column,
    Listing,
    Writer,
    export,
    field_message,
    list_page,
)
from services.console.pages.lists import N_
from services.console.sessions import SignedIn
from services.console.web import error_page, redirect

router = page_router()

BacklogPage = Annotated[SignedIn, Depends(page_for("enclave.backlog"))]
WriterDep = Annotated[SignedIn, Writer]
# The service's take-on route for each kind of item.
TAKE_ON = {"demand": "demands", "menu_item": "menu-items"}
TAKEN_ALREADY = N_("Another project has taken this item on.")

BACKLOG = Listing(
    page="/enclave/backlog",
    resource="backlog",
    shape=BacklogItem,
    columns=(
        Column(N_("Kind"), lambda i: i.kind, label="backlog_kind"),
        Column(N_("Title"), lambda i: i.title),
        Column(N_("Enterprise"), lambda i: i.enterprise),
        Column(N_("Industry chain"), lambda i: i.industry_chain, label="industry_chain"),
        Column(
            N_("Layout category (三新两大)"), lambda i: i.layout_category, label="layout_category"
        ),
        Column(N_("Submitted on"), lambda i: i.submitted_on),
        Column(
            N_("Project"),
            lambda i: i.project_id,
            link=lambda i: f"/enclave/projects/{i.project_id}" if i.project_id else "",
        ),
    ),
    filters=("kind", "taken"),
    title=N_("Demands and menu items"),
)


@router.get("/enclave/backlog")
async def backlog(request: Request, services: ServicesDep, signed: BacklogPage) -> Response:
    """The backlog, filtered by kind and by whether a live project holds the item."""
    return await list_page(request, services, signed, BACKLOG, "enclave/backlog.html")


@router.get("/enclave/backlog/export.xlsx")
async def backlog_export(request: Request, services: ServicesDep, _signed: BacklogPage) -> Response:
    """The filtered backlog as an Excel workbook."""
    return await export(request, services, BACKLOG)


@router.post("/enclave/backlog/{kind}/{item_id}/take-on")
async def take_on(
    request: Request, kind: str, item_id: str, services: ServicesDep, signed: WriterDep
) -> Response:
    """Register the order or menu project for the item, then show the project."""
    if kind not in TAKE_ON:
        return error_page(request, 404)
    try:
        project = await services.incubation.post(
            f"backlog/{TAKE_ON[kind]}/{item_id}/project", Project, {}
        )
    except ServiceUnavailable:
        return await list_page(
            request, services, signed, BACKLOG, "enclave/backlog.html", status_code=503
        )
    except ServiceRefused as exc:
        message = field_message(exc) if isinstance(exc, FieldError) else TAKEN_ALREADY
        if exc.status == 409:
            message = TAKEN_ALREADY
        return await list_page(
            request,
            services,
            signed,
            BACKLOG,
            "enclave/backlog.html",
            status_code=exc.status,
            item_errors={item_id: message},
        )
    return redirect(request, f"/enclave/projects/{project.id}")
