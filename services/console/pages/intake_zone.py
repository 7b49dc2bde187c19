"""R&D demands of local enterprises and the zone's menu: lists with filters and paging, the
forms to add one, and their Excel exports."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Annotated, Any

from enclave_shared.auth import Role
from fastapi import Depends, Form, Query, Request, Response

from services.console import labels
from services.console.clients import ServiceUnavailable, gather
from services.console.clients.intake import Demand, IntakeClient, MenuItem
from services.console.deps import ServicesDep, allow, page_for
from services.console.pages import page_router
from services.console.pages.lists import (
    PAGE_SIZE,
    DayText,
    FormFields,
    LongText,
    Offset,
    ShortText,
    paging,
    required,
    submit,
    workbook,
)
from services.console.sessions import SignedIn
from services.console.web import language, render

router = page_router()

DemandsPage = Annotated[SignedIn, Depends(page_for("intake.demands"))]
MenuPage = Annotated[SignedIn, Depends(page_for("intake.menu"))]
Writer = Annotated[SignedIn, Depends(allow(Role.ZONE_OFFICER, Role.ADMIN))]
ChainFilter = Annotated[str, Query(max_length=100)]
WRITERS = frozenset({Role.ZONE_OFFICER, Role.ADMIN})
DEMANDS, MENU = "/intake/demands", "/intake/menu-items"


class DemandFields(FormFields):
    """The form that records a local enterprise's R&D demand."""

    enterprise: ShortText = ""
    industry_chain: ShortText = ""
    title: ShortText = ""
    description: LongText = ""
    submitted_on: DayText = ""
    enterprise_account: ShortText = ""


class MenuItemFields(FormFields):
    """The form that publishes a menu item."""

    title: ShortText = ""
    industry_chain: ShortText = ""
    layout_category: ShortText = ""
    description: LongText = ""
    published_on: DayText = ""


DEMAND_HEADERS = (
    "Enterprise name",
    "Industrial chain",
    "Demand",
    "Details",
    "Demand submitted on",
    "Enclave project",
    "Taken on by the enclave",
)
MENU_HEADERS = ("Menu project", "Industrial chain", "Layout category", "Details", "Published on")


async def _demands(intake: IntakeClient, chain: str, offset: int) -> tuple[list[Demand], int]:
    return await intake.demand_page(industry_chain=chain or None, limit=PAGE_SIZE, offset=offset)


async def _demands_page(
    request: Request,
    services: ServicesDep,
    signed: SignedIn,
    chain: str,
    offset: int,
    *,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    gathered = await gather({"demands": _demands(services.intake, chain, offset)})
    rows, total = gathered.values["demands"] or ([], 0)
    context = {
        "demands": rows,
        **paging(request, "/intake/demands", offset, total),
        "filters": {"chain": chain},
        "writer": signed.role in WRITERS,
        "unavailable": gathered.unavailable,
        **extra,
    }
    return render(request, "intake/demands.html", context, status_code=status_code)


@router.get("/intake/demands")
async def demands(
    request: Request,
    services: ServicesDep,
    signed: DemandsPage,
    chain: ChainFilter = "",
    offset: Offset = 0,
) -> Response:
    """R&D demands (filter by chain), and the form to record one."""
    return await _demands_page(request, services, signed, chain, offset)


@router.post("/intake/demands")
async def add_demand(
    request: Request,
    services: ServicesDep,
    signed: Writer,
    fields: Annotated[DemandFields, Form()],
) -> Response:
    """Record a local enterprise's R&D demand."""
    values = fields.values()
    errors = required(
        values, "enterprise", "industry_chain", "title", "submitted_on", dates=("submitted_on",)
    )
    body = fields.filled()
    return await to_list(
        DEMANDS,
        request,
        services,
        signed,
        lambda: services.intake.submit_demand(body),
        errors,
        "title",
        values,
    )


@router.get("/intake/demands/export")
async def demands_export(
    request: Request, services: ServicesDep, signed: DemandsPage, chain: ChainFilter = ""
) -> Response:
    """The demands, exactly as filtered, as an .xlsx workbook."""
    try:
        rows = await services.intake.all_demands(industry_chain=chain or None)
    except ServiceUnavailable:
        return await _demands_page(request, services, signed, chain, 0, status_code=503)
    lang = language(request)
    return workbook(
        request,
        "R&D demands",
        DEMAND_HEADERS,
        [
            (
                d.enterprise,
                labels.label(d.industry_chain, "industry_chain", lang),
                d.title,
                d.description,
                d.submitted_on,
                d.project_id or "",
                d.taken_on,
            )
            for d in rows
        ],
    )


def _menu_filter(items: list[MenuItem], chain: str, layout: str) -> list[MenuItem]:
    # The menu list has no filters of its own: they are applied here, on all its pages.
    return [
        m
        for m in items
        if (not chain or m.industry_chain == chain) and (not layout or m.layout_category == layout)
    ]


async def _menu(
    intake: IntakeClient, chain: str, layout: str, offset: int
) -> tuple[list[MenuItem], int]:
    if not chain and not layout:
        return await intake.menu_page(limit=PAGE_SIZE, offset=offset)
    rows = _menu_filter(await intake.all_menu_items(), chain, layout)
    return rows[offset : offset + PAGE_SIZE], len(rows)


async def _menu_page(
    request: Request,
    services: ServicesDep,
    signed: SignedIn,
    chain: str,
    layout: str,
    offset: int,
    *,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    gathered = await gather({"menu": _menu(services.intake, chain, layout, offset)})
    rows, total = gathered.values["menu"] or ([], 0)
    context = {
        "items": rows,
        **paging(request, "/intake/menu-items", offset, total),
        "filters": {"chain": chain, "layout": layout},
        "writer": signed.role in WRITERS,
        "unavailable": gathered.unavailable,
        **extra,
    }
    return render(request, "intake/menu.html", context, status_code=status_code)


async def to_list(
    done: str,
    request: Request,
    services: ServicesDep,
    signed: SignedIn,
    call: Callable[[], Awaitable[object]],
    errors: dict[str, str],
    primary: str,
    values: dict[str, str],
) -> Response:
    """Send a form of the demands or the menu page (`done`: DEMANDS or MENU): back to that
    list when done, else the page again (unfiltered) with what was typed and the refusal
    beside its field."""
    if done == MENU:
        again = partial(_menu_page, request, services, signed, "", "", 0, values=values)
    else:
        again = partial(_demands_page, request, services, signed, "", 0, values=values)
    return await submit(request, call, errors=errors, primary=primary, done=done, again=again)


@router.get("/intake/menu-items")
async def menu_items(
    request: Request,
    services: ServicesDep,
    signed: MenuPage,
    chain: ChainFilter = "",
    layout: ChainFilter = "",
    offset: Offset = 0,
) -> Response:
    """The zone's menu (filter by chain and layout), and the form to publish an item."""
    return await _menu_page(request, services, signed, chain, layout, offset)


@router.post("/intake/menu-items")
async def add_menu_item(
    request: Request,
    services: ServicesDep,
    signed: Writer,
    fields: Annotated[MenuItemFields, Form()],
) -> Response:
    """Publish a menu item."""
    values = fields.values()
    errors = required(
        values,
        "title",
        "industry_chain",
        "layout_category",
        "published_on",
        dates=("published_on",),
    )
    body = fields.filled()
    return await to_list(
        MENU,
        request,
        services,
        signed,
        lambda: services.intake.publish_menu_item(body),
        errors,
        "title",
        values,
    )


@router.get("/intake/menu-items/export")
async def menu_export(
    request: Request,
    services: ServicesDep,
    signed: MenuPage,
    chain: ChainFilter = "",
    layout: ChainFilter = "",
) -> Response:
    """The menu, exactly as filtered, as an .xlsx workbook."""
    try:
        rows = _menu_filter(await services.intake.all_menu_items(), chain, layout)
    except ServiceUnavailable:
        return await _menu_page(request, services, signed, chain, layout, 0, status_code=503)
    lang = language(request)
    return workbook(
        request,
        "Menu items",
        MENU_HEADERS,
        [
            (
                m.title,
                labels.label(m.industry_chain, "industry_chain", lang),
                labels.label(m.layout_category, "layout_category", lang),
                m.description,
                m.published_on,
            )
            for m in rows
        ],
    )
