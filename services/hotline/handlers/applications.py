"""Applications registered for Open311: each holds an api_key that posts requests under an
account. The key is shown once; the hotline keeps its SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime

from enclave_shared.deps import PageParams, paged
from enclave_shared.outbox import OutboxSession
from enclave_shared.queries import found
from sqlalchemy import select

from services.hotline.models import Open311Application


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


async def register(
    session: OutboxSession, *, name: str, account: str, now: datetime
) -> tuple[Open311Application, str]:
    """A new application and its key (the only time the key is seen)."""
    key = secrets.token_urlsafe(24)
    app = Open311Application(name=name, account=account, key_hash=_hash(key), created_at=now)
    session.add(app)
    await session.flush()
    return app, key


async def revoke(session: OutboxSession, *, app_id: int, now: datetime) -> Open311Application:
    """Withdraw an application's key: its posts are refused from now on."""
    app = found(await session.get(Open311Application, app_id), "application", app_id)
    app.revoked_at = app.revoked_at or now
    return app


async def by_key(session: OutboxSession, *, key: str) -> Open311Application | None:
    """The application a key was issued to, unless revoked."""
    return await session.scalar(
        select(Open311Application).where(
            Open311Application.key_hash == _hash(key), Open311Application.revoked_at.is_(None)
        )
    )


async def get_all(
    session: OutboxSession, *, page: PageParams
) -> tuple[Sequence[Open311Application], int]:
    """The registered applications, oldest first."""
    return await paged(session, select(Open311Application).order_by(Open311Application.id), page)
