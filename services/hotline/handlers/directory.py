"""The departments directory (部门名录) the hotline keeps and routes tickets to."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from enclave_shared.deps import PageParams, paged
from enclave_shared.errors import Conflict, Invalid
from enclave_shared.outbox import OutboxSession
from enclave_shared.queries import found
from sqlalchemy import select

from services.hotline.config import HotlineSettings
from services.hotline.models import Department
from services.hotline.schemas import DepartmentCreate, DepartmentUpdate


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


async def _write(
    session: OutboxSession,
    department: Department,
    entry: DepartmentCreate | DepartmentUpdate,
    settings: HotlineSettings,
    now: datetime,
) -> None:
    """Write what the entry says of the department (its name is its own, its categories
    the hotline's)."""
    await _name_taken(session, entry.name, department.code)
    department.name = entry.name
    department.contact = entry.contact
    department.categories = _check_categories(entry.categories, settings)
    department.updated_at = now


async def create(
    session: OutboxSession, *, entry: DepartmentCreate, settings: HotlineSettings, now: datetime
) -> Department:
    """Add a department to the directory."""
    if await session.get(Department, entry.code) is not None:
        raise Conflict(f"department {entry.code} already exists", field="code")
    department = Department(code=entry.code, active=True)
    await _write(session, department, entry, settings, now)
    session.add(department)
    return department


async def update(
    session: OutboxSession,
    *,
    code: str,
    change: DepartmentUpdate,
    settings: HotlineSettings,
    now: datetime,
) -> Department:
    """Change a department's name, contact, categories, or take it out of service."""
    department = await get(session, code=code)
    await _write(session, department, change, settings, now)
    department.active = change.active
    return department


async def get(session: OutboxSession, *, code: str) -> Department:
    """One department; 404 when the directory has none of that code."""
    return found(await session.get(Department, code), "department", code, field="code")


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
