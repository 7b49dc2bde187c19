"""The case page's corrections and stops: correct the responsible body, the plot or a
milestone date (with a reason), void the case, suspend / resume / withdraw it, and place
the enterprise on a plot of the base's plan. Each form posts here and comes back to the
case page, with a refusal beside its field."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Response

from services.console.clients import FieldError
from services.console.pages import page_router
from services.console.pages.intake_case import CaseForm, CaseFormDep, _parse_day
from services.console.pages.intake_support import ledger_header_changes
from services.console.pages.lists import (
    CHOOSE_A_DATE,
    DayText,
    FormFields,
    ReasonForm,
    ReasonText,
    ShortText,
    required,
    voiding,
)

router = page_router()

Day = Annotated[str, Form(max_length=20)]

MILESTONES = ("signed_on", "construction_started_on", "production_started_on")


class CorrectionFields(FormFields):
    """The case's correction form: a reason, the milestone dates, the responsible body and
    the ledger's header, each as it stands on the page."""

    reason: ReasonText = ""
    signed_on: DayText = ""
    construction_started_on: DayText = ""
    production_started_on: DayText = ""
    responsible_unit: ShortText = ""
    responsible_person: ShortText = ""
    investment: ShortText = ""
    planned_jobs: ShortText = ""
    expected_output: ShortText = ""


@router.post("/intake/cases/{case_id}/correct")
async def correct(form: CaseFormDep, fields: Annotated[CorrectionFields, Form()]) -> Response:
    """Correct what the form changed (each field sent as it stands on the page; the
    service takes only the fields that differ)."""
    values = fields.values()
    errors = required(values, "reason")

    async def call() -> None:
        case = await form.services.intake.case(form.case_id)
        body: dict[str, Any] = {"reason": fields.reason.strip()}
        for name in MILESTONES:
            text = values[name].strip()
            if text and getattr(case, name) is not None:
                day = _parse_day(text)
                if day is None:
                    raise FieldError("intake", 422, CHOOSE_A_DATE, name)
                if day != getattr(case, name):
                    body[name] = day.isoformat()
        for name in ("responsible_unit", "responsible_person"):
            text = values[name].strip()
            if text and text != getattr(case, name):
                body[name] = text
        body.update(ledger_header_changes(case, values))
        await form.services.intake.correct_case(form.case_id, body)

    return await form.submit(values, errors, "reason", call)


@router.post("/intake/cases/{case_id}/void")
async def void(form: CaseFormDep, void_reason: ReasonForm = "") -> Response:
    """Void the case (entered by mistake)."""
    values = {"void_reason": void_reason}
    errors, call = voiding(
        void_reason,
        "void_reason",
        lambda why: form.services.intake.void("cases", form.case_id, why),
    )
    return await form.submit(values, errors, "void_reason", call)


async def _stop(
    form: CaseForm, move: str, day_field: str, day: str, reason: str | None
) -> Response:
    values = {day_field: day, "stop_reason": reason or ""}
    names = (day_field, "stop_reason") if reason is not None else (day_field,)
    errors = required(values, *names, dates=(day_field,))
    parsed = _parse_day(day)
    if parsed is None and not errors:
        errors = {day_field: CHOOSE_A_DATE}

    async def call() -> None:
        assert parsed is not None
        body: dict[str, Any] = {day_field: parsed.isoformat()}
        if reason is not None:
            body["reason"] = reason.strip()
        await form.services.intake.stop(form.case_id, move, body)

    return await form.submit(values, errors, day_field, call)


@router.post("/intake/cases/{case_id}/suspend")
async def suspend(
    form: CaseFormDep, suspended_on: Day = "", stop_reason: ReasonForm = ""
) -> Response:
    """Suspend the case: no three-ones meetings owed, grey on the board and the wall."""
    return await _stop(form, "suspend", "suspended_on", suspended_on, stop_reason)


@router.post("/intake/cases/{case_id}/resume")
async def resume(form: CaseFormDep, resumed_on: Day = "") -> Response:
    """Resume the suspended case: its meetings are owed again."""
    return await _stop(form, "resume", "resumed_on", resumed_on, None)


@router.post("/intake/cases/{case_id}/withdraw")
async def withdraw(
    form: CaseFormDep, withdrawn_on: Day = "", stop_reason: ReasonForm = ""
) -> Response:
    """Withdraw the case: the enterprise did not land; closed, kept in history."""
    return await _stop(form, "withdraw", "withdrawn_on", withdrawn_on, stop_reason)


@router.post("/intake/cases/{case_id}/plot")
async def plot(form: CaseFormDep, plot_id: Annotated[str, Form(max_length=40)] = "") -> Response:
    """Place the enterprise on a plot of the base's plan (empty: unplaced)."""
    values = {"plot_id": plot_id}

    async def call() -> None:
        await form.services.intake.set_plot(form.case_id, plot_id.strip() or None)

    return await form.submit(values, {}, "plot_id", call)
