"""A ticket's correction (its category or request type, with a reason: only what changed is
sent as the hotline's `PATCH`) and its void (a reason and a confirmation: the hotline's
`DELETE`), both from the ticket's page; a refusal shows beside its field on that page."""

from __future__ import annotations

from enclave_shared.deps import RuntimeDep
from fastapi import Request, Response

from services.console.clients import FieldError, ServiceRefused, ServiceUnavailable
from services.console.deps import ServicesDep, form_value
from services.console.pages import page_router
from services.console.pages.hotline import Worker, field_message
from services.console.pages.hotline_ticket import ticket_or_page, ticket_view
from services.console.pages.lists import N_ as _
from services.console.pages.lists import unavailable_page
from services.console.web import error_page, redirect

router = page_router()

CORRECTABLE = ("category", "request_type")
REASON_NEEDED = _("Give the reason.")
NOTHING_CHANGED = _("Nothing changed: edit a field before saving the correction.")
CONFIRM_NEEDED = _("Tick the box to confirm.")
REFUSED = _("The service did not accept this: the ticket may have been voided meanwhile.")


@router.post("/hotline/tickets/{ticket_id}/correct")
async def correct(
    request: Request,
    ticket_id: str,
    services: ServicesDep,
    runtime: RuntimeDep,
    signed: Worker,
) -> Response:
    """Correct the ticket: the fields the form changed, and the reason."""
    form = await request.form()
    values = {name: form_value(form, name) for name in (*CORRECTABLE, "correction_reason")}
    ticket = await ticket_or_page(request, services, ticket_id)
    if isinstance(ticket, Response):
        return ticket
    body = {
        name: values[name]
        for name in CORRECTABLE
        if values[name] and values[name] != getattr(ticket, name)
    }
    errors: dict[str, str] = {}
    if not values["correction_reason"]:
        errors["correction_reason"] = REASON_NEEDED
    elif not body:
        errors["correction"] = NOTHING_CHANGED
    else:
        try:
            await services.hotline.correct(
                ticket_id, {**body, "reason": values["correction_reason"]}
            )
            return redirect(request, f"/hotline/tickets/{ticket_id}")
        except FieldError as exc:
            where = "correction_reason" if exc.field == "reason" else f"correct-{exc.field}"
            errors[where] = field_message(exc)
        except ServiceRefused:
            errors["correction"] = REFUSED
        except ServiceUnavailable as exc:
            return unavailable_page(request, exc)
    shown = {f"correct-{name}": value for name, value in values.items()}
    return await ticket_view(
        request, ticket_id, services, runtime.clock(), signed, 422, errors=errors, values=shown
    )


@router.post("/hotline/tickets/{ticket_id}/void")
async def void(
    request: Request,
    ticket_id: str,
    services: ServicesDep,
    runtime: RuntimeDep,
    signed: Worker,
) -> Response:
    """Void the ticket entered by mistake, once the reason is given and the box ticked."""
    form = await request.form()
    reason = form_value(form, "void_reason")
    errors: dict[str, str] = {}
    if not reason:
        errors["void_reason"] = REASON_NEEDED
    elif form_value(form, "confirm") != "yes":
        errors["confirm"] = CONFIRM_NEEDED
    else:
        try:
            await services.hotline.void(ticket_id, reason)
            return redirect(request, f"/hotline/tickets/{ticket_id}")
        except FieldError as exc:
            errors["void_reason"] = field_message(exc)
        except ServiceRefused as exc:
            if exc.status == 404:
                return error_page(request, 404)
            errors["void"] = REFUSED
        except ServiceUnavailable as exc:
            return unavailable_page(request, exc)
    return await ticket_view(
        request,
        ticket_id,
        services,
        runtime.clock(),
        signed,
        422,
        errors=errors,
        values={"void_reason": reason},
    )
