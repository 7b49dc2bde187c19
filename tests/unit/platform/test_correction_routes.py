"""`correction_routes` with a reader: the `GET` of one record it adds is the route a module
would write by hand (same operation in the OpenAPI) and answers the kind's `read`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

import httpx
import pytest
from enclave_shared.corrections import Correctable, Correction, correction_routes
from enclave_shared.deps import SessionDep, get_session
from enclave_shared.errors import NotFound
from enclave_shared.events import Corrected, Voided
from enclave_shared.http import add_error_mapping
from fastapi import APIRouter, Depends, FastAPI
from pydantic import BaseModel, ConfigDict


async def _reader() -> str:
    return "reader"


async def _operator() -> str:
    return "operator"


Reader = Annotated[str, Depends(_reader)]
Operator = Annotated[str, Depends(_operator)]


@dataclass
class Thing:
    id: str
    name: str
    voided_at: datetime | None = None
    void_reason: str | None = None


THINGS = {"t1": Thing("t1", "first")}
LOCKED: list[str] = []


class ThingPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str


class ThingCorrection(Correction):
    name: str | None = None


async def _find(_session: Any, thing_id: str) -> Thing:
    if thing_id not in THINGS:
        raise NotFound(f"no thing {thing_id}", field="id")
    return THINGS[thing_id]


async def _lock(session: Any, thing_id: str) -> Thing:
    LOCKED.append(thing_id)
    return await _find(session, thing_id)


KIND = Correctable(what="thing", corrected=Corrected, voided=Voided, load=_lock, read=_find)


def _app(router: APIRouter) -> FastAPI:
    app = FastAPI()
    add_error_mapping(app)
    app.include_router(router)
    app.dependency_overrides[get_session] = lambda: None
    return app


def _by_hand() -> FastAPI:
    router = APIRouter(prefix="/api/v1", tags=["things"])

    @router.get("/things/{thing_id}")
    async def get_thing(thing_id: str, session: SessionDep, _user: Reader) -> ThingPublic:
        """One thing."""
        return ThingPublic.model_validate(await _find(session, thing_id))

    return _app(router)


def _thing_routes(router: APIRouter, kind: Correctable[Any]) -> None:
    correction_routes(
        router,
        "/things/{thing_id}",
        kind,
        name="thing",
        body=ThingCorrection,
        public=ThingPublic,
        user=Operator,
        docs=("Correct a thing.", "Void a thing."),
        reader=Reader,
        read_doc="One thing.",
    )


def _made() -> FastAPI:
    router = APIRouter(prefix="/api/v1", tags=["things"])
    _thing_routes(router, KIND)
    return _app(router)


def test_the_get_it_adds_is_the_operation_written_by_hand() -> None:
    by_hand = _by_hand().openapi()["paths"]["/api/v1/things/{thing_id}"]
    made = _made().openapi()["paths"]["/api/v1/things/{thing_id}"]
    assert list(made) == ["get", "patch", "delete"]
    assert made["get"] == by_hand["get"]
    assert made["get"]["operationId"] == "get_thing_api_v1_things__thing_id__get"
    assert (made["get"]["summary"], made["get"]["description"]) == ("Get Thing", "One thing.")


async def test_the_get_answers_the_kinds_read_unlocked_or_its_404() -> None:
    LOCKED.clear()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=_made()), base_url="http://t"
    ) as client:
        one = await client.get("/api/v1/things/t1")
        missing = await client.get("/api/v1/things/t9")
    assert (one.status_code, one.json()) == (200, {"id": "t1", "name": "first"})
    assert (missing.status_code, missing.json()["detail"]) == (404, "no thing t9")
    assert LOCKED == []


def test_a_reader_without_the_kinds_read_is_refused_when_the_routes_are_made() -> None:
    kind = Correctable(what="thing", corrected=Corrected, voided=Voided, load=_lock)
    with pytest.raises(TypeError, match="needs the kind's read"):
        _thing_routes(APIRouter(), kind)
