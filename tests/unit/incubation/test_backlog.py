"""The backlog: each demand or menu item kept once, taken on by at most one live project."""

from __future__ import annotations

from datetime import date

import pytest
from enclave_shared.catalog.incubation import ProjectRegistered
from enclave_shared.errors import Conflict, NotFound

from services.incubation.domain import BacklogKind
from services.incubation.handlers import backlog, lifecycle
from tests.unit.incubation.factories import (
    BLANK,
    arrive,
    demand_payload,
    event_types,
    menu_item_payload,
    register,
    take_on,
)


async def test_the_same_demand_or_item_arriving_again_is_kept_once(sessions):
    first = demand_payload("d1")
    again = demand_payload("d1", title="renamed on a second delivery")
    await arrive(sessions, first, again, menu_item_payload("m1"), menu_item_payload("m1"))
    async with sessions() as session:
        rows, total = await backlog.list_items(session, kind=None, taken=None, page=None)
    assert total == 2
    assert [(r.kind, r.source_id, r.title) for r in rows] == [
        ("demand", "d1", "Talc micro-powder process"),
        ("menu_item", "m1", "Smart sensor line"),
    ]
    assert await event_types(sessions) == []  # receiving is not an event of this service


async def test_taking_an_item_on_makes_a_project_on_its_path_from_the_item(sessions):
    await arrive(sessions, demand_payload("d1"), menu_item_payload("m1"))
    order = await take_on(sessions, BacklogKind.DEMAND, "d1", registered_on="2021-04-01")
    menu = await take_on(sessions, BacklogKind.MENU_ITEM, "m1", title="Sensor line 2")
    assert (order.path, order.demand_id, order.enterprise) == ("order", "d1", "Guangfeng Talc Co.")
    assert order.registered_on == date(2021, 4, 1)
    assert (menu.path, menu.menu_item_id, menu.layout_category, menu.title) == (
        "menu",
        "m1",
        "new_electronics",
        "Sensor line 2",
    )
    async with sessions() as session:
        rows, _ = await backlog.list_items(session, kind=None, taken=True, page=None)
    assert [r.project_id for r in rows] == [order.id, menu.id]
    assert await event_types(sessions) == [ProjectRegistered.event_type] * 2


@pytest.mark.parametrize(
    ("kind", "source_id", "field"),
    [(BacklogKind.DEMAND, "d1", "demand_id"), (BacklogKind.MENU_ITEM, "m1", "menu_item_id")],
)
async def test_a_second_live_project_on_one_item_is_refused_until_the_first_is_dropped(
    sessions, kind, source_id, field
):
    await arrive(sessions, demand_payload("d1"), menu_item_payload("m1"))
    first = await take_on(sessions, kind, source_id)
    with pytest.raises(Conflict) as refused:
        await take_on(sessions, kind, source_id)
    assert refused.value.field == field
    assert first.id in refused.value.message
    # registering on the path names the item the same way
    path = {"path": kind.path.value, field: source_id}
    with pytest.raises(Conflict):
        await register(sessions, **{**BLANK, **path})
    assert await event_types(sessions) == [ProjectRegistered.event_type]

    async with sessions() as session:
        await lifecycle.drop(session, project_id=first.id, dropped_on=date(2021, 7, 1), reason="")
        await session.commit()
    second = await take_on(sessions, kind, source_id)
    async with sessions() as session:
        item = await backlog.get(session, kind=kind, source_id=source_id)
    assert item.project_id == second.id != first.id


async def test_taking_on_an_item_intake_never_reported_is_not_found(sessions):
    with pytest.raises(NotFound) as refused:
        await take_on(sessions, BacklogKind.DEMAND, "nope")
    assert refused.value.field == "id" and "nope" in refused.value.message
    async with sessions() as session:
        with pytest.raises(NotFound):
            await backlog.get(session, kind=BacklogKind.MENU_ITEM, source_id="nope")
    assert await event_types(sessions) == []
