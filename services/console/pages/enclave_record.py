"""One enclave record's page — a talent, an agreement, an activity, a training record, an HQ
enterprise — with its facts, its history (the audit trail), and for an operator the form
that corrects it (the correctable fields, a reason) and the one that voids it (a reason and
a confirmation). The project's page (enclave.py) uses the same correction and void."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel

from services.console import i18n
from services.console.clients import FieldError, Services, ServiceUnavailable, gather
from services.console.clients.base import ServiceRefused
from services.console.clients.incubation import (
    Activity,
    Agreement,
    HqEnterprise,
    Project,
    Talent,
    Training,
)
from services.console.deps import ServicesDep, allow, form_value
from services.console.menu import ENCLAVE
from services.console.pages import audit, page_router
from services.console.pages.enclave_lists import Writer, can_write, field_message
from services.console.pages.enclave_picks import picks
from services.console.pages.enclave_records import (
    ACTIVITY_FIELDS,
    HQ_FIELDS,
    TRAINING_FIELDS,
    Field,
    options,
)
from services.console.pages.lists import N_, voiding
from services.console.sessions import SignedIn
from services.console.web import error_page, language, redirect, render

router = page_router()
Reader = Depends(allow(*ENCLAVE))

NOT_FOUND = N_("No such record.")
NOTHING_CHANGED = N_("Nothing changed: edit a field before saving the correction.")
REASON_NEEDED = N_("Give the reason.")
CONFIRM_NEEDED = N_("Tick the box to confirm.")
OUT_OF_ORDER = N_("%(value)s cannot come after the next stage's date, %(next)s.")
REFUSED = N_("The service did not accept this: the record may have been voided meanwhile.")


@dataclass(frozen=True)
class RecordKind:
    """A kind of record: where it lives, what its page shows and what can be corrected.

    Field kinds are those of enclave_records.Field, plus `lines` (a list, one a line) and
    `ids` (a list of ids, separated by spaces or commas)."""

    page: str  # the console's list page; a record is page/{id}
    resource: str  # the service's path under /api/v1
    shape: type[BaseModel]
    entity: str  # the audit trail's name of the record
    heading: str  # message id
    title: Callable[[Any], str]
    facts: tuple[Field, ...]
    editable: tuple[Field, ...]
    nullable: frozenset[str] = frozenset()


TALENT = RecordKind(
    "/enclave/talents",
    "talents",
    Talent,
    "talent",
    N_("Talent"),
    lambda t: t.name,
    facts=(Field("recruited_on", N_("Recruited on"), "date"),),
    editable=(
        Field("name", N_("Name")),
        Field("level", N_("Level"), "talent_level"),
        Field("field", N_("Field or specialty")),
        Field("ambassador_id", N_("Talent ambassador id (if any)")),
        Field("recruited_on", N_("Recruited on"), "date"),
    ),
    nullable=frozenset({"ambassador_id"}),
)
AGREEMENT = RecordKind(
    "/enclave/agreements",
    "agreements",
    Agreement,
    "agreement",
    N_("Agreement"),
    lambda a: a.partner,
    facts=(),
    editable=(
        Field("partner", N_("Partner")),
        Field("kind", N_("Kind"), "agreement_kind"),
        Field("in_gba", N_("In the Greater Bay Area"), "yesno"),
        Field("signed_on", N_("Signed on"), "date"),
        Field("project_ids", N_("Projects it led to (ids)"), "ids"),
        Field("note", N_("Note"), "textarea"),
    ),
)
ACTIVITY = RecordKind(
    "/enclave/activities",
    "activities",
    Activity,
    "activity",
    N_("Activity"),
    lambda a: a.title,
    facts=(),
    editable=ACTIVITY_FIELDS,
    nullable=frozenset({"place"}),
)
TRAINING = RecordKind(
    "/enclave/training",
    "trainings",
    Training,
    "record",
    N_("Training record"),
    lambda t: str(t.completed_on),
    facts=(),
    editable=TRAINING_FIELDS,
)
HQ = RecordKind(
    "/enclave/hq-enterprises",
    "hq-enterprises",
    HqEnterprise,
    "enterprise",
    N_("HQ-economy enterprise"),
    lambda e: e.name,
    facts=(),
    editable=HQ_FIELDS,
    nullable=frozenset({"industry_chain", "agreement_id"}),
)
PROJECT = RecordKind(
    "/enclave/projects",
    "projects",
    Project,
    "project",
    N_("Project"),
    lambda p: p.title,
    facts=(),
    editable=(
        Field("title", N_("Project title")),
        Field("description", N_("Description"), "textarea"),
        Field("team_members", N_("Team members (one a line)"), "lines"),
        Field("team_talent_ids", N_("Team members who are enclave talents (ids)"), "ids"),
        Field("industry_chain", N_("Industry chain"), "chain"),
        Field("layout_category", N_("Layout category (三新两大)"), "layout_category"),
        Field("registered_on", N_("Registered on"), "date"),
    ),
    nullable=frozenset({"layout_category"}),
)
KINDS = (TALENT, AGREEMENT, ACTIVITY, TRAINING, HQ)


def shown(value: Any) -> str:
    """A record's value as its form field holds it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(getattr(value, "value", value))


def current_values(kind: RecordKind, row: Any) -> dict[str, str]:
    """The form's values: the record as it stands."""
    return {f.name: shown(getattr(row, f.name, None)) for f in kind.editable}


def _parsed(field: Field, text: str) -> Any:
    if field.kind == "yesno":
        return text == "true"
    if field.kind == "number":
        return int(text) if text.lstrip("-").isdigit() else text
    if field.kind == "lines":
        parts = text.replace("，", ",").replace("、", ",").replace("\n", ",").split(",")
        return [p.strip() for p in parts if p.strip()]
    if field.kind == "ids":
        return [p for p in text.replace(",", " ").split() if p]
    return text


def changes(kind: RecordKind, row: Any, form: Any) -> dict[str, Any]:
    """The fields the form changed, as the service's correction takes them."""
    changed: dict[str, Any] = {}
    for field in kind.editable:
        text = (
            form_value(form, field.name)
            if field.kind != "lines"
            else str(form.get(field.name) or "").strip()
        )
        before = shown(getattr(row, field.name, None))
        if field.kind in ("lines", "ids"):
            if _parsed(field, text) != _parsed(field, before):
                changed[field.name] = _parsed(field, text)
        elif text != before:
            if text == "" and field.name not in kind.nullable:
                continue  # a field that cannot be cleared: left as it is
            changed[field.name] = None if text == "" else _parsed(field, text)
    return changed


def _message(request: Request, exc: FieldError) -> str:
    """What to show beside a refused field: for dates out of order, the two dates (the
    service names both), else the list pages' words for the field."""
    dates = re.findall(r"\d{4}-\d{2}-\d{2}", exc.message)
    if exc.status == 422 and "would be after" in exc.message and len(dates) == 2:
        gettext = i18n.translations(language(request)).gettext
        return str(gettext(OUT_OF_ORDER)) % {"value": dates[0], "next": dates[1]}
    return field_message(exc)


async def record_context(
    request: Request, services: Services, kind: RecordKind, record_id: str
) -> tuple[Any, dict[str, Any]]:
    """The record (None if it could not be read) and what its page shows."""
    gathered = await gather(
        {
            "row": services.incubation.get(f"{kind.resource}/{record_id}", kind.shape),
            "trail": audit.trail(services.incubation, kind.entity, record_id, language(request)),
            "chains": services.incubation.industry_chains(),
            "picks": picks(services, kind.editable),
        }
    )
    row = gathered.values["row"]
    refusal = gathered.refused.get("row")
    missing = isinstance(refusal, ServiceRefused) and refusal.status == 404
    return (None if missing else row), {
        "row": row,
        "kind": kind,
        "trail": gathered.values["trail"],
        "data": {"chains": gathered.values["chains"], "picks": gathered.values["picks"]},
        "options": options,
        "unavailable": gathered.unavailable,
    }


async def correct(
    request: Request, services: Services, kind: RecordKind, row: Any
) -> tuple[dict[str, str], dict[str, str]]:
    """Send the form's correction; the errors to show beside the fields (none: done) and
    the values typed."""
    form = await request.form()
    values = {f.name: str(form.get(f.name) or "").strip() for f in kind.editable}
    values["correction_reason"] = form_value(form, "correction_reason")
    body = changes(kind, row, form)
    if not values["correction_reason"]:
        return {"correction_reason": REASON_NEEDED}, values
    if not body:
        return {"correction": NOTHING_CHANGED}, values
    try:
        await services.incubation.correct(
            f"{kind.resource}/{row.id}", kind.shape, {**body, "reason": values["correction_reason"]}
        )
    except FieldError as exc:
        where = "correction_reason" if exc.field == "reason" else exc.field
        return {where: _message(request, exc)}, values
    except ServiceRefused:
        return {"correction": REFUSED}, values
    return {}, values


async def void(request: Request, services: Services, kind: RecordKind, row: Any) -> dict[str, str]:
    """Send the void; the errors to show (none: done)."""
    form = await request.form()
    path = f"{kind.resource}/{row.id}"
    errors, call = voiding(
        form_value(form, "void_reason"),
        "void_reason",
        lambda why: services.incubation.void(path, kind.shape, why),
        missing=REASON_NEEDED,
    )
    if errors:
        return errors
    if form_value(form, "confirm") != "yes":
        return {"confirm": CONFIRM_NEEDED}
    try:
        await call()
    except FieldError as exc:
        return {"void_reason": field_message(exc)}
    except ServiceRefused:
        return {"void": REFUSED}
    return {}


async def _page(
    request: Request,
    services: Services,
    signed: SignedIn,
    kind: RecordKind,
    record_id: str,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    row, context = await record_context(request, services, kind, record_id)
    if row is None:
        return error_page(request, 404 if not context["unavailable"] else 503, NOT_FOUND)
    context.update(
        errors=errors or {},
        values=values or current_values(kind, row),
        can_write=can_write(signed) and row.voided_at is None,
    )
    return render(request, "enclave/record.html", context, status_code=status_code)


# A form's action on a record: the errors to show beside its fields (none: done) and the
# values typed (None: the record's own).
Action = Callable[
    [Request, Services, RecordKind, Any], Awaitable[tuple[dict[str, str], dict[str, str] | None]]
]


async def void_action(
    request: Request, services: Services, kind: RecordKind, row: Any
) -> tuple[dict[str, str], None]:
    """`void` as an Action (its form keeps no values)."""
    return await void(request, services, kind, row), None


async def _send(
    request: Request,
    services: Services,
    signed: SignedIn,
    kind: RecordKind,
    record_id: str,
    action: Action,
) -> Response:
    """Run a form's action (correct, void) on the record: back to its page when done, the
    page with the errors beside the fields when refused."""
    row, _context = await record_context(request, services, kind, record_id)
    if row is None:
        return error_page(request, 404, NOT_FOUND)
    try:
        errors, values = await action(request, services, kind, row)
    except ServiceUnavailable:
        return await _page(request, services, signed, kind, record_id, status_code=503)
    if errors:
        return await _page(
            request,
            services,
            signed,
            kind,
            record_id,
            errors=errors,
            values=values,
            status_code=422,
        )
    return redirect(request, f"{kind.page}/{record_id}")


def _mount(target: APIRouter, kind: RecordKind) -> None:
    """A record's page, and the POSTs of its correction and its void."""
    base = kind.page + "/{record_id}"

    async def show(
        request: Request, record_id: str, services: ServicesDep, signed: SignedIn = Reader
    ) -> Response:
        return await _page(request, services, signed, kind, record_id)

    async def correct_(
        request: Request, record_id: str, services: ServicesDep, signed: SignedIn = Writer
    ) -> Response:
        return await _send(request, services, signed, kind, record_id, correct)

    async def void_(
        request: Request, record_id: str, services: ServicesDep, signed: SignedIn = Writer
    ) -> Response:
        return await _send(request, services, signed, kind, record_id, void_action)

    show.__doc__ = f"{kind.heading}: its facts, history, correction and void."
    target.add_api_route(base, show, methods=["GET"])
    target.add_api_route(base + "/correct", correct_, methods=["POST"])
    target.add_api_route(base + "/void", void_, methods=["POST"])


for _kind in KINDS:
    _mount(router, _kind)
