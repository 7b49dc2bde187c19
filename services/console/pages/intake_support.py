"""Support policies (精细化保障) and the five returns (五回): the zone's catalogue of
policies, the settled enterprises' applications (an enterprise files and sees its own) with
the officers' decisions, the cases' five returns and their sum for the district."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Annotated, Any

from enclave_shared.auth import Role
from fastapi import Depends, Form, Path, Query, Request, Response

from services.console.clients import FieldError, Services, gather
from services.console.deps import ServicesDep, allow, page_for
from services.console.pages import page_router
from services.console.pages.lists import (
    CHOOSE_A_DATE,
    N_,
    PAGE_SIZE,
    DayText,
    FormFields,
    LongText,
    Offset,
    Pager,
    ReasonForm,
    ReasonText,
    ShortText,
    paging,
    required,
    submit,
    voiding,
)
from services.console.sessions import SignedIn
from services.console.web import render

router = page_router()

SupportPage = Annotated[SignedIn, Depends(page_for("intake.support"))]
Writer = Annotated[SignedIn, Depends(allow(Role.ZONE_OFFICER, Role.ADMIN))]
Filer = Annotated[SignedIn, Depends(allow(Role.ZONE_OFFICER, Role.ENTERPRISE, Role.ADMIN))]
Figure = DayText  # an amount or a count, as typed: as short as a date
WRITERS = frozenset({Role.ZONE_OFFICER, Role.ADMIN})
FILERS = WRITERS | {Role.ENTERPRISE}
PAGE = "/intake/support"
ENTER_A_NUMBER = N_("Enter a number.")
RETURN_KINDS = ("talent", "information", "capital", "enterprise", "technology")
DAY = r"^(|\d{4}-\d{2}-\d{2})$"
LEDGER_HEADER = ("investment", "planned_jobs", "expected_output")
"""The ledger's header on a case: investment and expected output (万元), planned jobs."""


def ledger_header_changes(case: Any, values: dict[str, str]) -> dict[str, Any]:
    """The ledger header's fields the case's correction form changed (an emptied one is
    cleared); 422 beside a field that is not a number."""
    changes: dict[str, Any] = {}
    for name in LEDGER_HEADER:
        text, before = values[name].strip(), getattr(case, name)
        if not text:
            if before is not None:
                changes[name] = None
            continue
        try:
            number: int | Decimal = int(text) if name == "planned_jobs" else Decimal(text)
        except (ValueError, InvalidOperation):
            raise FieldError("intake", 422, ENTER_A_NUMBER, name) from None
        if number != before:
            # the amounts go as their text: the service keeps them as exact decimals
            changes[name] = number if isinstance(number, int) else text
    return changes


@dataclass(frozen=True)
class ReturnsShown:
    """Which five returns the page lists and sums: a kind, the dates they happened between
    (the dispatch's numbers link here with the month's or the year's), and the page."""

    kind: str = ""
    start: str = ""
    end: str = ""
    offset: int = 0


async def _page(
    request: Request,
    services: ServicesDep,
    signed: SignedIn,
    decision: str = "",
    offset: int = 0,
    *,
    shown: ReturnsShown = ReturnsShown(),
    status_code: int = 200,
    **extra: Any,
) -> Response:
    intake = services.intake
    calls: dict[str, Any] = {
        "policies": intake.support_policies(),
        "applications": intake.application_page(
            decision=decision or None, limit=PAGE_SIZE, offset=offset
        ),
        "cases": intake.all_cases(),
    }
    dates = {"start": shown.start or None, "end": shown.end or None}
    if signed.role is not Role.ENTERPRISE:
        calls["returns"] = intake.return_page(
            case_id=None, kind=shown.kind or None, limit=PAGE_SIZE, offset=shown.offset, **dates
        )
        calls["summary"] = intake.returns_summary(**dates)
    gathered = await gather(calls)
    got = gathered.values
    applications, total = got.get("applications") or ([], 0)
    returns, returns_total = got.get("returns") or ([], 0)
    policies = got.get("policies") or []
    cases = got.get("cases") or []
    context = {
        "policies": policies,
        "policy_titles": {p.id: p.title for p in policies},
        "applications": applications,
        **paging(request, PAGE, offset, total),
        "settled": [c for c in cases if c.signed_on is not None and c.enterprise],
        "cases": cases,
        "case_titles": {c.id: c.title for c in cases},
        "returns": returns,
        "returns_paging": Pager(offset=shown.offset, total=returns_total, param="returns_offset"),
        "summary": got.get("summary"),
        "filters": {"decision": decision, "return_kind": shown.kind, "from": shown.start},
        "returns_to": shown.end,
        "writer": signed.role in WRITERS,
        "filer": signed.role in FILERS,
        "unavailable": gathered.unavailable,
        **extra,
    }
    return render(request, "intake/support.html", context, status_code=status_code)


@router.get(PAGE)
async def support(
    request: Request,
    services: ServicesDep,
    signed: SupportPage,
    decision: Annotated[str, Query(pattern="^(|granted|refused|pending)$")] = "",
    offset: Offset = 0,
    return_kind: Annotated[str, Query(pattern=f"^(|{'|'.join(RETURN_KINDS)})$")] = "",
    from_: Annotated[str, Query(alias="from", pattern=DAY)] = "",
    to: Annotated[str, Query(pattern=DAY)] = "",
    returns_offset: Offset = 0,
) -> Response:
    """The policies, the applications (filter by decision), the five returns (filter by
    kind and by the dates they happened between, summed for those dates)."""
    shown = ReturnsShown(return_kind, from_, to, returns_offset)
    return await _page(request, services, signed, decision, offset, shown=shown)


@dataclass(frozen=True)
class SupportForm:
    """A form of the page as posted: the request, the services that answer it, and who
    sent it (the page shows again to them with a refusal beside its field)."""

    request: Request
    services: Services
    signed: SignedIn

    async def submit(
        self, values: dict[str, str], errors: dict[str, str], primary: str, call: Any
    ) -> Response:
        """Send the form's call: back to the page when done, else the page again with the
        refusal beside its field (`primary` when the service names none)."""

        again = partial(_page, self.request, self.services, self.signed, values=values)
        return await submit(
            self.request, call, errors=errors, primary=primary, done=PAGE, again=again
        )


async def _writer_form(request: Request, services: ServicesDep, signed: Writer) -> SupportForm:
    return SupportForm(request, services, signed)


async def _filer_form(request: Request, services: ServicesDep, signed: Filer) -> SupportForm:
    return SupportForm(request, services, signed)


WriterForm = Annotated[SupportForm, Depends(_writer_form)]
"""A form only the zone's officers (and an admin) send."""
FilerForm = Annotated[SupportForm, Depends(_filer_form)]
"""A form an enterprise sends too (an application for its own case)."""


class PolicyCorrection(FormFields):
    """What a policy's correction changes (the fields intake's PATCH takes)."""

    title: ShortText = ""
    gives: LongText = ""
    max_amount: Figure = ""
    published_on: DayText = ""


class ApplicationCorrection(FormFields):
    """What an application's correction changes."""

    amount_asked: Figure = ""
    filed_on: DayText = ""
    amount_granted: Figure = ""
    decided_on: DayText = ""


class ReturnCorrection(FormFields):
    """What a five-returns entry's correction changes."""

    count: Figure = ""
    amount: Figure = ""
    description: LongText = ""
    happened_on: DayText = ""


class PolicyFields(PolicyCorrection):
    """The form that publishes a support policy: its kind, and what a correction changes."""

    kind: ShortText = ""


class ApplicationFields(FormFields):
    """The form that files an application for a settled enterprise."""

    case_id: ShortText = ""
    policy_id: ShortText = ""
    amount_asked: Figure = ""
    filed_on: DayText = ""


class DecisionFields(FormFields):
    """The form that grants or refuses an application."""

    decision: ShortText = ""
    amount_granted: Figure = ""
    decided_on: DayText = ""


class ReturnFields(ReturnCorrection):
    """The form that enters one of a case's five returns: its case and kind, and what a
    correction changes."""

    case_id: ShortText = ""
    kind: ShortText = ""


class CorrectionFields(PolicyCorrection, ApplicationCorrection, ReturnCorrection):
    """The correction form of a policy, an application or an entry: every field any of
    them corrects (CORRECTED says which go for each), and the reason."""

    reason: ReasonText = ""


@router.post(f"{PAGE}/policies")
async def publish_policy(
    page: WriterForm,
    fields: Annotated[PolicyFields, Form()],
) -> Response:
    """Put a support policy in the catalogue."""
    values = fields.values()
    errors = required(values, "kind", "title", "gives", "published_on", dates=("published_on",))
    return await page.submit(
        values, errors, "title", lambda: page.services.intake.publish_policy(fields.filled())
    )


@router.post(f"{PAGE}/applications")
async def file_application(
    page: FilerForm,
    fields: Annotated[ApplicationFields, Form()],
) -> Response:
    """Apply for a policy for a settled enterprise (an enterprise: for its own case)."""
    values = fields.values()
    errors = required(
        values, "case_id", "policy_id", "amount_asked", "filed_on", dates=("filed_on",)
    )
    return await page.submit(
        values,
        errors,
        "amount_asked",
        lambda: page.services.intake.file_application(fields.filled()),
    )


@router.post(PAGE + "/applications/{application_id}/decision")
async def decide_application(
    application_id: str,
    page: WriterForm,
    fields: Annotated[DecisionFields, Form()],
) -> Response:
    """Grant (with the amount) or refuse an application."""
    names = fields.values()
    values = {f"{k}_{application_id}": v for k, v in names.items()}
    errors = required(
        values,
        f"decision_{application_id}",
        f"decided_on_{application_id}",
        dates=(f"decided_on_{application_id}",),
    )

    async def call() -> None:
        await page.services.intake.decide_application(application_id, fields.filled())

    return await page.submit(values, errors, f"amount_granted_{application_id}", call)


@router.post(f"{PAGE}/returns")
async def record_return(
    page: WriterForm,
    fields: Annotated[ReturnFields, Form()],
) -> Response:
    """Enter one of a case's five returns."""
    values = fields.values()
    errors = required(values, "case_id", "kind", "happened_on", dates=("happened_on",))
    body = fields.filled()
    body.pop("case_id", None)
    return await page.submit(
        values,
        errors,
        "count",
        lambda: page.services.intake.record_return(fields.case_id.strip(), body),
    )


@router.post(PAGE + "/{what}/{record_id}/void")
async def void_record(
    what: Annotated[str, Path(pattern="^(support-policies|policy-applications|five-returns)$")],
    record_id: str,
    page: WriterForm,
    reason: ReasonForm = "",
) -> Response:
    """Void a policy, an application or a five-returns entry entered by mistake."""
    field = f"reason_{record_id}"
    errors, call = voiding(
        reason, field, lambda why: page.services.intake.void(what, record_id, why)
    )
    return await page.submit({field: reason}, errors, field, call)


CORRECTED: dict[str, tuple[str, ...]] = {
    "support-policies": tuple(PolicyCorrection.model_fields),
    "policy-applications": tuple(ApplicationCorrection.model_fields),
    "five-returns": tuple(ReturnCorrection.model_fields),
}
"""What each correction form of the page may send: the fields its service's PATCH takes."""
DATES = frozenset({"published_on", "filed_on", "decided_on", "happened_on"})


def _correction_body(what: str, record_id: str, values: dict[str, str]) -> dict[str, Any]:
    # The form shows the record's values: the filled fields go, the service keeps the ones
    # that did not change and refuses a correction that changes nothing.
    body: dict[str, Any] = {}
    for name in CORRECTED[what]:
        text = values.get(f"fix_{name}_{record_id}", "").strip()
        if text:
            body[name] = text
    return body


@router.post(PAGE + "/{what}/{record_id}/correct")
async def correct_record(
    what: Annotated[str, Path(pattern="^(support-policies|policy-applications|five-returns)$")],
    record_id: str,
    page: WriterForm,
    fields: Annotated[CorrectionFields, Form()],
) -> Response:
    """Correct a policy, an application or a five-returns entry (with a reason)."""
    sent = fields.values()
    values = {f"fix_{k}_{record_id}": v for k, v in sent.items() if k in CORRECTED[what]}
    primary = f"fix_reason_{record_id}"
    values[primary] = fields.reason
    errors = required(values, primary)
    for name in DATES.intersection(CORRECTED[what]):
        key = f"fix_{name}_{record_id}"
        if values[key].strip() and not _is_date(values[key].strip()):
            errors[key] = CHOOSE_A_DATE
    body = {**_correction_body(what, record_id, values), "reason": fields.reason.strip()}

    async def call() -> None:
        try:
            await page.services.intake.correct(what, record_id, body)
        except FieldError as exc:  # beside the form's own field of that name
            shown = exc.field in CORRECTED[what]
            field = f"fix_{exc.field}_{record_id}" if shown else primary
            raise FieldError(exc.service, exc.status, exc.message, field) from exc

    return await page.submit(values, errors, primary, call)


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
