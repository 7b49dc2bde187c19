"""What a zone officer keeps for the public wall: the entry conditions and process (one
line an item; every save a new version in intake), the base's platforms, and the base's
plan (replaced as JSON: its plots as rectangles). The public page is pages/wall.py."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Annotated, Any

from enclave_shared.auth import Role
from fastapi import Depends, Form, Request, Response
from pydantic import Field

from services.console.clients import FieldError, ServiceRefused, gather
from services.console.deps import ServicesDep, allow, page_for
from services.console.pages import page_router
from services.console.pages.lists import (
    DayText,
    FormFields,
    ReasonForm,
    ShortText,
    required,
    submit,
    voiding,
)
from services.console.sessions import SignedIn
from services.console.web import render

router = page_router()

WallReader = Annotated[SignedIn, Depends(page_for("intake.wall"))]
WallWriter = Annotated[SignedIn, Depends(allow(Role.ZONE_OFFICER, Role.ADMIN))]
WRITERS = frozenset({Role.ZONE_OFFICER, Role.ADMIN})
KINDS = ("entry_conditions", "entry_process")
LongText = Annotated[str, Form(max_length=20000)]
KindText = Annotated[str, Field(max_length=40)]


class PlatformFields(FormFields):
    """The form that records a platform of the base."""

    kind: KindText = ""
    name: ShortText = ""
    level: KindText = ""
    since: DayText = ""


async def _page(
    request: Request,
    services: ServicesDep,
    signed: SignedIn,
    *,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    gathered = await gather(
        {
            "entry_conditions": services.intake.wall_text("entry_conditions"),
            "entry_process": services.intake.wall_text("entry_process"),
            "platforms": services.intake.platforms(),
            "plan": services.intake.plan(),
        }
    )
    plan = gathered.values.get("plan")
    context = {
        "texts": {k: gathered.values.get(k) for k in KINDS},
        "platforms": gathered.values.get("platforms") or [],
        "plan": plan,
        "plan_json": json.dumps(plan.plan.model_dump(), ensure_ascii=False, indent=2)
        if plan
        else "",
        "writer": signed.role in WRITERS,
        "unavailable": gathered.unavailable,
        **extra,
    }
    return render(request, "intake/wall.html", context, status_code=status_code)


@router.get("/intake/wall")
async def wall_settings(request: Request, services: ServicesDep, signed: WallReader) -> Response:
    """The wall's texts, platforms and plan, with the forms that change them."""
    return await _page(request, services, signed)


async def _send(
    request: Request,
    services: ServicesDep,
    signed: SignedIn,
    call: Callable[[], Awaitable[object]],
    errors: dict[str, str],
    primary: str,
    values: dict[str, str],
) -> Response:
    # Every form of the page: back to it when done, else the page again with what was
    # typed and the refusal beside its field.
    again = partial(_page, request, services, signed, values=values)
    done = "/intake/wall"
    return await submit(request, call, errors=errors, primary=primary, done=done, again=again)


@router.post("/intake/wall/texts/{kind}")
async def save_text(
    request: Request, kind: str, services: ServicesDep, signed: WallWriter, items: LongText = ""
) -> Response:
    """Save a new version of a text of the wall: one item a line."""
    field = f"items_{kind}"
    values = {field: items}
    errors = required(values, field) if kind in KINDS else {field: "Fill this in."}
    lines = [line.strip() for line in items.splitlines() if line.strip()]

    async def call() -> None:
        await services.intake.save_wall_text(kind, lines)

    return await _send(request, services, signed, call, errors, field, values)


@router.post("/intake/wall/platforms")
async def add_platform(
    request: Request,
    services: ServicesDep,
    signed: WallWriter,
    fields: Annotated[PlatformFields, Form()],
) -> Response:
    """Record a platform of the base."""
    values = fields.values()
    errors = required(values, "kind", "name", "level", "since", dates=("since",))

    async def call() -> None:
        await services.intake.add_platform({**values, "name": fields.name.strip()})

    return await _send(request, services, signed, call, errors, "name", values)


@router.post("/intake/wall/platforms/{platform_id}/void")
async def void_platform(
    request: Request,
    platform_id: str,
    services: ServicesDep,
    signed: WallWriter,
    reason: ReasonForm = "",
) -> Response:
    """Void a platform entered by mistake."""
    field = f"reason_{platform_id}"
    values = {field: reason}
    errors, call = voiding(
        reason, field, lambda why: services.intake.void("platforms", platform_id, why)
    )
    return await _send(request, services, signed, call, errors, field, values)


@router.post("/intake/wall/plan")
async def save_plan(
    request: Request, services: ServicesDep, signed: WallWriter, plan: LongText = ""
) -> Response:
    """Replace the base's plan (JSON: name, width, height, plots)."""
    values = {"plan": plan}
    errors = required(values, "plan")

    async def call() -> None:
        try:
            body = json.loads(plan)
        except ValueError as exc:
            raise FieldError("intake", 422, f"not JSON: {exc}", "plan") from exc
        try:
            await services.intake.save_plan(body)
        except ServiceRefused as exc:  # it may name a field inside the plan: show it by it
            raise FieldError("intake", exc.status, exc.message, "plan") from exc

    return await _send(request, services, signed, call, errors, "plan", values)
