"""The list pages of enclave_shared.deps: a route's rows in their HTTP shape with the total
in X-Total-Count, the shared filters handed to the handler in `query`, and a page of rows
held in memory."""

from __future__ import annotations

from typing import Any

import httpx
from enclave_shared.deps import DatedListPageDep, ListPageDep, StandingListPageDep
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict


class Row:
    def __init__(self, n: int) -> None:
        self.n = n


class RowPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    n: int


ROWS = [Row(n) for n in range(7)]


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/rows")
    async def rows(page: ListPageDep) -> list[RowPublic]:
        return page.shaped(RowPublic, page.window(ROWS))

    @app.get("/standing")
    async def standing(page: StandingListPageDep) -> dict[str, Any]:
        return {"total": len(page.shaped(RowPublic, (ROWS[:2], 40))), **page.query}

    @app.get("/dated")
    async def dated(page: DatedListPageDep) -> dict[str, Any]:
        page.shaped(RowPublic, ([], 0))
        return page.query

    return app


async def _get(path: str, **params: Any) -> httpx.Response:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.get(path, params=params)


async def test_shaped_rows_and_their_total():
    response = await _get("/rows", limit=3, offset=5)
    assert response.status_code == 200
    assert response.json() == [{"n": 5}, {"n": 6}]
    assert response.headers["X-Total-Count"] == "7"


async def test_standing_page_hands_include_void_and_the_page():
    response = await _get("/standing", include_void="true", limit=2)
    body = response.json()
    assert body["include_void"] is True
    assert body["page"] == {"limit": 2, "offset": 0}
    assert response.headers["X-Total-Count"] == "40"
    assert (await _get("/standing")).json()["include_void"] is False


async def test_dated_page_hands_the_range_by_its_aliases():
    response = await _get("/dated", **{"from": "2026-01-01", "to": "2026-03-31"})
    body = response.json()
    assert (body["date_from"], body["date_to"]) == ("2026-01-01", "2026-03-31")
    assert body["include_void"] is False
    assert response.headers["X-Total-Count"] == "0"


def test_openapi_names_the_shared_filters_in_order():
    parameters = _app().openapi()["paths"]["/dated"]["get"]["parameters"]
    assert [p["name"] for p in parameters] == ["from", "to", "include_void", "limit", "offset"]
