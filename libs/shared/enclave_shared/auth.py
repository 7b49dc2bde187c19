"""Bearer JWT auth: EdDSA tokens with a role and a site, one dependency to check them.

The console (and the `enclave token` CLI) sign with the private key; every service verifies
with the public key only, so no service can mint a token.

Who may do what: a route admits roles (`require`); the district leader reads everything
and writes nothing; admin does all. A service's records belong to a site (its `ServiceSpec`
`sites`: incubation Shenzhen, intake Shangrao, assessment the district; the hotline serves
both sites and names none): staff write only the records of their own site. Enterprise
accounts have no site; what an enterprise may touch is its own records, which the routes
check."""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum, StrEnum
from functools import lru_cache
from typing import Annotated, Literal

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
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


class Site(StrEnum):
    """Where a user works: its records are written there."""

    SHENZHEN = "shenzhen"
    SHANGRAO = "shangrao"
    DISTRICT = "district"


SITE_EXEMPT = frozenset({Role.ADMIN, Role.ENTERPRISE})
# Where each site-bound role's staff work: an account's site unless another is given. The
# hotline's agents serve both sites (no default); enterprises and admin have none.
HOME_SITES = {
    Role.ENCLAVE_OPERATOR: Site.SHENZHEN,
    Role.ZONE_OFFICER: Site.SHANGRAO,
    Role.ASSESSOR: Site.DISTRICT,
    Role.DISTRICT_LEADER: Site.DISTRICT,
}


class SiteDefault(Enum):
    """The default of a site argument: the role's site."""

    HOME = "home"


HOME = SiteDefault.HOME  # `issue_token`'s default site: where the role's staff work


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
    site: str | Literal[SiteDefault.HOME] | None = HOME,
    ttl_s: int = 28800,
) -> str:
    """A token for the given role, signed with the private key (PEM); its site claim is the
    given site (None: none), by default the role's (`HOME_SITES`)."""
    if site is HOME:
        site = HOME_SITES.get(role)
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

    Only EdDSA is accepted: an HS256 token (whatever its secret) or `alg: none` is refused.
    A token verified once is not verified again (a client sends the same token with every
    request; the signature check and the key's parsing were ~5 % of a list request): its
    claims are kept (`_verified`, per key and token) and only its expiry is checked again.
    A refused token is not kept: it is checked afresh each time."""
    principal, expires = _verified(public_key, token)
    if expires <= time.time():  # as PyJWT: expired from the second `exp` names
        raise jwt.ExpiredSignatureError("Signature has expired")
    return principal.model_copy()


@lru_cache(maxsize=4096)
def _verified(public_key: str, token: str) -> tuple[Principal, float]:
    claims = jwt.decode(
        token,
        _verifying_key(public_key),
        algorithms=[ALGORITHM],
        issuer=ISSUER,
        options={"require": ["exp"]},
    )
    try:
        principal = Principal(role=claims["role"], sub=claims.get("sub"), site=claims.get("site"))
    except (KeyError, ValueError) as exc:
        raise jwt.InvalidTokenError(f"bad claims: {exc}") from exc
    return principal, float(claims["exp"])


@lru_cache(maxsize=16)
def _verifying_key(public_key: str) -> Ed25519PublicKey:
    key = load_pem_public_key(public_key.encode())
    if not isinstance(key, Ed25519PublicKey):
        raise jwt.InvalidKeyError("the public key is not an Ed25519 key")
    return key


_bearer = HTTPBearer(auto_error=False)


Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


async def current_principal(request: Request, credentials: Credentials) -> Principal:
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


@dataclass(frozen=True)
class Require:
    """A route's access rule, as a dependency: the roles it admits (admin among them), the
    district leader on reads, and on writes the site rule of the service's records. 403
    naming what is missing otherwise. Tests read `roles` to check every route."""

    roles: frozenset[Role]

    async def __call__(self, request: Request, credentials: Credentials) -> Principal:
        # The caller as `current_principal` finds it, called here rather than solved as a
        # dependency of its own: one dependency less on every route (the same bearer scheme).
        user = await current_principal(request, credentials)
        reading = request.method in READ_METHODS
        if user.role not in self.roles and not (user.role is Role.DISTRICT_LEADER and reading):
            names = ", ".join(sorted(r.value for r in self.roles))
            raise Forbidden(f"role {user.role.value} may not do this (allowed: {names})")
        if not reading:
            site_may_write(user, getattr(request.app.state, "sites", frozenset()))
        return user


def require(*roles: Role) -> Require:
    """A dependency admitting the given roles and admin (see `Require`)."""
    return Require(frozenset({*roles, Role.ADMIN}))


def site_may_write(user: Principal, sites: Collection[Site]) -> None:
    """403 unless the caller's site owns the records (any site when `sites` is empty)."""
    if not sites or user.role in SITE_EXEMPT or user.site in sites:
        return
    needed = " or ".join(sorted(sites))
    if user.site is None:
        raise Forbidden(f"the token names no site; these records are written from {needed}")
    raise Forbidden(f"site {user.site} may not write these records (written from {needed})")
