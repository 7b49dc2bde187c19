"""What the enclave's list pages share: columns shown and exported from one definition,
filters passed to the service as query parameters, pages of 50, the Excel export of every
filtered row, and the service's refusals as messages beside their fields."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from enclave_shared.auth import Role
from fastapi import Depends, Request, Response
from pydantic import BaseModel

from services.console import formatting, i18n, labels
from services.console.clients import FieldError, Services, ServiceUnavailable, gather
from services.console.clients.base import ServiceRefused
from services.console.deps import allow
from services.console.exports import Sheet, xlsx_response
from services.console.pages.lists import N_
from services.console.sessions import SignedIn
from services.console.web import error_page, language, render

PAGE_SIZE = 50
WRITERS = (Role.ENCLAVE_OPERATOR, Role.ADMIN)
# The forms and the moves: the district leader reads the same pages and gets none of them.
Writer = Depends(allow(*WRITERS))


NOT_READ = N_("This list could not be read.")
EXPORT_DOWN = N_("The export needs the incubation service, which is not available right now.")

# The services answer in English; a refused field is shown with the user's words for it.
FIELD_MESSAGES: dict[str, str] = {
    "title": N_("Give a title."),
    "industry_chain": N_("Choose an industry chain."),
    "enterprise": N_("Name the enterprise (for an order project, the demand's own)."),
    "enterprise_tag": N_("Choose the kind of target enterprise."),
    "demand_id": N_("Choose an R&D demand that no live project holds."),
    "menu_item_id": N_("Choose a menu item that no live project holds."),
    "layout_category": N_("This layout category does not fit the path or the menu item."),
    "registered_on": N_("Enter a real date."),
    "started_on": N_("The date cannot be before the project's previous stage."),
    "matured_on": N_("The date cannot be before the project's previous stage."),
    "dropped_on": N_("The date cannot be before the project's previous stage."),
    "stage": N_("The project's stage does not allow this move any more."),
    "from": N_("Enter a real date, not after the end date."),
    "to": N_("Enter a real date."),
    "matured_from": N_("Enter a real date, not after the end date."),
    "matured_to": N_("Enter a real date."),
    "transferred_from": N_("Enter a real date, not after the end date."),
    "transferred_to": N_("Enter a real date."),
    "project_id": N_("No project has this id."),
    "ambassador_id": N_("No talent ambassador has this id."),
    "attendance": N_("Enter a whole number, 0 or more."),
    "count": N_("Enter a whole number, 1 or more."),
}


# A 409 naming a field: the value is held by another record.
CONFLICT_MESSAGES: dict[str, str] = {
    "name": N_("An enterprise of this name is registered already."),
    "demand_id": N_("Another project has taken this item on."),
    "menu_item_id": N_("Another project has taken this item on."),
}


def field_message(exc: FieldError) -> str:
    """What to show beside the field a service refused."""
    if exc.status == 409 and exc.field in CONFLICT_MESSAGES:
        return CONFLICT_MESSAGES[exc.field]
    return FIELD_MESSAGES.get(exc.field, exc.message)


def can_write(signed: SignedIn) -> bool:
    """Whether the pages offer this user their forms and moves."""
    return signed.role in WRITERS


@dataclass(frozen=True)
class Column:
    """A column of a list: its header (English message id) and how a row gives its value."""

    header: str
    value: Callable[[Any], Any]
    label: str | None = None  # a labels.py kind: the code's label is shown
    link: Callable[[Any], str] | None = None


@dataclass(frozen=True)
class Listing:
    """A list of the incubation service as a page shows and exports it."""

    page: str  # the console page that shows it (its export is page + /export.xlsx)
    resource: str  # the service's path under /api/v1
    shape: type[BaseModel]
    columns: tuple[Column, ...]
    filters: tuple[str, ...]  # query parameters passed through to the service
    title: str  # English message id: the sheet's and the file's name


# Every list of records that can be voided ends with this column (filled only with
# `include_void`, the "show voided" toggle, as void records are left out otherwise).
VOID_COLUMN = Column(
    N_("Voided"), lambda r: "void" if getattr(r, "voided_at", None) else None, label="void_state"
)


def _shown(column: Column, row: Any, lang: str) -> str:
    raw = column.value(row)
    if column.label:
        return labels.label(raw, column.label, lang)
    return _text(raw, lang)


def _text(raw: Any, lang: str) -> str:
    gettext = i18n.translations(lang).gettext
    if raw is None or raw == "":
        return "—"
    if isinstance(raw, bool):
        return gettext("Yes") if raw else gettext("No")
    if isinstance(raw, int):
        return formatting.amount(raw)
    if isinstance(raw, date):
        return formatting.as_date(raw)
    if isinstance(raw, list):
        return "、".join(str(v) for v in raw) or "—"
    return str(raw)


def _exported(column: Column, row: Any) -> Any:
    raw = column.value(row)
    if column.label:
        return labels.label(raw, column.label, i18n.DEFAULT)
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, list):
        return "、".join(str(v) for v in raw)
    return raw


def filters_of(request: Request, listing: Listing) -> dict[str, str]:
    """The list's filters the request asks for (empty ones left out)."""
    found = {name: request.query_params.get(name, "").strip() for name in listing.filters}
    return {name: value for name, value in found.items() if value}


def offset_of(request: Request) -> int:
    """The first row of the page asked for."""
    raw = request.query_params.get("offset", "0")
    return max(0, min(int(raw), 2**31 - 1)) if raw.isdigit() else 0


async def list_page(
    request: Request,
    services: Services,
    signed: SignedIn,
    listing: Listing,
    template: str,
    *,
    calls: Mapping[str, Awaitable[Any]] | None = None,
    status_code: int = 200,
    **context: Any,
) -> Response:
    """A list page: one page of the filtered rows, and the other calls the page makes."""
    lang = language(request)
    filters = filters_of(request, listing)
    offset = offset_of(request)
    listed = services.incubation.page(
        listing.resource, listing.shape, filters, limit=PAGE_SIZE, offset=offset
    )
    gathered = await gather({"list": listed, **(calls or {})})
    rows, total = gathered.values["list"] or ([], 0)
    filter_errors: dict[str, str] = {}
    refusal = gathered.refused.get("list")
    if isinstance(refusal, FieldError):
        filter_errors[refusal.field] = field_message(refusal)
    elif refusal is not None:
        filter_errors["list"] = NOT_READ
    base = listing.page
    values = {
        "listing": listing,
        "headers": [c.header for c in listing.columns],
        "rows": [
            [(_shown(c, r, lang), c.link(r) if c.link else None) for c in listing.columns]
            for r in rows
        ],
        "items": rows,
        "total": total,
        "offset": offset,
        "page_size": PAGE_SIZE,
        "filters": filters,
        "filter_errors": filter_errors,
        "listed": gathered.values["list"] is not None,
        "page_url": base + "?" + urlencode(filters),
        "export_url": base + "/export.xlsx?" + urlencode(filters),
        "data": gathered.values,
        "unavailable": gathered.unavailable,
        "can_write": can_write(signed),
        **context,
    }
    return render(request, template, values, status_code=status_code)


async def export(request: Request, services: Services, listing: Listing) -> Response:
    """Every row the filters select, as an .xlsx with Chinese headers."""
    zh = i18n.translations(i18n.DEFAULT).gettext
    try:
        rows = await services.incubation.every(
            listing.resource, listing.shape, filters_of(request, listing)
        )
    except ServiceUnavailable:
        return error_page(request, 503, i18n.translations(language(request)).gettext(EXPORT_DOWN))
    except FieldError as exc:
        return error_page(request, 422, field_message(exc))
    except ServiceRefused:
        return error_page(request, 403, i18n.translations(language(request)).gettext(NOT_READ))
    sheet = Sheet(
        zh(listing.title),
        [zh(c.header) for c in listing.columns],
        ([_exported(c, r) for c in listing.columns] for r in rows),
    )
    return xlsx_response(f"{zh(listing.title)}.xlsx", [sheet])


def form_errors(exc: FieldError) -> dict[str, str]:
    """A refused field as the form's errors."""
    return {exc.field: field_message(exc)}
