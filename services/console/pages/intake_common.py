"""What the intake and enterprise pages share: paging, links that keep the filters, the
field errors of a refused form in the user's words."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import Request

from services.console.clients import FieldError, ServiceRefused

PAGE_SIZE = 20

CHOOSE_A_DATE = "Choose a date."
FILL_THIS_IN = "Fill this in."
DATE_BEFORE_PREVIOUS = "This date is before the previous stage's date."
ALREADY_RECORDED = "This stage is already recorded."
MESSAGES = (CHOOSE_A_DATE, FILL_THIS_IN, DATE_BEFORE_PREVIOUS, ALREADY_RECORDED)


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
