"""Bearer JWT auth: roles, an optional site, and one dependency that checks both."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from enum import StrEnum
from typing import Annotated

import jwt
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from enclave_shared.db import utcnow

ALGORITHM = "HS256"
ISSUER = "talent-enclave"


class Role(StrEnum):
    """Who is calling."""

    ENCLAVE_OPERATOR = "enclave_operator"
    ZONE_OFFICER = "zone_officer"
    HOTLINE_AGENT = "hotline_agent"
    ASSESSOR = "assessor"
    ENTERPRISE = "enterprise"
    ADMIN = "admin"


class Principal(BaseModel):
    """The verified caller."""

    role: Role
    sub: str | None = None
    site: str | None = None


def issue_token(
    secret: str, role: Role, *, sub: str | None = None, site: str | None = None, ttl_s: int = 28800
) -> str:
    """A signed token for the given role."""
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
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def decode_token(secret: str, token: str) -> Principal:
    """Verify signature, expiry and issuer; raise jwt.InvalidTokenError otherwise."""
    claims = jwt.decode(
        token, secret, algorithms=[ALGORITHM], issuer=ISSUER, options={"require": ["exp", "role"]}
    )
    try:
        return Principal(role=claims["role"], sub=claims.get("sub"), site=claims.get("site"))
    except ValueError as exc:
        raise jwt.InvalidTokenError(f"bad claims: {exc}") from exc


_bearer = HTTPBearer(auto_error=False)


def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller, from the bearer token; 401 when it is missing, invalid or expired."""
    if credentials is None:
        raise _unauthorized("a bearer token is required")
    try:
        return decode_token(request.app.state.jwt_secret, credentials.credentials)
    except jwt.ExpiredSignatureError:
        raise _unauthorized("the token has expired") from None
    except jwt.InvalidTokenError as exc:
        raise _unauthorized(f"invalid token: {exc}") from None


CurrentUser = Annotated[Principal, Depends(current_principal)]


def require(*roles: Role) -> Callable[[Principal], Principal]:
    """A dependency admitting the given roles (and admin); 403 for any other role."""
    allowed = {*roles, Role.ADMIN}

    def check(user: CurrentUser) -> Principal:
        if user.role not in allowed:
            names = ", ".join(sorted(r.value for r in allowed))
            raise HTTPException(403, f"role {user.role.value} may not do this (allowed: {names})")
        return user

    return check


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(401, message, headers={"WWW-Authenticate": "Bearer"})
