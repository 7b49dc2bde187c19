"""Sign-in sessions and CSRF tokens.

The session is the platform JWT in an HttpOnly, SameSite=Strict cookie, re-issued on every
request (idle timeout) and never past the sign-in's absolute end. Beside it, a random
session id names the server's record of the sign-in (`LoginSession`), which holds the
sign-in time and the last activity by the console's clock, and ends at sign-out: a copied
cookie stops working at sign-out, and the timeouts do not depend on a token's own clock.

CSRF: a random token in its own cookie; every form repeats it (`csrf_token`) and htmx
sends it as `X-CSRF-Token`. A POST whose token does not match is refused."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from enclave_shared.auth import Principal, Role, decode_token, issue_token
from enclave_shared.outbox import OutboxSession
from fastapi import Request, Response

from services.console.config import ConsoleSettings
from services.console.identity import Audit, record
from services.console.models import LoginSession, User

SESSION_COOKIE = "enclave_session"
SID_COOKIE = "enclave_sid"
CSRF_COOKIE = "enclave_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


@dataclass(frozen=True)
class Keys:
    """The token key pair the console signs and checks its sessions with."""

    signing: str
    verifying: str


@dataclass
class SignedIn:
    """The signed-in user of a request, and the fresh token pages call the services with."""

    user: User
    principal: Principal
    token: str
    login: LoginSession

    @property
    def role(self) -> Role:
        """The user's role."""
        return self.principal.role


def subject_of(user: User) -> str:
    """The token's `sub`: the enterprise account for enterprise users, else the username."""
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        return user.enterprise_id
    return user.username


def client_address(request: Request) -> str | None:
    """The caller's address, for the audit log."""
    return request.client.host if request.client else None


def _token_for(user: User, keys: Keys, ttl_s: int) -> str:
    return issue_token(
        keys.signing, Role(user.role), sub=subject_of(user), site=user.site, ttl_s=max(ttl_s, 1)
    )


async def start(
    session: OutboxSession,
    *,
    user: User,
    now: datetime,
    address: str | None,
    keys: Keys,
    settings: ConsoleSettings,
) -> tuple[LoginSession, str]:
    """Record a new sign-in and give its first token."""
    login = LoginSession(
        id=secrets.token_urlsafe(32),
        username=user.username,
        address=address,
        started_at=now,
        last_seen_at=now,
    )
    session.add(login)
    return login, _token_for(user, keys, min(settings.session_idle_s, settings.session_max_s))


async def resume(
    session: OutboxSession,
    *,
    request: Request,
    now: datetime,
    keys: Keys,
    settings: ConsoleSettings,
) -> SignedIn | None:
    """The request's sign-in if it is still valid (and its activity recorded), else None.

    A session found past a timeout is ended and the expiry audited (the caller commits)."""
    sid = request.cookies.get(SID_COOKIE)
    token = request.cookies.get(SESSION_COOKIE)
    if not sid or not token:
        return None
    login = await session.get(LoginSession, sid)
    if login is None or login.ended_at is not None:
        return None
    idle_end = login.last_seen_at + timedelta(seconds=settings.session_idle_s)
    absolute_end = login.started_at + timedelta(seconds=settings.session_max_s)
    if now >= idle_end or now >= absolute_end:
        login.ended_at = now
        reason = "idle" if now >= idle_end else "absolute"
        await record(
            session,
            at=now,
            action=Audit.SESSION_EXPIRED,
            actor=login.username,
            subject=login.username,
            address=client_address(request),
            detail=reason,
        )
        return None
    user = await session.get(User, login.username)
    if user is None or not user.active:
        login.ended_at = now
        return None
    try:
        principal = decode_token(keys.verifying, token)
    except jwt.InvalidTokenError:
        return None
    if principal.sub != subject_of(user) or principal.role != user.role:
        return None
    login.last_seen_at = now
    remaining = int((absolute_end - now).total_seconds())
    fresh = _token_for(user, keys, min(settings.session_idle_s, remaining))
    return SignedIn(user=user, principal=principal, token=fresh, login=login)


async def end(
    session: OutboxSession, *, signed_in: SignedIn, now: datetime, address: str | None
) -> None:
    """Sign out: the session's record ends, so its cookies are worth nothing from now on."""
    signed_in.login.ended_at = now
    await record(
        session,
        at=now,
        action=Audit.SIGN_OUT,
        actor=signed_in.user.username,
        subject=signed_in.user.username,
        address=address,
    )


def set_session_cookies(
    response: Response, request: Request, *, sid: str, token: str, settings: ConsoleSettings
) -> None:
    """Put the session's cookies on a response (Secure when the request came over TLS)."""
    secure = request.url.scheme == "https"
    for name, value in ((SID_COOKIE, sid), (SESSION_COOKIE, token)):
        response.set_cookie(
            name,
            value,
            max_age=settings.session_max_s,
            httponly=True,
            samesite="strict",
            secure=secure,
            path="/",
        )


def clear_session_cookies(response: Response) -> None:
    """Remove the session's cookies."""
    for name in (SID_COOKIE, SESSION_COOKIE):
        response.delete_cookie(name, path="/", httponly=True, samesite="strict")


def csrf_token(request: Request) -> str:
    """This request's CSRF token: the cookie's, or a new one the response will set."""
    existing = getattr(request.state, "csrf_token", None)
    if isinstance(existing, str):
        return existing
    token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    request.state.csrf_token = token
    return token


def new_csrf_token(request: Request) -> str:
    """A new CSRF token for this browser (at sign-in, so a token seen before it is void)."""
    token = secrets.token_urlsafe(32)
    request.state.csrf_token = token
    return token


def set_csrf_cookie(response: Response, request: Request) -> None:
    """Set the CSRF cookie when the request made or renewed the token."""
    token = getattr(request.state, "csrf_token", None)
    if isinstance(token, str) and token != request.cookies.get(CSRF_COOKIE):
        response.set_cookie(
            CSRF_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/",
        )


def csrf_valid(request: Request, submitted: str | None) -> bool:
    """Whether the submitted token is this browser's CSRF token."""
    expected = request.cookies.get(CSRF_COOKIE)
    if not expected or not submitted:
        return False
    return hmac.compare_digest(expected.encode(), submitted.encode())
