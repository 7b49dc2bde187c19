"""The projects list by the date a project matured or was transferred: the lists the
dispatch's matured and transferred figures of a month open."""

from __future__ import annotations

from datetime import date

import pytest
from enclave_shared.errors import Invalid

from services.incubation.handlers import lifecycle, projects
from tests.unit.incubation.factories import Sessions, case_opened, register, transfer_on


async def _matured(sessions: Sessions, title: str, on: date, transferred: date | None = None):
    project = await register(sessions, title=title, registered_on="2021-01-05")
    async with sessions() as session:
        await lifecycle.mature(session, project_id=project.id, matured_on=on)
        if transferred is not None:
            report = case_opened(f"case-{title}", project.id, opened_on=transferred)
            await transfer_on(session, report)
        await session.commit()
    return project


async def titles(sessions: Sessions, **filters) -> list[str]:
    async with sessions() as session:
        rows, total = await projects.list_projects(session, page=None, **filters)
    assert total == len(rows)
    return sorted(p["title"] for p in rows)  # the rows as column values (PreparedList.rows)


async def test_projects_are_listed_by_when_they_matured_or_were_transferred(sessions):
    await _matured(sessions, "april", date(2021, 4, 20), transferred=date(2021, 5, 3))
    await _matured(sessions, "may", date(2021, 5, 10), transferred=date(2021, 6, 1))
    await _matured(sessions, "may-only", date(2021, 5, 31))
    await register(sessions, title="never", registered_on="2021-05-15")
    may = (date(2021, 5, 1), date(2021, 5, 31))
    assert await titles(sessions, matured=may) == ["may", "may-only"]
    assert await titles(sessions, transferred=may) == ["april"]
    assert await titles(sessions, matured=(date(2021, 5, 11), None)) == ["may-only"]
    assert await titles(sessions, transferred=(None, date(2021, 12, 31))) == ["april", "may"]
    assert await titles(sessions, matured=may, transferred=(date(2021, 6, 1), None)) == ["may"]
    with pytest.raises(Invalid, match="matured_from") as refused:
        await titles(sessions, matured=(date(2021, 6, 1), date(2021, 5, 1)))
    assert refused.value.field == "matured_from"
