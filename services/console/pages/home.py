"""Home: each role's figures, from the services' stats endpoints, fetched concurrently."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from enclave_shared.auth import Role
from fastapi import Depends, Request, Response

from services.console.clients import Services, gather
from services.console.deps import ServicesDep, page_for
from services.console.pages import page_router
from services.console.sessions import SignedIn
from services.console.web import render

router = page_router()


def _calls(role: Role, services: Services) -> dict[str, Awaitable[Any]]:
    """The figures a role's home shows (what the role may read, nothing it may not)."""
    if role is Role.ENCLAVE_OPERATOR:
        return {"incubation": services.incubation.stats()}
    if role is Role.ZONE_OFFICER:
        return {"intake": services.intake.stats()}
    if role is Role.HOTLINE_AGENT:
        return {"hotline": services.hotline.stats()}
    if role is Role.ASSESSOR:
        return {"incubation": services.incubation.stats(), "intake": services.intake.stats()}
    if role is Role.DISTRICT_LEADER:
        return {
            "incubation": services.incubation.stats(),
            "intake": services.intake.stats(),
            "hotline": services.hotline.stats(),
        }
    if role is Role.ENTERPRISE:
        return {"cases": services.intake.cases(), "tickets": services.hotline.tickets()}
    return {}


@router.get("/")
async def home(
    request: Request,
    services: ServicesDep,
    signed: SignedIn = Depends(page_for("home")),  # noqa: B008 (FastAPI's dependency style)
) -> Response:
    """The signed-in role's home page."""
    gathered = await gather(_calls(signed.role, services))
    context = {
        "figures": gathered.values,
        "unavailable": gathered.unavailable,
        "refused": gathered.refused,
    }
    return render(request, "home/index.html", context)
