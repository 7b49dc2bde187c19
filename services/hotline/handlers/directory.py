"""The departments directory (部门名录) the hotline keeps and routes tickets to."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from enclave_shared.deps import PageParams, paged
from enclave_shared.errors import Conflict, Invalid, NotFound
from enclave_shared.outbox import OutboxSession
from sqlalchemy import select

from services.hotline.config import HotlineSettings
from services.hotline.models import Department


def _check_categories(categories: Sequence[str], settings: HotlineSettings) -> list[str]:
    unknown = [c for c in categories if c not in settings.categories]
    if unknown:
        raise Invalid(f"categories not configured: {', '.join(unknown)}", field="categories")
    return list(dict.fromkeys(categories))


async def _name_taken(session: OutboxSession, name: str, code: str) -> None:
    other = await session.scalar(
        select(Department.code).where(Department.name == name, Department.code != code)
    )
    if other is not None:
        raise Conflict(f"department {other} already has the name {name}", field="name")


async def create(
    session: OutboxSession,
    *,
    code: str,
    name: str,
    contact: str | None,
    categories: Sequence[str],
    settings: HotlineSettings,
    now: datetime,
) -> Department:
    """Add a department to the directory."""
    if await session.get(Department, code) is not None:
        raise Conflict(f"department {code} already exists", field="code")
    await _name_taken(session, name, code)
    department = Department(
        code=code,
        name=name,
        contact=contact,
        categories=_check_categories(categories, settings),
        active=True,
        updated_at=now,
    )
    session.add(department)
    return department


async def update(
    session: OutboxSession,
    *,
    code: str,
    name: str,
    contact: str | None,
    categories: Sequence[str],
    active: bool,
    settings: HotlineSettings,
    now: datetime,
) -> Department:
    """Change a department's name, contact, categories, or take it out of service."""
    department = await get(session, code=code)
    await _name_taken(session, name, code)
    department.name = name
    department.contact = contact
    department.categories = _check_categories(categories, settings)
    department.active = active
    department.updated_at = now
    return department


async def get(session: OutboxSession, *, code: str) -> Department:
    """One department; 404 when the directory has none of that code."""
    department = await session.get(Department, code)
    if department is None:
        raise NotFound(f"department {code} not found", field="code")
    return department


async def get_all(
    session: OutboxSession,
    *,
    page: PageParams | None,
    category: str | None = None,
    active: bool | None = None,
) -> tuple[Sequence[Department], int]:
    """The directory by name; `category`: those handling it."""
    query = select(Department).order_by(Department.name)
    if active is not None:
        query = query.where(Department.active.is_(active))
    if category is None:
        return await paged(session, query, page)
    # categories is a JSON list: filter here (the directory holds tens of departments)
    rows = [d for d in (await session.scalars(query)).all() if category in d.categories]
    start = page.offset if page else 0
    return (rows[start : start + page.limit] if page else rows), len(rows)
