"""What the list pages of every area share: the offset of a page in the query, the pager
and links that keep the filters, the one-sheet export of every filtered row, the form that
is sent or shown again with its errors, and the page naming a service that did not answer.

The enclave's lists of the incubation service are described once more generically in
enclave_lists.py (columns shown and exported from one definition)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Form, Query, Request, Response
from pydantic import BaseModel, Field

from services.console import labels
from services.console.clients import FieldError, ServiceRefused, ServiceUnavailable
from services.console.exports import Sheet, xlsx_response
from services.console.web import error_page, gettext_for, language, redirect

PAGE_SIZE = 20
Offset = Annotated[int, Query(ge=0, le=2**31 - 1)]

# The text fields of a form model (`FormFields`), by the most each may hold.
ShortText = Annotated[str, Field(max_length=300)]
LongText = Annotated[str, Field(max_length=5000)]
DayText = Annotated[str, Field(max_length=20)]
ReasonText = Annotated[str, Field(max_length=500)]
ReasonForm = Annotated[str, Form(max_length=500)]
"""A reason posted alone (a void form's), as a route's one form parameter."""


class FormFields(BaseModel):
    """A form's fields as posted, each "" when left out; a route takes it as
    `Annotated[TheForm, Form()]`. `values()` is what the page is shown again with."""

    def values(self) -> dict[str, str]:
        """Every field by name, as posted (in the order the model declares them)."""
        return {name: str(value) for name, value in self.model_dump().items()}

    def filled(self) -> dict[str, str]:
        """The fields filled in, trimmed: what a form sends to its service."""
        return {name: text.strip() for name, text in self.values().items() if text.strip()}


def N_(message: str) -> str:
    """Mark an English message id for the catalog; it is translated when shown."""
    return message


CHOOSE_A_DATE = "Choose a date."
FILL_THIS_IN = "Fill this in."
DATE_BEFORE_PREVIOUS = "This date is before the previous stage's date."
ALREADY_RECORDED = "This stage is already recorded."
SERVICE_DOWN = "%(service)s is not available right now; what it shows is missing from this page."
MESSAGES = (CHOOSE_A_DATE, FILL_THIS_IN, DATE_BEFORE_PREVIOUS, ALREADY_RECORDED, SERVICE_DOWN)


@dataclass
class Pager:
    """Where a page of a list is: its offset, size and the list's total."""

    offset: int
    total: int
    param: str = "offset"
    size: int = PAGE_SIZE

    @property
    def previous(self) -> int | None:
        return max(self.offset - self.size, 0) if self.offset > 0 else None

    @property
    def next(self) -> int | None:
        return self.offset + self.size if self.offset + self.size < self.total else None


def url_with(request: Request, **changes: object) -> str:
    """This page's URL with some query parameters changed (None drops one)."""
    query = dict(request.query_params)
    for name, value in changes.items():
        if value is None or value == "":
            query.pop(name, None)
        else:
            query[name] = str(value)
    return request.url.path + ("?" + urlencode(query) if query else "")


def paging(request: Request, page: str, offset: int, total: int) -> dict[str, Any]:
    """A paged list's part of its page: the pager, links that keep the filters, and the
    export of the same filters (`page` + /export)."""
    return {
        "paging": Pager(offset=offset, total=total),
        "url_with": lambda **changes: url_with(request, **changes),
        "export_url": export_url(request, page),
    }


def export_url(request: Request, page: str, offsets: tuple[str, ...] = ("offset",)) -> str:
    """The export of `page` (`page` + /export) with this request's filters, not its offsets."""
    dropped = dict.fromkeys(offsets)
    return url_with(request, **dropped).replace(page, page + "/export", 1)


def workbook(
    request: Request,
    title: str,
    headers: Iterable[str],
    rows: Iterable[Sequence[Any]],
    *,
    filename: str | None = None,
) -> Response:
    """One sheet of rows as an .xlsx download: its name and headers in the user's language,
    the file named after the sheet unless `filename` says otherwise."""
    _ = gettext_for(request)
    sheet = Sheet(_(title), [_(h) for h in headers], rows)
    return xlsx_response(filename or _(title) + ".xlsx", [sheet])


def refusal_errors(exc: ServiceRefused, primary: str) -> dict[str, str]:
    """A service's refusal as {field: message}, beside the field it names (or `primary`)."""
    field = exc.field if isinstance(exc, FieldError) else primary
    message = exc.message
    if exc.status == 422 and "before" in message:
        message = DATE_BEFORE_PREVIOUS
    elif exc.status == 409 and ("already" in message or "once" in message):
        message = ALREADY_RECORDED
    return {field: message}


def required(values: dict[str, str], *names: str, dates: tuple[str, ...] = ()) -> dict[str, str]:
    """The fields left empty, each with what to do."""
    return {
        name: CHOOSE_A_DATE if name in dates else FILL_THIS_IN
        for name in names
        if not values.get(name, "").strip()
    }


async def submit(
    request: Request,
    call: Callable[[], Awaitable[object]],
    *,
    errors: dict[str, str],
    primary: str,
    done: str,
    again: Callable[..., Awaitable[Response]],
) -> Response:
    """Send a form's call unless `errors` already holds a missing field: on success go to
    `done`; else `again(status_code=, errors=)` shows the form once more (422 with the
    refusal beside its field, or 503 while the service does not answer)."""
    status_code = 422
    if not errors:
        try:
            await call()
        except ServiceUnavailable:
            status_code = 503  # the page names the service in its banner
        except ServiceRefused as exc:
            errors = refusal_errors(exc, primary)
        else:
            return redirect(request, done)
    return await again(status_code=status_code, errors=errors)


def voiding(
    reason: str,
    field: str,
    send: Callable[[str], Awaitable[object]],
    *,
    missing: str = FILL_THIS_IN,
) -> tuple[dict[str, str], Callable[[], Awaitable[None]]]:
    """A void form's part: the error (`missing`) beside `field` when no reason is given, and
    the call that sends the trimmed reason (`send(reason)`, the service's `DELETE`)."""
    errors = {field: missing} if not reason.strip() else {}

    async def call() -> None:
        await send(reason.strip())

    return errors, call


def unavailable_page(request: Request, exc: ServiceUnavailable) -> Response:
    """The error page naming a service that did not answer (for exports and forms)."""
    t = gettext_for(request)
    name = labels.label(exc.service, "service", language(request))
    return error_page(request, 503, t(SERVICE_DOWN) % {"service": name})
