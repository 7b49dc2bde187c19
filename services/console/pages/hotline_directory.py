"""The hotline's departments directory (部门名录) and its figures (考核指标) pages: the agents
keep the directory; the figures of a period, overall and per department ranked."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Request, Response

from services.console.clients import (
    FieldError,
    ServiceRefused,
    Services,
    ServiceUnavailable,
    gather,
)
from services.console.deps import ServicesDep, form_value, page_for
from services.console.pages import page_router
from services.console.pages.hotline import calendar_warning, category_codes
from services.console.pages.lists import N_ as _
from services.console.pages.lists import unavailable_page
from services.console.sessions import SignedIn
from services.console.web import error_page, redirect, render

router = page_router()

DirectoryPage = Annotated[SignedIn, Depends(page_for("hotline.departments"))]
FiguresPage = Annotated[SignedIn, Depends(page_for("hotline.figures"))]

DEPARTMENT_MESSAGES = {
    "code": _("A code is letters, digits, dots, dashes and underscores, and not taken."),
    "name": _("Give the department's name (another department may not have it)."),
    "categories": _("Choose the categories among the hotline's."),
    "contact": _("The contact is too long."),
}
RATES = (
    "on_time_sign_rate",
    "on_time_resolve_rate",
    "resolve_rate",
    "revisit_rate",
    "satisfaction_rate",
    "reopen_rate",
)


async def _directory_page(
    request: Request, services: Services, status_code: int = 200, **context: Any
) -> Response:
    gathered = await gather(
        {
            "departments": services.hotline.departments(),
            "categories": services.hotline.categories(),
            "calendar": calendar_warning(request, services),
        }
    )
    values = {
        "calendar": gathered.values["calendar"],
        "departments": gathered.values["departments"] or [],
        "categories": category_codes(gathered.values["categories"]),
        "unavailable": gathered.unavailable,
        "values": {},
        "errors": {},
        **context,
    }
    return render(request, "hotline/departments.html", values, status_code=status_code)


@router.get("/hotline/departments")
async def departments(request: Request, services: ServicesDep, _signed: DirectoryPage) -> Response:
    """The directory: each department, its contact and categories; the form to add one."""
    return await _directory_page(request, services)


@router.post("/hotline/departments")
async def add_department(
    request: Request, services: ServicesDep, _signed: DirectoryPage
) -> Response:
    """Add a department; a refused field shows beside it, the rest kept."""
    form = await request.form()
    values = {name: form_value(form, name) for name in ("code", "name", "contact")}
    chosen = [c for c in form.getlist("categories") if isinstance(c, str)]
    body: dict[str, Any] = {"code": values["code"], "name": values["name"], "categories": chosen}
    if values["contact"]:
        body["contact"] = values["contact"]
    try:
        await services.hotline.add_department(body)
    except FieldError as exc:
        errors = {exc.field: DEPARTMENT_MESSAGES.get(exc.field, exc.message)}
        return await _directory_page(
            request, services, 422, values={**values, "categories": chosen}, errors=errors
        )
    except ServiceUnavailable as exc:
        return unavailable_page(request, exc)
    return redirect(request, "/hotline/departments")


@router.post("/hotline/departments/{code}/active")
async def toggle_department(
    request: Request, code: str, services: ServicesDep, _signed: DirectoryPage
) -> Response:
    """Take a department out of routing, or back into it."""
    form = await request.form()
    try:
        current = next((d for d in await services.hotline.departments() if d.code == code), None)
        if current is None:
            return error_page(request, 404)
        body = {
            "name": current.name,
            "contact": current.contact,
            "categories": current.categories,
            "active": form_value(form, "active") == "yes",
        }
        await services.hotline.update_department(code, body)
    except ServiceUnavailable as exc:
        return unavailable_page(request, exc)
    except ServiceRefused as exc:
        return error_page(request, exc.status)
    return redirect(request, "/hotline/departments")


def _period(value: str) -> str:
    """A date of the period's form as the service takes it ('' when not a date)."""
    try:
        return date.fromisoformat(value.strip()).isoformat() if value.strip() else ""
    except ValueError:
        return ""


@router.get("/hotline/figures")
async def figures(
    request: Request,
    services: ServicesDep,
    _signed: FiguresPage,
    to: str = "",
) -> Response:
    """The figures of the tickets opened in a period (`from`, `to`), overall and per
    department, ranked."""
    start = _period(request.query_params.get("from", ""))
    end = _period(to)
    params = {k: v for k, v in (("from", start), ("to", end)) if v}
    errors: dict[str, str] = {}
    gathered = await gather(
        {
            "report": services.hotline.figures(params),
            "calendar": calendar_warning(request, services),
        }
    )
    refused = gathered.refused.get("report")
    if isinstance(refused, FieldError):
        errors["from"] = _("The start of the period may not be after its end.")
        if refused.field != "from":
            errors["from"] = refused.message
    elif refused is not None:
        raise refused
    context = {
        "report": gathered.values["report"],
        "calendar": gathered.values["calendar"],
        "rates": RATES,
        "query": {"from": start, "to": end},
        "unavailable": gathered.unavailable,
    }
    status = 422 if errors else 200
    return render(
        request, "hotline/figures.html", {**context, "errors": errors}, status_code=status
    )
