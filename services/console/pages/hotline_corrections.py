"""A ticket's correction (its category or request type, with a reason: only what changed is
sent as the hotline's `PATCH`) and its void (a reason and a confirmation: the hotline's
`DELETE`), both from the ticket's page; a refusal shows beside its field on that page."""

from __future__ import annotations

from fastapi import Response

from services.console.clients import FieldError, ServiceRefused, ServiceUnavailable
from services.console.pages import page_router
from services.console.pages.hotline import field_message
from services.console.pages.hotline_ticket import TicketFormDep, ticket_or_page
from services.console.pages.lists import N_ as _
from services.console.pages.lists import unavailable_page
from services.console.web import error_page

router = page_router()

CORRECTABLE = ("category", "request_type")
REASON_NEEDED = _("Give the reason.")
NOTHING_CHANGED = _("Nothing changed: edit a field before saving the correction.")
CONFIRM_NEEDED = _("Tick the box to confirm.")
REFUSED = _("The service did not accept this: the ticket may have been voided meanwhile.")


@router.post("/hotline/tickets/{ticket_id}/correct")
async def correct(form: TicketFormDep) -> Response:
    """Correct the ticket: the fields the form changed, and the reason."""
    request = form.request
    values = await form.typed((*CORRECTABLE, "correction_reason"))
    ticket = await ticket_or_page(request, form.services, form.ticket_id)
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
            await form.services.hotline.correct(
                form.ticket_id, {**body, "reason": values["correction_reason"]}
            )
            return form.done()
        except FieldError as exc:
            where = "correction_reason" if exc.field == "reason" else f"correct-{exc.field}"
            errors[where] = field_message(exc)
        except ServiceRefused:
            errors["correction"] = REFUSED
        except ServiceUnavailable as exc:
            return unavailable_page(request, exc)
    return await form.again(errors, {f"correct-{name}": value for name, value in values.items()})


@router.post("/hotline/tickets/{ticket_id}/void")
async def void(form: TicketFormDep) -> Response:
    """Void the ticket entered by mistake, once the reason is given and the box ticked."""
    request = form.request
    typed = await form.typed(("void_reason", "confirm"))
    reason = typed["void_reason"]
    errors: dict[str, str] = {}
    if not reason:
        errors["void_reason"] = REASON_NEEDED
    elif typed["confirm"] != "yes":
        errors["confirm"] = CONFIRM_NEEDED
    else:
        try:
            await form.services.hotline.void(form.ticket_id, reason)
            return form.done()
        except FieldError as exc:
            errors["void_reason"] = field_message(exc)
        except ServiceRefused as exc:
            if exc.status == 404:
                return error_page(request, 404)
            errors["void"] = REFUSED
        except ServiceUnavailable as exc:
            return unavailable_page(request, exc)
    return await form.again(errors, {"void_reason": reason})
