"""Bearer JWT auth: EdDSA tokens with a role and an optional site, one dependency to check them.

The console (and the `enclave token` CLI) sign with the private key; every service verifies
with the public key only, so no service can mint a token."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from enum import StrEnum
from typing import Annotated

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from enclave_shared.context import Actor, actor
from enclave_shared.db import utcnow
from enclave_shared.errors import Forbidden, Unauthorized

ALGORITHM = "EdDSA"
ISSUER = "talent-enclave"
READ_METHODS = frozenset({"GET", "HEAD"})


class Role(StrEnum):
    """Who is calling."""

    ENCLAVE_OPERATOR = "enclave_operator"
    ZONE_OFFICER = "zone_officer"
    HOTLINE_AGENT = "hotline_agent"
    ASSESSOR = "assessor"
    ENTERPRISE = "enterprise"
    DISTRICT_LEADER = "district_leader"
    ADMIN = "admin"


class Principal(BaseModel):
    """The verified caller."""

    role: Role
    sub: str | None = None
    site: str | None = None


def issue_token(
    private_key: str,
    role: Role,
    *,
    sub: str | None = None,
    site: str | None = None,
    ttl_s: int = 28800,
) -> str:
    """A token for the given role, signed with the private key (PEM)."""
    now = utcnow()
    claims: dict[str, object] = {
        "role": role.value,
        "iss": ISSUER,
        "iat": now,
        "exp": now + timedelta(seconds=ttl_s),
    }
    if sub:
        claims["sub"] = sub
    if site:
        claims["site"] = site
    return jwt.encode(claims, private_key, algorithm=ALGORITHM)


def decode_token(public_key: str, token: str) -> Principal:
    """Verify an EdDSA signature, expiry and issuer; raise jwt.InvalidTokenError otherwise.

    Only EdDSA is accepted: an HS256 token (whatever its secret) or `alg: none` is refused."""
    claims = jwt.decode(
        token, public_key, algorithms=[ALGORITHM], issuer=ISSUER, options={"require": ["exp"]}
    )
    try:
        return Principal(role=claims["role"], sub=claims.get("sub"), site=claims.get("site"))
    except (KeyError, ValueError) as exc:
        raise jwt.InvalidTokenError(f"bad claims: {exc}") from exc


_bearer = HTTPBearer(auto_error=False)


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller, from the bearer token; 401 when it is missing, invalid or expired. It
    becomes the actor of the request's changes (the audit trail's who)."""
    if credentials is None:
        raise Unauthorized("a bearer token is required")
    try:
        principal = decode_token(request.app.state.jwt_public_key, credentials.credentials)
    except jwt.ExpiredSignatureError:
        raise Unauthorized("the token has expired") from None
    except jwt.InvalidTokenError as exc:
        raise Unauthorized(f"invalid token: {exc}") from None
    actor.set(Actor(principal.role.value, principal.sub))
    return principal


CurrentUser = Annotated[Principal, Depends(current_principal)]


def require(*roles: Role) -> Callable[[Request, Principal], Awaitable[Principal]]:
    """A dependency admitting the given roles and admin, and the district leader on reads
    (GET, HEAD): it reads everything and writes nothing. 403 for any other role."""
    allowed = {*roles, Role.ADMIN}

    async def check(request: Request, user: CurrentUser) -> Principal:
        if user.role in allowed:
            return user
        if user.role is Role.DISTRICT_LEADER and request.method in READ_METHODS:
            return user
        names = ", ".join(sorted(r.value for r in allowed))
        raise Forbidden(f"role {user.role.value} may not do this (allowed: {names})")

    return check
