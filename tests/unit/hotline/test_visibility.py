"""Who sees which tickets, on a session: enterprises those about them (opened by them, for
them, or about a case or project intake gave their account), agents and admin all; and the
cases and projects an enterprise may attach its tickets to (its own only: 403)."""

from __future__ import annotations

import pytest
from enclave_shared.auth import Principal, Role
from enclave_shared.deps import PageParams
from enclave_shared.errors import Forbidden, Invalid, NotFound

from services.hotline import domain
from services.hotline.handlers import tickets
from services.hotline.models import Base
from tests.unit.hotline.support import ADMIN, AGENT, NOW, enterprise, opened, owns
from tests.unit.support import staged

PAGE = PageParams(limit=50, offset=0)


async def test_enterprises_see_the_tickets_they_opened_and_those_opened_for_them(sessions_for):
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            await owns(session, "ent-a", "CA", "PA")
            await owns(session, "ent-b", "CB", "PB")
            mine = (await opened(session, user=enterprise("ent-a"), case_id="CA")).id
            theirs = (await opened(session, user=enterprise("ent-b"), case_id="CB")).id
            # an agent taking ent-a's call opens a ticket for it: ent-a sees it too
            by_agent = (await opened(session, enterprise_id="ent-a")).id
            await session.commit()

            async def seen(user: Principal, **filters: str) -> list[str]:
                rows, total = await tickets.get_all(session, user=user, page=PAGE, **filters)
                assert total == len(rows)
                return [t.id for t in rows]

            assert await seen(enterprise("ent-a")) == [mine, by_agent]
            assert await seen(enterprise("ent-b")) == [theirs]
            assert await seen(enterprise("ent-a"), enterprise_id="ent-b") == []  # no widening
            assert await seen(AGENT, case_id="CB") == [theirs]
            assert await seen(ADMIN) == [mine, theirs, by_agent]
            assert await seen(Principal(role=Role.ENTERPRISE)) == []  # no sub: nothing

            newest = await tickets.get_newest(session, user=enterprise("ent-a"), limit=10)
            assert sorted(t.id for t in newest) == sorted([mine, by_agent])  # Open311 alike
            assert (await tickets.get(session, ticket_id=mine, user=enterprise("ent-a"))).id == mine
            assert (await tickets.get(session, ticket_id=by_agent, user=enterprise("ent-a"))).id
            with pytest.raises(NotFound):
                await tickets.get(session, ticket_id=by_agent, user=enterprise("ent-b"))
            with pytest.raises(NotFound) as hidden:
                await tickets.get(session, ticket_id=theirs, user=enterprise("ent-a"))
            assert hidden.value.field == "id"  # not found, not forbidden: it stays private
            assert (await tickets.get(session, ticket_id=theirs, user=AGENT)).id == theirs


async def test_an_enterprise_reports_only_as_itself(sessions_for):
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            with pytest.raises(Invalid) as other:
                await opened(session, user=enterprise("ent-a"), enterprise_id="ent-b")
            assert other.value.field == "enterprise_id"
            with pytest.raises(Invalid) as anonymous:
                await opened(session, user=Principal(role=Role.ENTERPRISE))
            assert anonymous.value.field == "sub"
            ticket = await opened(session, user=enterprise("ent-a"))
            assert (ticket.enterprise_id, ticket.reporter_sub) == ("ent-a", "ent-a")


async def test_the_district_leader_reads_every_ticket_with_its_notes(sessions_for):
    leader = Principal(role=Role.DISTRICT_LEADER, sub="leader-zhang")
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            by_enterprise = (await opened(session, user=enterprise("ent-a"))).id
            by_agent = (await opened(session, case_id="C9")).id
            await session.commit()
            rows, total = await tickets.get_all(session, user=leader, page=PAGE)
            assert [t.id for t in rows] == [by_enterprise, by_agent] and total == 2
            rows, _ = await tickets.get_all(session, user=leader, page=PAGE, case_id="C9")
            assert [t.id for t in rows] == [by_agent]
            assert (await tickets.get(session, ticket_id=by_enterprise, user=leader)).id
            assert domain.is_agent(leader)  # the hotline's view: notes included
            assert not domain.works_tickets(leader)  # reads only: it dates no move
            with pytest.raises(Invalid) as dated:
                domain.business_time(NOW, user=leader, now=NOW, field="at")
            assert dated.value.field == "at"


async def test_zone_officers_read_the_tickets_about_cases(sessions_for):
    officer = Principal(role=Role.ZONE_OFFICER, sub="li.na")
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            about_case = (await opened(session, case_id="C7")).id
            no_case = (await opened(session)).id
            await session.commit()
            rows, _ = await tickets.get_all(session, user=officer, page=PAGE)
            assert [t.id for t in rows] == [about_case]
            assert (await tickets.get(session, ticket_id=about_case, user=officer)).id
            with pytest.raises(NotFound):
                await tickets.get(session, ticket_id=no_case, user=officer)


async def test_an_enterprise_sees_every_ticket_about_its_case_or_project(sessions_for):
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            await owns(session, "ent-a", "CA", "PA")
            about_case = (await opened(session, case_id="CA")).id  # an agent, for nobody
            about_project = (await opened(session, project_id="PA")).id
            elsewhere = (await opened(session, case_id="CB", project_id="PB")).id
            await session.commit()

            async def seen(user: Principal) -> list[str]:
                rows, total = await tickets.get_all(session, user=user, page=PAGE)
                assert total == len(rows)
                return [t.id for t in rows]

            assert await seen(enterprise("ent-a")) == [about_case, about_project]
            assert (await tickets.get(session, ticket_id=about_case, user=enterprise("ent-a"))).id
            assert await seen(enterprise("ent-b")) == []
            with pytest.raises(NotFound):
                await tickets.get(session, ticket_id=elsewhere, user=enterprise("ent-a"))
            newest = await tickets.get_newest(session, user=enterprise("ent-a"), limit=10)
            assert sorted(t.id for t in newest) == sorted([about_case, about_project])

            await owns(session, "ent-b", "CA", "PA")  # intake gave the case to another account
            await session.commit()
            assert await seen(enterprise("ent-a")) == []
            assert await seen(enterprise("ent-b")) == [about_case, about_project]
            await owns(session, None, "CA", "PA")  # and took it away: nobody's
            await session.commit()
            assert await seen(enterprise("ent-b")) == []


async def test_an_enterprise_attaches_tickets_to_its_own_case_or_project_only(sessions_for):
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            await owns(session, "ent-a", "CA", "PA")
            await owns(session, None, "CN", "PN")  # its account was taken away
            refusals = {
                ("case_id", "CA"): "belongs to another enterprise",
                ("project_id", "PA"): "belongs to another enterprise",
                ("case_id", "C-unknown"): "not known to the hotline as yours",
                ("project_id", "P-unknown"): "not known to the hotline as yours",
                ("case_id", "CN"): "not known to the hotline as yours",
            }
            for (field, value), why in refusals.items():
                with pytest.raises(Forbidden, match=why) as refused:
                    await opened(session, user=enterprise("ent-b"), **{field: value})
                assert refused.value.field == field and value in refused.value.message
            assert staged(session) == []  # nothing opened, no event
            with pytest.raises(Forbidden) as mixed:  # its case, another's project
                await opened(session, user=enterprise("ent-a"), case_id="CA", project_id="PB")
            assert mixed.value.field == "project_id"
            own = await opened(session, user=enterprise("ent-a"), case_id="CA", project_id="PA")
            assert (own.case_id, own.project_id) == ("CA", "PA")
            # agents (and the roles that open for others) are not bound by the owners
            for_other = await opened(session, user=AGENT, case_id="CA", enterprise_id="ent-b")
            assert for_other.case_id == "CA"
            assert (await opened(session, user=ADMIN, case_id="C-unknown")).case_id
            await session.commit()
