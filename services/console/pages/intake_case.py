"""A case's page, the enterprise's one ledger (一企一台账): responsible body, stages, progress,
the "three ones" schedule, quiet days, the hotline's tickets; the stage moves and forms; the
ledger as one workbook."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Annotated, Any

from enclave_shared.auth import Role
from fastapi import Depends, Form, Request, Response
from pydantic import Field

from services.console.clients import ServiceRefused, Services, gather
from services.console.clients.intake import Case, Ledger
from services.console.deps import ServicesDep, allow, page_for
from services.console.pages import audit, page_router
from services.console.pages.intake_hotline import CaseTickets, CaseTicketsDep
from services.console.pages.intake_workbook import ledger_workbook
from services.console.pages.lists import (
    DayText,
    FormFields,
    LongText,
    ShortText,
    required,
    submit,
)
from services.console.sessions import SignedIn
from services.console.web import error_page, language, render


def stop_moves(case: Case) -> tuple[str, ...]:
    """The stop buttons the case's status allows (the service refuses the others)."""
    return {"active": ("suspend", "withdraw"), "suspended": ("resume", "withdraw")}.get(
        case.status, ()
    )


router = page_router()

CaseReader = Annotated[SignedIn, Depends(page_for("intake.board"))]
CaseWriter = Annotated[SignedIn, Depends(allow(Role.ZONE_OFFICER, Role.ADMIN))]
WRITERS = frozenset({Role.ZONE_OFFICER, Role.ADMIN})
MOVE_FIELD = {"signing": "signed_on", "construction": "started_on", "production": "started_on"}
HOTLINE_HIDDEN = "The hotline shows its tickets to hotline agents and the enterprise only."


def next_move(case: Case) -> str | None:
    """The one stage the case's colour allows next: signing or construction while red,
    production while yellow, none once blue."""
    if case.signed_on is None:
        return "signing"
    if case.construction_started_on is None:
        return "construction"
    if case.production_started_on is None:
        return "production"
    return None


async def ledger_context(
    services: Any, hotline: CaseTickets, case_id: str, *, officer: bool, lang: str = "zh-CN"
) -> dict[str, Any]:
    """What a ledger page shows (the officer's, or the enterprise's read-only one)."""
    calls = {
        "ledger": services.intake.ledger(case_id),
        "schedule": services.intake.schedule(case_id),
        "tickets": hotline.case_tickets(case_id=case_id),
        "returns": services.intake.return_page(case_id=case_id, kind=None, limit=500, offset=0),
    }
    if officer:
        calls["quiet"] = services.intake.quiet_days()
        calls["plan"] = services.intake.plan()
        calls["trail"] = audit.trail(services.intake, "case", case_id, lang)
    gathered = await gather(calls)
    schedule = gathered.values["schedule"] or []
    tickets_refused = gathered.refused.get("tickets")
    return {
        "ledger": gathered.values["ledger"],
        "missing": gathered.refused.get("ledger"),
        "schedule": schedule,
        "overdue": [s for s in schedule if s.status == "overdue"],
        "quiet": gathered.values.get("quiet"),
        "plan": gathered.values.get("plan"),
        "trail": gathered.values.get("trail"),
        "show_trail": officer,
        "tickets": gathered.values["tickets"],
        "case_returns": (gathered.values.get("returns") or ([], 0))[0],
        "tickets_hidden": isinstance(tickets_refused, ServiceRefused)
        and tickets_refused.status == 403,
        "unavailable": gathered.unavailable,
    }


async def _case_page(
    request: Request,
    services: ServicesDep,
    hotline: CaseTickets,
    signed: SignedIn,
    case_id: str,
    *,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    context = await ledger_context(services, hotline, case_id, officer=True, lang=language(request))
    missing = context["missing"]
    if context["ledger"] is None and isinstance(missing, ServiceRefused):
        return error_page(request, missing.status)
    ledger: Ledger | None = context["ledger"]
    writer = signed.role in WRITERS and ledger is not None and ledger.case.voided_at is None
    open_case = writer and ledger is not None and ledger.case.status != "withdrawn"
    context.update(
        writer=writer,
        move=next_move(ledger.case) if ledger and open_case else None,
        stop_moves=stop_moves(ledger.case) if ledger and writer else (),
        hotline_hidden=HOTLINE_HIDDEN,
        **extra,
    )
    return render(request, "intake/case.html", context, status_code=status_code)


@router.get("/intake/cases/{case_id}")
async def case_page(
    request: Request,
    case_id: str,
    services: ServicesDep,
    hotline: CaseTicketsDep,
    signed: CaseReader,
) -> Response:
    """The case's ledger, and the forms its state allows."""
    return await _case_page(request, services, hotline, signed, case_id)


@dataclass(frozen=True)
class CaseForm:
    """A form of the case page as posted by an officer: the request, the services that
    answer it, and the case whose page shows again with a refusal beside its field."""

    request: Request
    services: Services
    hotline: CaseTickets
    signed: SignedIn
    case_id: str

    async def submit(
        self, values: dict[str, str], errors: dict[str, str], primary: str, call: Any
    ) -> Response:
        """Send the form to the service; a refusal re-renders the page with it beside its
        field."""
        again = partial(
            _case_page,
            self.request,
            self.services,
            self.hotline,
            self.signed,
            self.case_id,
            values=values,
        )
        done = f"/intake/cases/{self.case_id}"
        return await submit(
            self.request, call, errors=errors, primary=primary, done=done, again=again
        )


async def _case_form(
    request: Request,
    case_id: str,
    services: ServicesDep,
    hotline: CaseTicketsDep,
    signed: CaseWriter,
) -> CaseForm:
    return CaseForm(request, services, hotline, signed, case_id)


CaseFormDep = Annotated[CaseForm, Depends(_case_form)]
"""A case page's form route's dependencies at once (an officer's, on the case in the path)."""


def _parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


async def _move(form: CaseForm, stage: str, day_text: str, enterprise: str = "") -> Response:
    field = MOVE_FIELD[stage]
    values = {field: day_text, "enterprise": enterprise}
    errors = required(values, field, dates=(field,))
    day = _parse_day(day_text)
    if day is None and not errors:
        errors = required({}, field, dates=(field,))

    async def call() -> None:
        assert day is not None
        extra = {"enterprise": enterprise.strip()} if stage == "signing" else {}
        await form.services.intake.move(form.case_id, stage, day, **extra)

    return await form.submit(values, errors, field, call)


class SigningFields(FormFields):
    """The signing form: the day, and the enterprise's name as signed."""

    signed_on: DayText = ""
    enterprise: ShortText = ""


class StartFields(FormFields):
    """The construction or the production form: the day it started."""

    started_on: DayText = ""


PersonText = Annotated[str, Field(max_length=200)]


class ResponsibleFields(FormFields):
    """The responsible body's form: the unit, its person and how to reach them."""

    unit: ShortText = ""
    person: PersonText = ""
    contact: PersonText = ""


class ProgressFields(FormFields):
    """A progress entry's form: its day, what happened, and the stage it belongs to."""

    happened_on: DayText = ""
    text: LongText = ""
    stage: Annotated[str, Field(max_length=20)] = ""


@router.post("/intake/cases/{case_id}/signing")
async def sign(form: CaseFormDep, fields: Annotated[SigningFields, Form()]) -> Response:
    """Record the signing (red stays red until construction starts)."""
    return await _move(form, "signing", fields.signed_on, fields.enterprise)


@router.post("/intake/cases/{case_id}/construction")
async def construction(form: CaseFormDep, fields: Annotated[StartFields, Form()]) -> Response:
    """Record the start of construction: yellow."""
    return await _move(form, "construction", fields.started_on)


@router.post("/intake/cases/{case_id}/production")
async def production(form: CaseFormDep, fields: Annotated[StartFields, Form()]) -> Response:
    """Record the start of production: blue."""
    return await _move(form, "production", fields.started_on)


@router.post("/intake/cases/{case_id}/responsible")
async def responsible(form: CaseFormDep, fields: Annotated[ResponsibleFields, Form()]) -> Response:
    """Name the responsible body (推进责任主体)."""
    values = fields.values()
    errors = required(values, "unit", "person")

    async def call() -> None:
        await form.services.intake.set_responsible(
            form.case_id,
            unit=fields.unit.strip(),
            person=fields.person.strip(),
            contact=fields.contact.strip(),
        )

    return await form.submit(values, errors, "unit", call)


@router.post("/intake/cases/{case_id}/progress")
async def progress(form: CaseFormDep, fields: Annotated[ProgressFields, Form()]) -> Response:
    """Add a dated progress entry to the ledger."""
    values = fields.values()
    errors = required(values, "happened_on", "text", dates=("happened_on",))

    async def call() -> None:
        await form.services.intake.add_progress(
            form.case_id,
            happened_on=fields.happened_on,
            text=fields.text.strip(),
            stage=fields.stage,
        )

    return await form.submit(values, errors, "text", call)


@router.get("/intake/cases/{case_id}/export")
async def case_export(
    request: Request,
    case_id: str,
    services: ServicesDep,
    hotline: CaseTicketsDep,
    signed: CaseReader,
) -> Response:
    """The case's whole ledger as one workbook (several sheets)."""
    context = await ledger_context(services, hotline, case_id, officer=False)
    if context["ledger"] is None:
        return await _case_page(request, services, hotline, signed, case_id, status_code=503)
    return ledger_workbook(context, request)
