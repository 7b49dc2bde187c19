"""Sign-in, sign-out and the language switch."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from enclave_shared.deps import RuntimeDep, SessionDep
from fastapi import Form, Query, Request, Response

from services.console import i18n, sessions
from services.console.deps import MaybeSignedIn, SignedInDep, StateDep
from services.console.identity import SignInPolicy, SignInRefused, authenticate
from services.console.pages import page_router
from services.console.web import gettext_for, redirect, render

router = page_router()

LOCKED_MESSAGE = (
    "This account is locked after too many failed sign-ins. Try again in %(minutes)d minutes."
)


def _local_path(target: str | None) -> str:
    # Only a path of this site: never an open redirect to another host.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login")
async def login_page(
    request: Request,
    signed: MaybeSignedIn,
    next_: Annotated[str | None, Query(alias="next")] = None,
) -> Response:
    """The sign-in form (or home, when already signed in)."""
    if signed is not None:
        return redirect(request, _local_path(next_))
    return render(request, "auth/login.html", {"next": _local_path(next_), "error": None})


@router.post("/login")
async def login(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    state: StateDep,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next_: Annotated[str, Form(alias="next")] = "/",
) -> Response:
    """Check the password; five failures in a row lock the account for 15 minutes."""
    settings = state.settings
    now = runtime.clock()
    address = sessions.client_address(request)
    policy = SignInPolicy(
        max_failures=settings.max_failed_logins, lockout=timedelta(seconds=settings.lockout_s)
    )
    _ = gettext_for(request)
    try:
        user = await authenticate(
            session, username=username, password=password, now=now, address=address, policy=policy
        )
    except SignInRefused as refused:
        await session.commit()  # the failure count and the audit line stay
        if refused.locked:
            minutes = settings.lockout_s // 60
            error = _(LOCKED_MESSAGE) % {"minutes": minutes}
        else:
            error = _("Wrong username or password.")
        context = {"next": _local_path(next_), "error": error, "username": username}
        return render(request, "auth/login.html", context, status_code=401)
    login_record, token = await sessions.start(
        session, user=user, now=now, address=address, keys=state.keys, settings=settings
    )
    await session.commit()
    response = redirect(request, _local_path(next_))
    sessions.set_session_cookies(
        response, request, sid=login_record.id, token=token, settings=settings
    )
    sessions.new_csrf_token(request)
    return response


@router.post("/logout")
async def logout(
    request: Request, session: SessionDep, runtime: RuntimeDep, signed: SignedInDep
) -> Response:
    """Sign out: end the session on the server and drop its cookies."""
    await sessions.end(
        session, signed_in=signed, now=runtime.clock(), address=sessions.client_address(request)
    )
    await session.commit()
    request.state.signed_out = True
    response = redirect(request, "/login")
    sessions.clear_session_cookies(response)
    return response


@router.get("/lang/{code}")
async def switch_language(
    request: Request, code: str, next_: Annotated[str | None, Query(alias="next")] = None
) -> Response:
    """Switch the language (remembered in a cookie for a year) and go back to the page."""
    response = redirect(request, _local_path(next_))
    if code in i18n.LANGUAGES:
        response.set_cookie(
            i18n.LANG_COOKIE,
            code,
            max_age=365 * 24 * 3600,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
        )
    return response
