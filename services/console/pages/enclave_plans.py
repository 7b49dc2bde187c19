"""The enclave's work plans (有计划): the items of its monthly plans (filtered list, export,
the form that adds one), the months closed with their results (the form that closes one,
refused naming the items still planned), and each item's and closing's page (correct: mark
done, late or dropped; void). The list and record machinery is enclave_records' and
enclave_record's; this module describes the two kinds and adds the month's closing."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request, Response

from services.console import i18n
from services.console.clients import FieldError, Services, ServiceUnavailable
from services.console.clients.incubation import PlanItem, PlanMonth
from services.console.deps import ServicesDep, form_value, page_for
from services.console.pages import page_router
from services.console.pages.enclave_lists import (
    VOID_COLUMN,
    Column,
    Listing,
    Writer,
    export,
    form_errors,
    list_page,
)
from services.console.pages.enclave_record import RecordKind
from services.console.pages.enclave_record import _mount as mount_record
from services.console.pages.enclave_records import Field, RecordPage, options
from services.console.pages.lists import N_
from services.console.sessions import SignedIn
from services.console.web import language, redirect

router = page_router()

PATH = "/enclave/plans"
MONTHS_PATH = "/enclave/plan-months"
MONTHS_SHOWN = 24  # the latest closed months shown under the list

PLANS = RecordPage(
    key="enclave.plans",
    heading=N_("Work plans"),
    listing=Listing(
        page=PATH,
        resource="plan-items",
        shape=PlanItem,
        columns=(
            Column(N_("Plan item"), lambda i: i.title, link=lambda i: f"{PATH}/{i.id}"),
            Column(N_("Owner"), lambda i: i.owner),
            Column(N_("Due month"), lambda i: i.due_month),
            Column(N_("Status"), lambda i: i.status, label="plan_item_status"),
            Column(N_("Done on"), lambda i: i.done_on),
            Column(N_("Five-year plan goal"), lambda i: i.goal),
            VOID_COLUMN,
        ),
        filters=("due_month", "status", "owner", "include_void"),
        title=N_("Work plans"),
    ),
    filters=(
        Field("due_month", N_("Due month"), "month"),
        Field("status", N_("Status"), "plan_item_status"),
        Field("owner", N_("Owner")),
    ),
    fields=(
        Field("title", N_("Plan item")),
        Field("owner", N_("Owner")),
        Field("due_month", N_("Due month"), "month"),
        Field("goal", N_("Five-year plan goal"), "textarea"),
        Field("note", N_("Note"), "textarea"),
    ),
    add=N_("Add to the plan"),
)
CLOSING = (
    Field("month", N_("Month"), "month"),
    Field("results", N_("Results"), "textarea"),
    Field("closed_on", N_("Closed on"), "date"),
)

PLAN_ITEM = RecordKind(
    PATH,
    "plan-items",
    PlanItem,
    "item",
    N_("Plan item"),
    lambda i: i.title,
    facts=(),
    editable=(
        Field("title", N_("Plan item")),
        Field("owner", N_("Owner")),
        Field("due_month", N_("Due month (YYYY-MM)")),
        Field("status", N_("Status"), "plan_item_status"),
        Field("done_on", N_("Done on"), "date"),
        Field("goal", N_("Five-year plan goal"), "textarea"),
        Field("note", N_("Note"), "textarea"),
    ),
    nullable=frozenset({"done_on"}),
)
PLAN_MONTH = RecordKind(
    MONTHS_PATH,
    "plan-months",
    PlanMonth,
    "closing",
    N_("Closed month"),
    lambda m: m.month,
    facts=(Field("month", N_("Month")), Field("closed_on", N_("Closed on"), "date")),
    editable=(Field("results", N_("Results"), "textarea"),),
)

Reader = Depends(page_for(PLANS.key))

STILL_PLANNED = N_("Still planned this month (mark them done, late or dropped): %(items)s")
ALREADY_CLOSED = N_("This month's plan is already closed.")
MONTH_CLOSED = N_("This month's plan is closed: its items can no longer change.")


def _errors(request: Request, exc: FieldError) -> dict[str, str]:
    """The form's errors: the items still planned named in the user's language."""
    if exc.status == 409 and exc.field == "month":
        if "still planned" in exc.message and ": " in exc.message:
            items = exc.message.split(": ", 1)[1].replace("; ", "、")
            gettext = i18n.translations(language(request)).gettext
            return {"month": str(gettext(STILL_PLANNED)) % {"items": items}}
        return {"month": ALREADY_CLOSED}
    if exc.status == 409 and exc.field == "due_month":
        return {"due_month": MONTH_CLOSED}
    return form_errors(exc)


async def _show(
    request: Request, services: Services, signed: SignedIn, *, status_code: int = 200, **kw: Any
) -> Response:
    months = services.incubation.page("plan-months", PlanMonth, {}, limit=MONTHS_SHOWN, offset=0)
    return await list_page(
        request,
        services,
        signed,
        PLANS.listing,
        "enclave/plans.html",
        calls={"months": months},
        status_code=status_code,
        spec=PLANS,
        closing=CLOSING,
        months_path=MONTHS_PATH,
        options=options,
        **kw,
    )


async def _post(
    request: Request, services: Services, signed: SignedIn, resource: str, fields: Any, shape: Any
) -> Response:
    form = await request.form()
    values = {f.name: form_value(form, f.name) for f in fields}
    try:
        await services.incubation.post(resource, shape, values)
    except FieldError as exc:
        errors = _errors(request, exc)
        return await _show(request, services, signed, status_code=422, errors=errors, values=values)
    except ServiceUnavailable:
        return await _show(request, services, signed, status_code=503, values=values)
    return redirect(request, PATH)


@router.get(PATH)
async def plans(request: Request, services: ServicesDep, signed: SignedIn = Reader) -> Response:
    """The work plans: the items (filtered), the closed months, the forms."""
    return await _show(request, services, signed)


@router.get(PATH + "/export.xlsx")
async def plans_export(
    request: Request, services: ServicesDep, _signed: SignedIn = Reader
) -> Response:
    """The filtered plan items as an .xlsx."""
    return await export(request, services, PLANS.listing)


@router.post(PATH)
async def add_item(request: Request, services: ServicesDep, signed: SignedIn = Writer) -> Response:
    """Add an item to a month's plan."""
    return await _post(request, services, signed, "plan-items", PLANS.fields, PlanItem)


@router.post(PATH + "/close")
async def close_month(
    request: Request, services: ServicesDep, signed: SignedIn = Writer
) -> Response:
    """Close a month's plan with its results."""
    return await _post(request, services, signed, "plan-months", CLOSING, PlanMonth)


@router.get(MONTHS_PATH)
async def months(request: Request, _signed: SignedIn = Reader) -> Response:
    """The closed months are listed on the plans page."""
    return redirect(request, PATH)


mount_record(router, PLAN_ITEM)
mount_record(router, PLAN_MONTH)
