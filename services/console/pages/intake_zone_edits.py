"""Corrections on the demands and menu pages: an R&D demand names its cooperation partner
(university, institute or enterprise, in the GBA or not) or is voided; a menu item is
corrected (title, date) or voided. Each form posts here and comes back to its list, with
a refusal beside its field."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Form, Request, Response
from pydantic import Field

from services.console.clients import Services
from services.console.deps import ServicesDep
from services.console.pages import page_router
from services.console.pages.intake_zone import DEMANDS, MENU, Writer, to_list
from services.console.pages.lists import (
    CHOOSE_A_DATE,
    FILL_THIS_IN,
    DayText,
    FormFields,
    ReasonForm,
    ReasonText,
    ShortText,
    voiding,
)
from services.console.sessions import SignedIn

router = page_router()


class PartnerFields(FormFields):
    """The form that names a demand's cooperation partner (`partner_in_gba`: a checkbox)."""

    partner_name: ShortText = ""
    partner_kind: Annotated[str, Field(max_length=20)] = ""
    partner_in_gba: Annotated[str, Field(max_length=5)] = ""


class MenuCorrectionFields(FormFields):
    """The form that corrects a menu item: its title or date, and the reason."""

    title: ShortText = ""
    published_on: DayText = ""
    reason: ReasonText = ""


@router.post("/intake/demands/{demand_id}/partner")
async def name_partner(
    request: Request,
    demand_id: str,
    services: ServicesDep,
    signed: Writer,
    fields: Annotated[PartnerFields, Form()],
) -> Response:
    """Name the partner the demand is worked on with."""
    values = {
        f"partner_name_{demand_id}": fields.partner_name,
        f"partner_kind_{demand_id}": fields.partner_kind,
    }
    errors = {k: FILL_THIS_IN for k, v in values.items() if not v.strip()}

    async def call() -> None:
        body = {
            "name": fields.partner_name.strip(),
            "kind": fields.partner_kind,
            "in_gba": bool(fields.partner_in_gba),
        }
        await services.intake.name_partner(demand_id, body)

    primary = f"partner_name_{demand_id}"
    return await to_list(DEMANDS, request, services, signed, call, errors, primary, values)


@router.post("/intake/demands/{demand_id}/void")
async def void_demand(
    request: Request, demand_id: str, services: ServicesDep, signed: Writer, reason: ReasonForm = ""
) -> Response:
    """Void a demand entered by mistake."""
    field = f"reason_{demand_id}"
    return await _void(request, services, signed, DEMANDS, "rd-demands", demand_id, field, reason)


@router.post("/intake/menu-items/{item_id}/correct")
async def correct_menu_item(
    request: Request,
    item_id: str,
    services: ServicesDep,
    signed: Writer,
    fields: Annotated[MenuCorrectionFields, Form()],
) -> Response:
    """Correct a menu item's title or date (the fields that differ are sent)."""
    values = {f"{name}_{item_id}": text for name, text in fields.values().items()}
    reason, title, published_on = fields.reason.strip(), fields.title.strip(), fields.published_on
    errors = {f"reason_{item_id}": FILL_THIS_IN} if not reason else {}
    body: dict[str, Any] = {"reason": reason}
    if title:
        body["title"] = title
    if published_on.strip():
        try:
            body["published_on"] = date.fromisoformat(published_on.strip()).isoformat()
        except ValueError:
            errors[f"published_on_{item_id}"] = CHOOSE_A_DATE

    async def call() -> None:
        await services.intake.correct("menu-items", item_id, body)

    return await to_list(MENU, request, services, signed, call, errors, f"reason_{item_id}", values)


@router.post("/intake/menu-items/{item_id}/void")
async def void_menu_item(
    request: Request, item_id: str, services: ServicesDep, signed: Writer, reason: ReasonForm = ""
) -> Response:
    """Void a menu item entered by mistake."""
    field = f"void_{item_id}"
    return await _void(request, services, signed, MENU, "menu-items", item_id, field, reason)


async def _void(
    request: Request,
    services: Services,
    signed: SignedIn,
    done: str,
    what: str,
    record_id: str,
    field: str,
    reason: str,
) -> Response:
    """Void a demand or a menu item (`what`: the service's path) from its list (`done`),
    the reason typed in `field`."""
    errors, call = voiding(reason, field, lambda why: services.intake.void(what, record_id, why))
    return await to_list(done, request, services, signed, call, errors, field, {field: reason})
