"""The four paths' rules: what each path requires and refuses, and what an order or menu
project takes from its backlog item."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from enclave_shared.catalog.incubation import ProjectRegistered
from enclave_shared.errors import Invalid

from services.incubation.domain import BacklogKind
from services.incubation.handlers import backlog
from tests.unit.incubation.factories import (
    BLANK,
    DIRECTED,
    arrive,
    demand_payload,
    menu_item_payload,
    register,
)
from tests.unit.support import committed_events

ORDER = {"path": "order", "demand_id": "d1"}
MENU = {"path": "menu", "menu_item_id": "m1"}
DELIVERY = {"path": "delivery", "title": "Talc logistics", "industry_chain": "black_talc"}

# (body, the field named, words of the rule: where a later rule names the same field too)
REFUSED: list[tuple[dict[str, Any], str, str]] = [
    ({**DELIVERY, "demand_id": "d1"}, "demand_id", ""),
    ({**DIRECTED, "menu_item_id": "m1"}, "menu_item_id", ""),
    ({**ORDER, "enterprise_tag": "gazelle"}, "enterprise_tag", ""),
    ({"path": "order", "title": "t", "industry_chain": "black_talc"}, "demand_id", "is required"),
    ({"path": "menu", "title": "t", "industry_chain": "black_talc"}, "menu_item_id", "is required"),
    ({**DIRECTED, "enterprise": None}, "enterprise", ""),
    ({**DIRECTED, "enterprise_tag": None}, "enterprise_tag", ""),
    ({**DELIVERY, "layout_category": "big_data"}, "layout_category", ""),
    ({**DELIVERY, "industry_chain": "space_mining"}, "industry_chain", ""),
    ({**DELIVERY, "industry_chain": None}, "industry_chain", ""),
    ({**DELIVERY, "title": None}, "title", ""),
    ({**ORDER, "demand_id": "never-arrived"}, "demand_id", "has arrived from intake"),
    ({**ORDER, "enterprise": "Someone Else Ltd"}, "enterprise", ""),
    ({**MENU, "layout_category": "big_tourism"}, "layout_category", ""),
]


@pytest.mark.parametrize(("body", "field", "words"), REFUSED, ids=[f for _, f, _ in REFUSED])
async def test_a_path_rule_broken_is_refused_naming_the_field_and_writes_nothing(
    sessions, body, field, words
):
    await arrive(sessions, demand_payload("d1"), menu_item_payload("m1"))
    with pytest.raises(Invalid) as refused:
        await register(sessions, **{**BLANK, **body})
    assert refused.value.field == field
    assert words in refused.value.message
    assert await committed_events(sessions) == []
    async with sessions() as session:
        _, taken = await backlog.list_items(session, kind=None, taken=True, page=None)
    assert taken == 0


async def test_each_path_registers_with_its_own_fields(sessions):
    await arrive(sessions, demand_payload("d1"), menu_item_payload("m1"))
    directed = await register(sessions)
    delivery = await register(sessions, **{**BLANK, **DELIVERY})
    order = await register(sessions, **{**BLANK, **ORDER})
    menu = await register(sessions, **{**BLANK, **MENU, "title": "Own title"})

    assert (directed.path, directed.enterprise_tag) == ("directed", "unicorn")
    assert (delivery.layout_category, delivery.enterprise) == (None, None)
    # an order project takes its demand's enterprise, title, chain and description
    assert (order.enterprise, order.title, order.industry_chain, order.description) == (
        "Guangfeng Talc Co.",
        "Talc micro-powder process",
        "black_talc",
        "finer grading",
    )
    # a menu project keeps its item's layout category; a title given wins over the item's
    assert (menu.layout_category, menu.title, menu.menu_item_id) == (
        "new_electronics",
        "Own title",
        "m1",
    )
    assert {p.registered_on for p in (directed, delivery, order, menu)} == {date(2021, 6, 30)}


async def test_the_registered_event_carries_the_projects_fields(sessions):
    await arrive(sessions, demand_payload("d1"))
    order = await register(sessions, **{**BLANK, **ORDER})
    directed = await register(sessions, registered_on="2021-05-04")
    events = await committed_events(sessions)
    assert [e.type for e in events] == [ProjectRegistered.event_type] * 2
    assert [e.subject for e in events] == [order.id, directed.id]
    assert events[0].data == {
        "project_id": order.id,
        "title": "Talc micro-powder process",
        "path": "order",
        "industry_chain": "black_talc",
        "layout_category": None,
        "enterprise": "Guangfeng Talc Co.",
        "demand_id": "d1",
        "menu_item_id": None,
        "registered_on": "2021-06-30",
        "enterprise_tag": None,
    }
    assert events[1].data["enterprise_tag"] == "unicorn"
    assert events[1].data["registered_on"] == "2021-05-04"


async def test_an_order_project_claims_its_demand(sessions):
    await arrive(sessions, demand_payload("d1"))
    order = await register(sessions, **{**BLANK, **ORDER})
    async with sessions() as session:
        item = await backlog.get(session, kind=BacklogKind.DEMAND, source_id="d1")
    assert item.project_id == order.id
