"""User accounts: Argon2id password hashes, sign-in with lockout, and the audit log.

Plain keyword-only functions; the caller (a page or the `enclave user` CLI) commits."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from enclave_shared.auth import HOME_SITES, Role
from enclave_shared.auth import Site as Site  # where a user works; re-exported
from enclave_shared.errors import Conflict, Invalid, NotFound
from enclave_shared.outbox import OutboxSession
from sqlalchemy import select

from services.console.models import AuditEntry, User

# argon2-cffi's defaults are RFC 9106's second recommended option for Argon2id.
_hasher = PasswordHasher()
# Verified against when the username is unknown, so that a wrong name costs as long as a
# wrong password and timing does not tell which names exist.
_DUMMY_HASH = _hasher.hash("not a password of anyone")

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
# Messages a form shows beside its field: fixed English message ids, translated on render.
PASSWORD_LENGTH_MESSAGE = "A password has 10 to 256 characters."
USERNAME_MESSAGE = "A username is 2 to 64 lower-case letters, digits, '.', '_' or '-'."
ENTERPRISE_NEEDED_MESSAGE = "An enterprise user needs its enterprise account id."
ENTERPRISE_ONLY_MESSAGE = "Only enterprise users have an enterprise account."
USERNAME_TAKEN_MESSAGE = "This username is taken."
MESSAGES = (
    PASSWORD_LENGTH_MESSAGE,
    USERNAME_MESSAGE,
    ENTERPRISE_NEEDED_MESSAGE,
    ENTERPRISE_ONLY_MESSAGE,
    USERNAME_TAKEN_MESSAGE,
)


class Audit(StrEnum):
    """What the audit log records."""

    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    LOCKOUT = "lockout"
    SIGN_OUT = "sign_out"
    SESSION_EXPIRED = "session_expired"
    USER_ADDED = "user_added"
    USER_DISABLED = "user_disabled"
    USER_ENABLED = "user_enabled"
    PASSWORD_SET = "password_set"


# Argon2 takes a quarter of a second of CPU by design; it runs in a thread (the binding
# releases the GIL) so that one sign-in does not stall every other request of the console.


async def hash_password(password: str) -> str:
    """An Argon2id hash of the password, after checking it is long enough."""
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise Invalid(PASSWORD_LENGTH_MESSAGE, field="password")
    return await asyncio.to_thread(_hasher.hash, password)


def _matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def password_matches(password_hash: str, password: str) -> bool:
    """Whether the password is the one hashed (constant work either way)."""
    return await asyncio.to_thread(_matches, password_hash, password)


async def record(
    session: OutboxSession,
    *,
    at: datetime,
    action: Audit,
    actor: str | None,
    subject: str | None = None,
    address: str | None = None,
    detail: str = "",
) -> None:
    """Add a line to the audit log (in the caller's transaction)."""
    session.add(
        AuditEntry(
            at=at, action=action.value, actor=actor, subject=subject, address=address, detail=detail
        )
    )


async def add_user(
    session: OutboxSession,
    *,
    username: str,
    role: Role,
    password: str,
    now: datetime,
    display_name: str | None = None,
    site: Site | None = None,
    enterprise_id: str | None = None,
    actor: str | None = None,
    address: str | None = None,
) -> User:
    """Create an account; an enterprise user needs its enterprise account id. Staff of a
    site-bound role work at its site unless another is given (auth.HOME_SITES)."""
    username = username.strip().lower()
    site = site or HOME_SITES.get(role)
    if not USERNAME.match(username):
        raise Invalid(USERNAME_MESSAGE, field="username")
    enterprise_id = (enterprise_id or "").strip() or None
    if role is Role.ENTERPRISE and enterprise_id is None:
        raise Invalid(ENTERPRISE_NEEDED_MESSAGE, field="enterprise_id")
    if role is not Role.ENTERPRISE and enterprise_id is not None:
        raise Invalid(ENTERPRISE_ONLY_MESSAGE, field="enterprise_id")
    if await session.get(User, username) is not None:
        raise Conflict(USERNAME_TAKEN_MESSAGE, field="username")
    user = User(
        username=username,
        display_name=(display_name or "").strip() or username,
        role=role.value,
        site=site.value if site else None,
        enterprise_id=enterprise_id,
        active=True,
        password_hash=await hash_password(password),
        failed_attempts=0,
        created_at=now,
        updated_at=now,
    )
    session.add(user)
    detail = f"role={role.value} site={user.site or '-'} enterprise={enterprise_id or '-'}"
    await record(
        session,
        at=now,
        action=Audit.USER_ADDED,
        actor=actor,
        subject=username,
        address=address,
        detail=detail,
    )
    return user


async def get_user(session: OutboxSession, *, username: str) -> User:
    """One account by its username."""
    user = await session.get(User, username.strip().lower())
    if user is None:
        raise NotFound(f"no user {username}", field="username")
    return user


async def list_users(session: OutboxSession) -> Sequence[User]:
    """Every account, by username."""
    return (await session.scalars(select(User).order_by(User.username))).all()


def _unlock(user: User) -> None:
    """Forget the account's failed sign-ins and lift its lockout."""
    user.failed_attempts = 0
    user.locked_until = None


async def _changed(
    session: OutboxSession,
    user: User,
    *,
    action: Audit,
    now: datetime,
    actor: str | None,
    address: str | None,
) -> None:
    """Date an administrator's change of the account and audit it."""
    user.updated_at = now
    await record(
        session, at=now, action=action, actor=actor, subject=user.username, address=address
    )


async def set_active(
    session: OutboxSession,
    *,
    username: str,
    active: bool,
    now: datetime,
    actor: str | None = None,
    address: str | None = None,
) -> User:
    """Disable (or enable again) an account; a disabled user's sessions stop at once."""
    user = await get_user(session, username=username)
    user.active = active
    if active:
        _unlock(user)
    action = Audit.USER_ENABLED if active else Audit.USER_DISABLED
    await _changed(session, user, action=action, now=now, actor=actor, address=address)
    return user


async def set_password(
    session: OutboxSession,
    *,
    username: str,
    password: str,
    now: datetime,
    actor: str | None = None,
    address: str | None = None,
) -> User:
    """Give an account a new password; it also lifts a lockout."""
    user = await get_user(session, username=username)
    user.password_hash = await hash_password(password)
    _unlock(user)
    await _changed(session, user, action=Audit.PASSWORD_SET, now=now, actor=actor, address=address)
    return user


@dataclass(frozen=True)
class SignInPolicy:
    """How many failures lock an account, and for how long."""

    max_failures: int = 5
    lockout: timedelta = timedelta(minutes=15)


class SignInRefused(Exception):
    """A sign-in that did not succeed; `locked` when the account is (now) locked."""

    def __init__(self, *, locked: bool) -> None:
        super().__init__("locked" if locked else "wrong username or password")
        self.locked = locked


async def authenticate(
    session: OutboxSession,
    *,
    username: str,
    password: str,
    now: datetime,
    address: str | None,
    policy: SignInPolicy,
) -> User:
    """The active, unlocked user whose password this is; otherwise count the failure
    (the last allowed one locks the account), audit it and raise SignInRefused."""
    name = username.strip().lower()[:64]

    async def refused(detail: str, *, action: Audit = Audit.SIGN_IN_FAILED) -> None:
        await record(
            session,
            at=now,
            action=action,
            actor=None,
            subject=name or None,
            address=address,
            detail=detail,
        )

    user = await session.get(User, name) if name else None
    if user is None or not user.active:
        await password_matches(_DUMMY_HASH, password)
        await refused("unknown user" if user is None else "disabled")
        raise SignInRefused(locked=False)
    if user.locked_until is not None and user.locked_until > now:
        await refused("locked")
        raise SignInRefused(locked=True)
    if not await password_matches(user.password_hash, password):
        user.failed_attempts += 1
        await refused(f"wrong password ({user.failed_attempts})")
        if user.failed_attempts >= policy.max_failures:
            user.failed_attempts = 0
            user.locked_until = now + policy.lockout
            until = user.locked_until.isoformat(timespec="seconds")
            await refused(f"locked until {until}", action=Audit.LOCKOUT)
            raise SignInRefused(locked=True)
        raise SignInRefused(locked=False)
    _unlock(user)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = await hash_password(password)
    await record(session, at=now, action=Audit.SIGN_IN, actor=name, subject=name, address=address)
    return user


async def audit_log(
    session: OutboxSession, *, limit: int = 200, offset: int = 0
) -> tuple[Sequence[AuditEntry], int]:
    """The newest audit lines first, and how many there are."""
    from enclave_shared.deps import PageParams, paged

    stmt = select(AuditEntry).order_by(AuditEntry.id.desc())
    return await paged(session, stmt, PageParams(limit=limit, offset=offset))
