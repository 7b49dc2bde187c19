"""R&D demands and the menu over a session: the events they commit, who sees which demand,
and a demand taken on by the enclave once."""

from __future__ import annotations

from datetime import date

import pytest
from enclave_shared.catalog.incubation import LayoutCategory, ProjectRegistered
from enclave_shared.catalog.intake import MenuItemPublished, RdDemandSubmitted
from enclave_shared.errors import Forbidden, NotFound

from services.intake import consumers, models
from services.intake.handlers import zone
from services.intake.schemas import MenuItemPublic, RdDemandPublic
from tests.unit.intake.factories import OFFICER, enterprise_user, opened, registered
from tests.unit.support import committed_events


async def submit(sessions, user=OFFICER, enterprise="Acme", account=None) -> models.RdDemand:
    async with sessions() as session:
        demand = await zone.submit_demand(
            session,
            user=user,
            enterprise=enterprise,
            industry_chain="photovoltaics",
            title="a cheaper wafer",
            description="",
            submitted_on=date(2021, 1, 10),
            enterprise_account=account,
        )
        await session.commit()
    return demand


async def test_a_submitted_demand_is_announced_and_an_enterprise_submits_its_own(sessions_for):
    async with sessions_for(models.Base.metadata) as sessions:
        by_officer = await submit(sessions, account="acme-1")
        by_acme = await submit(sessions, user=enterprise_user("acme-2"), enterprise="Acme Two")
        events = await committed_events(sessions)
        async with sessions() as session:
            acme = enterprise_user("acme-2")
            rows, total = await zone.get_all_demands(session, user=acme)
            assert [r.id for r in rows] == [by_acme.id] and total == 1
            with pytest.raises(NotFound):
                await zone.get_demand(session, demand_id=by_officer.id, user=acme)
    assert by_officer.enterprise_account == "acme-1"
    assert by_acme.enterprise_account == "acme-2"  # its own sub
    assert [e.type for e in events] == [RdDemandSubmitted.event_type] * 2
    assert events[0].subject == by_officer.id
    assert events[0].data == {
        "demand_id": by_officer.id,
        "enterprise": "Acme",
        "industry_chain": "photovoltaics",
        "title": "a cheaper wafer",
        "description": "",
        "submitted_on": "2021-01-10",
    }
    shown = RdDemandPublic.model_validate(by_officer).model_dump(mode="json")
    assert shown["id"] == by_officer.id and shown["project_id"] is None


async def test_an_enterprise_submits_in_its_own_name_only(sessions_for):
    async with sessions_for(models.Base.metadata) as sessions:
        await submit(sessions, enterprise="Acme", account="acme-1")
        await opened(sessions, "p-1", enterprise="Bolt Co")  # the case's account is its name
        acme, newcomer = enterprise_user("acme-1"), enterprise_user("new-1")
        refusals = [
            (acme, "Acme", "acme-9", "enterprise_account", "'acme-9' is not this account"),
            (acme, "Bolt Co", None, "enterprise", "it submits as 'Acme'"),
            (newcomer, "Acme", None, "enterprise", "'Acme' belongs to another account"),
            (newcomer, "Bolt Co", None, "enterprise", "'Bolt Co' belongs to another account"),
            (enterprise_user(None), "Acme", None, "sub", "without a subject"),
        ]
        for user, name, account, field, why in refusals:
            with pytest.raises(Forbidden, match=why) as refused:
                await submit(sessions, user=user, enterprise=name, account=account)
            assert refused.value.field == field
        again = await submit(sessions, user=acme, enterprise="Acme", account="acme-1")
        first = await submit(sessions, user=newcomer, enterprise="Newcomer Ltd")
        bolt = await submit(sessions, user=enterprise_user("Bolt Co"), enterprise="Bolt Co")
    assert [d.enterprise_account for d in (again, first, bolt)] == ["acme-1", "new-1", "Bolt Co"]


async def test_a_published_menu_item_is_announced(sessions_for):
    async with sessions_for(models.Base.metadata) as sessions:
        async with sessions() as session:
            item = await zone.publish_menu_item(
                session,
                title="graphene films",
                industry_chain="new_materials",
                layout_category=LayoutCategory.NEW_MATERIALS,
                description="d",
                published_on=date(2021, 2, 1),
            )
            await session.commit()
        [event] = await committed_events(sessions)
        async with sessions() as session:
            rows, total = await zone.get_menu(session)
    assert event.type == MenuItemPublished.event_type and event.subject == item.id
    assert event.data == {
        "menu_item_id": item.id,
        "title": "graphene films",
        "industry_chain": "new_materials",
        "layout_category": "new_materials",
        "description": "d",
        "published_on": "2021-02-01",
    }
    assert total == 1
    assert MenuItemPublic.model_validate(rows[0]).layout_category is LayoutCategory.NEW_MATERIALS


async def test_a_demand_is_taken_on_once_by_the_first_project(sessions_for):
    async with sessions_for(models.Base.metadata) as sessions:
        demand = await submit(sessions)
        first = registered("p-1", demand.id, on=date(2021, 2, 1))
        again = registered("p-1", demand.id, on=date(2021, 2, 5))  # same fact, other event id
        second = registered("p-2", demand.id, on=date(2021, 3, 1))
        unknown = registered("p-3", "dem-unknown")
        none = registered("p-4", None)
        async with sessions() as session:
            for event in (first, again, second, unknown, none):
                handler = consumers.HANDLERS[ProjectRegistered]
                await handler(session, ProjectRegistered.model_validate(event.data), event)
            await session.commit()
        async with sessions() as session:
            row = await zone.get_demand(session, demand_id=demand.id, user=OFFICER)
        events = await committed_events(sessions)
    assert (row.project_id, row.taken_on) == ("p-1", date(2021, 2, 1))
    assert [e.type for e in events] == [RdDemandSubmitted.event_type]  # taking on emits nothing
