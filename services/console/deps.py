"""What the console's pages depend on: the signed-in user, the page's roles, CSRF, clients."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

import httpx
from enclave_shared.auth import Role
from enclave_shared.deps import RuntimeDep, SessionDep
from fastapi import Depends, Request

from services.console import menu
from services.console.clients import Services
from services.console.clients.base import submitted_form
from services.console.config import ConsoleSettings
from services.console.sessions import (
    CSRF_FIELD,
    CSRF_HEADER,
    Keys,
    SignedIn,
    csrf_valid,
    resume,
)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class ConsoleState:
    """What the running console holds beside the frame's runtime."""

    settings: ConsoleSettings
    keys: Keys
    http: httpx.AsyncClient


class SignInRequired(Exception):
    """No valid session: the page sends the browser to the sign-in page."""


class PageForbidden(Exception):
    """The user's role may not see this page: the 403 page."""


class CsrfRefused(Exception):
    """A state-changing request without this browser's CSRF token: the 403 page."""


def get_state(request: Request) -> ConsoleState:
    """The console's state (set at start-up)."""
    state: ConsoleState = request.app.state.console
    return state


StateDep = Annotated[ConsoleState, Depends(get_state)]


IDEMPOTENCY_FIELD = "idempotency_key"
"""Every form carries a key made when it was rendered (the `csrf()` macro adds it)."""


async def csrf_protect(request: Request) -> None:
    """Refuse a POST (PUT, PATCH, DELETE) that does not carry this browser's CSRF token.

    Every console router depends on this (see `pages.page_router`)."""
    if request.method in SAFE_METHODS:
        return
    submitted = request.headers.get(CSRF_HEADER)
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()  # FastAPI reuses the parsed form for the route
        if submitted is None:
            value = form.get(CSRF_FIELD)
            submitted = value if isinstance(value, str) else None
        key = form.get(IDEMPOTENCY_FIELD)
        if isinstance(key, str) and 8 <= len(key) <= 100 and key.isprintable():
            submitted_form(key)
    if not csrf_valid(request, submitted):
        raise CsrfRefused()


async def current_signed_in(
    request: Request, session: SessionDep, runtime: RuntimeDep, state: StateDep
) -> SignedIn | None:
    """The request's valid sign-in, or None; its activity is recorded (committed here)."""
    cached = getattr(request.state, "signed_in", None)
    if isinstance(cached, SignedIn):
        return cached
    signed = await resume(
        session, request=request, now=runtime.clock(), keys=state.keys, settings=state.settings
    )
    await session.commit()
    request.state.signed_in = signed
    return signed


MaybeSignedIn = Annotated[SignedIn | None, Depends(current_signed_in)]


async def require_signed_in(signed: MaybeSignedIn) -> SignedIn:
    """The signed-in user; without one, the browser goes to the sign-in page."""
    if signed is None:
        raise SignInRequired()
    return signed


SignedInDep = Annotated[SignedIn, Depends(require_signed_in)]


def allow(*roles: Role) -> Callable[..., Awaitable[SignedIn]]:
    """A dependency admitting exactly these roles to a page; others get the 403 page."""
    allowed = frozenset(roles)

    async def check(signed: SignedInDep) -> SignedIn:
        if signed.role not in allowed:
            raise PageForbidden()
        return signed

    return check


def page_for(key: str) -> Callable[..., Awaitable[SignedIn]]:
    """A dependency admitting the roles the menu gives the page `key`."""
    return allow(*menu.item(key).roles)


def get_services(signed: SignedInDep, state: StateDep) -> Services:
    """The four services' clients, calling with the signed-in user's fresh token."""
    return Services.for_token(state.http, state.settings.service_urls(), signed.token)


ServicesDep = Annotated[Services, Depends(get_services)]


def form_value(form: Any, name: str) -> str:
    """A text field of a submitted form ('' when absent)."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""
