"""The backlog intake fills: R&D demands (order path) and menu items (menu path), each kept
once, and held by at most one live project at a time."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

from enclave_shared.catalog.intake import MenuItemPublished, RdDemandSubmitted
from enclave_shared.corrections import standing
from enclave_shared.deps import PageParams, paged
from enclave_shared.errors import Conflict, DomainError
from enclave_shared.events import Payload
from enclave_shared.outbox import OutboxSession
from enclave_shared.queries import found
from sqlalchemy import select, update

from services.incubation.domain import BacklogKind
from services.incubation.models import BacklogItem

log = logging.getLogger(__name__)

# The fields of intake's demand or menu item this copy holds, by intake's name → the copy's
# (a demand's partner, say, is intake's alone: its correction changes nothing here).
_COPIED: dict[BacklogKind, dict[str, str]] = {
    BacklogKind.DEMAND: {
        "title": "title",
        "description": "description",
        "enterprise": "enterprise",
        "industry_chain": "industry_chain",
        "submitted_on": "submitted_on",
    },
    BacklogKind.MENU_ITEM: {
        "title": "title",
        "description": "description",
        "industry_chain": "industry_chain",
        "layout_category": "layout_category",
        "published_on": "submitted_on",
    },
}
_DATES = {"submitted_on"}


async def receive_demand(session: OutboxSession, *, demand: RdDemandSubmitted) -> None:
    """An R&D demand of a local enterprise joins the order backlog (once per demand id)."""
    await _receive(session, BacklogKind.DEMAND, demand.demand_id, demand)


async def receive_menu_item(session: OutboxSession, *, item: MenuItemPublished) -> None:
    """A zone menu item joins the menu backlog (once per menu item id)."""
    await _receive(session, BacklogKind.MENU_ITEM, item.menu_item_id, item)


async def _receive(
    session: OutboxSession, kind: BacklogKind, source_id: str, source: Payload
) -> None:
    # Once per source id: the same demand or menu item can come again under a new event id.
    if await _find(session, kind, source_id) is not None:
        return
    copied = {ours: getattr(source, theirs) for theirs, ours in _COPIED[kind].items()}
    codes = {name: v.value if isinstance(v, Enum) else v for name, v in copied.items()}
    session.add(BacklogItem(kind=kind.value, source_id=source_id, **codes))


async def _arrived_copy(
    session: OutboxSession, kind: BacklogKind, source_id: str, change: str
) -> BacklogItem | None:
    # The copy a correction or void from intake changes; one that never arrived is logged.
    item = await _find(session, kind, source_id)
    if item is None:
        log.info("%s of %s %s, which never arrived here: ignored", change, kind.value, source_id)
    return item


async def follow_correction(
    session: OutboxSession, *, kind: BacklogKind, source_id: str, after: Mapping[str, Any]
) -> None:
    """Intake corrected a demand or menu item: the copy takes the new values of what it holds.

    Setting the same values again changes nothing, so a redelivery is harmless."""
    item = await _arrived_copy(session, kind, source_id, "correction")
    if item is None:
        return
    for theirs, ours in _COPIED[kind].items():
        if theirs in after:
            value = after[theirs]
            setattr(item, ours, date.fromisoformat(value) if ours in _DATES else value)


async def follow_void(
    session: OutboxSession, *, kind: BacklogKind, source_id: str, reason: str, at: datetime
) -> None:
    """Intake voided a demand or menu item: the copy is void too, out of the lists (once)."""
    item = await _arrived_copy(session, kind, source_id, "void")
    if item is None:
        return
    if item.voided_at is None:
        item.voided_at = at
        item.void_reason = reason


async def list_items(
    session: OutboxSession,
    *,
    kind: BacklogKind | None,
    taken: bool | None,
    page: PageParams | None,
    include_void: bool = False,
) -> tuple[Sequence[BacklogItem], int]:
    """Demands and menu items, oldest first; `taken`: whether a live project holds them."""
    stmt = select(BacklogItem).where(*standing(BacklogItem, include_void))
    if kind is not None:
        stmt = stmt.where(BacklogItem.kind == kind.value)
    if taken is not None:
        column = BacklogItem.project_id
        stmt = stmt.where(column.is_not(None) if taken else column.is_(None))
    return await paged(session, stmt.order_by(BacklogItem.id), page)


async def get(session: OutboxSession, *, kind: BacklogKind, source_id: str) -> BacklogItem:
    """One demand or menu item by intake's id, or 404."""
    return found(await _find(session, kind, source_id), kind.value, source_id)


async def arrived(
    session: OutboxSession,
    kind: BacklogKind,
    source_id: str | None,
    *,
    field: str,
    missing: type[DomainError],
) -> BacklogItem:
    """The item a project is to be taken on from; `missing` (naming `field`) if intake has not
    reported it, 409 if intake voided it."""
    item = await _find(session, kind, source_id or "")
    if item is None:
        raise missing(f"no {kind.label} {source_id} has arrived from intake", field=field)
    if item.voided_at is not None:
        raise Conflict(
            f"{kind.label} {item.source_id} is void in intake: {item.void_reason}", field=field
        )
    return item


async def _find(session: OutboxSession, kind: BacklogKind, source_id: str) -> BacklogItem | None:
    return await session.scalar(
        select(BacklogItem).where(
            BacklogItem.kind == kind.value, BacklogItem.source_id == source_id
        )
    )


async def claim(session: OutboxSession, item: BacklogItem, project_id: str) -> None:
    """The item is the project's: 409 naming the live project that holds it already."""
    # A conditional update, not read-then-write: two concurrent take-ons cannot both win.
    result = await session.execute(
        update(BacklogItem)
        .where(BacklogItem.id == item.id, BacklogItem.project_id.is_(None))
        .values(project_id=project_id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        await session.refresh(item)
        kind = BacklogKind(item.kind)
        raise Conflict(
            f"{kind.label} {item.source_id} already has a live project "
            f"{item.project_id}: one {kind.label}, at most one live project",
            field=kind.field,
        )
    item.project_id = project_id


async def release(session: OutboxSession, project_id: str) -> None:
    """The project is no longer live: its demand or menu item can be taken on again."""
    await session.execute(
        update(BacklogItem).where(BacklogItem.project_id == project_id).values(project_id=None)
    )
