"""FastAPI dependencies every service's routes use, and `paged`, the one way to read a page
(`PreparedList`: its statements built once for a list's shape; `paged_rows`, `rows`: the
page as column values, what a list route shapes).

Every dependency is `async def`, even one that awaits nothing: FastAPI runs a plain `def`
in a worker thread, a hand-off and back per dependency per request
(tests/platform/test_dependencies.py checks every route of every service)."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Mapping, Sequence
from datetime import date
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, TypeAdapter
from sqlalchemy import Select, bindparam, func, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from enclave_shared.app import Clock, Runtime
from enclave_shared.auth import Principal, Role, require
from enclave_shared.outbox import OutboxSession
from enclave_shared.settings import ServiceSettings

T = TypeVar("T")
S = TypeVar("S", bound=ServiceSettings)


async def get_runtime(request: Request) -> Runtime[Any]:
    """The running service's runtime."""
    runtime: Runtime[Any] = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime[Any], Depends(get_runtime)]


def runtime_of(settings_class: type[S]) -> Callable[[Request], Awaitable[Runtime[S]]]:
    """A dependency giving the runtime typed with the service's own settings class.

    A service declares its own once, in its deps.py:
    `IntakeRuntime = Annotated[Runtime[IntakeSettings], Depends(runtime_of(IntakeSettings))]`
    (create_app always builds a service's settings of its spec's settings_class)."""

    async def get(request: Request) -> Runtime[S]:
        runtime: Runtime[Any] = request.app.state.runtime
        if not isinstance(runtime.settings, settings_class):
            raise TypeError(f"the service's settings are not {settings_class.__name__}")
        return runtime

    return get


async def get_session(request: Request) -> AsyncIterator[OutboxSession]:
    """A session for one request; the route commits, anything uncommitted is rolled back.
    (The runtime read here, not through `RuntimeDep`: a dependency less to solve on every
    request that has no other use for it.)"""
    runtime: Runtime[Any] = request.app.state.runtime
    async with runtime.sessions() as session:
        yield session


SessionDep = Annotated[OutboxSession, Depends(get_session)]


async def get_clock(runtime: RuntimeDep) -> Clock:
    """The service's clock (replaceable in tests)."""
    return runtime.clock


ClockDep = Annotated[Clock, Depends(get_clock)]


async def get_today(runtime: RuntimeDep) -> date:
    """Today's business date in the platform's time zone: the default of `…_on` fields."""
    return runtime.today()


TodayDep = Annotated[date, Depends(get_today)]


async def get_month(
    month: Annotated[
        str,
        Query(
            pattern=r"^(20\d\d|2100)-(0[1-9]|1[0-2])$",
            description="the month, YYYY-MM (2000 to 2100)",
        ),
    ],
) -> date:
    """The `month` a report is asked for (`YYYY-MM`), as its first day."""
    return date.fromisoformat(f"{month}-01")


MonthDep = Annotated[date, Depends(get_month)]

LeaderDep = Annotated[Principal, Depends(require(Role.DISTRICT_LEADER))]
"""A route of the district leader's (and an admin's): the dispatch."""


class PageParams(BaseModel):
    """Offset pagination for every list endpoint."""

    limit: int = 50
    offset: int = 0


Limit = Annotated[int, Query(ge=1, le=500, description="items per page")]
Offset = Annotated[int, Query(ge=0, le=2**31 - 1, description="items to skip")]


async def page_params(limit: Limit = 50, offset: Offset = 0) -> PageParams:
    """Pagination query parameters."""
    return PageParams(limit=limit, offset=offset)


PageDep = Annotated[PageParams, Depends(page_params)]


class PreparedList(Generic[T]):
    """A list's statement, `select(Model)` with its filters and order, and the statements of
    its page derived from it once: the page with the total of all its rows as a last column
    (an uncorrelated scalar subquery, evaluated once: the same plans as the page and the
    count on their own, SQLite and PostgreSQL), every row, the count. The page's limit and
    offset, and whatever `bindparam`s the statement has, are bound when it runs.

    Built once for each shape of a list's filters (`prepared`), a request builds no
    statement and computes no cache key (with the ORM's loading, a third of a list
    request's interpreter time went there)."""

    _LIMIT, _OFFSET = "page_limit", "page_offset"

    def __init__(self, stmt: Select[T]) -> None:
        self.stmt = stmt
        self.counted = select(func.count()).select_from(stmt.order_by(None).subquery())
        page = stmt.add_columns(self.counted.scalar_subquery())
        self.page = page.limit(bindparam(self._LIMIT)).offset(bindparam(self._OFFSET))

    @functools.cached_property
    def _as_columns(self) -> tuple[tuple[str, ...], Select[Any], Select[Any]]:
        """For `rows`: the model's attribute names, the statement and its page selecting
        them (the entity's columns, not the entity)."""
        names, columns = _columns_of(self.stmt.column_descriptions[0]["entity"])
        every = self.stmt.with_only_columns(*columns, maintain_column_froms=True)
        page = self.page.with_only_columns(
            *columns, self.counted.scalar_subquery(), maintain_column_froms=True
        )
        return names, every, page

    async def instances(
        self, session: AsyncSession, values: Mapping[str, Any], page: PageParams | None
    ) -> tuple[Sequence[T], int]:
        """The page's ORM instances (the statement's first column) and the total."""
        if page is None:  # every row, for a handler whose caller needs the whole set (a report)
            rows = (await session.scalars(self.stmt, values)).all()
            return rows, len(rows)
        found, total = await self._page(session, self.page, values, page)
        return [row[0] for row in found], total

    async def rows(
        self, session: AsyncSession, values: Mapping[str, Any], page: PageParams | None
    ) -> tuple[list[dict[str, Any]], int]:
        """The page as the model's column values (a dict a row, by attribute name), not ORM
        instances, and the total: what `ListPage.shaped` validates a response model from,
        with no identity map, instance state or attribute instrumentation. Only for a
        response model whose fields are the model's columns (not a property or a
        relationship of the ORM class)."""
        names, every, paged_columns = self._as_columns
        if page is None:
            found = (await session.execute(every, values)).all()
            return [dict(zip(names, row, strict=False)) for row in found], len(found)
        found, total = await self._page(session, paged_columns, values, page)
        return [dict(zip(names, row, strict=False)) for row in found], total

    async def _page(
        self,
        session: AsyncSession,
        stmt: Select[Any],
        values: Mapping[str, Any],
        page: PageParams,
    ) -> tuple[Sequence[Any], int]:
        bound = {**values, self._LIMIT: page.limit, self._OFFSET: page.offset}
        found = (await session.execute(stmt, bound)).all()
        if found:
            return found, int(found[0][-1])
        if page.offset == 0:
            return found, 0
        # Past the end: no row carries the total, so it is counted on its own.
        return found, int(await session.scalar(self.counted, dict(values)) or 0)


_PREPARED: dict[Hashable, PreparedList[Any]] = {}
_MOST_PREPARED = 4096


def prepared(shape: Hashable, build: Callable[[], Select[T]]) -> PreparedList[T]:
    """The prepared list of one `shape` (what identifies the statement: the model and which
    filters are given, never their values, which `build` leaves as `bindparam`s), built by
    `build` the first time it is asked for; the oldest is dropped past 4,096 shapes."""
    found = _PREPARED.get(shape)
    if found is None:
        if len(_PREPARED) >= _MOST_PREPARED:
            del _PREPARED[next(iter(_PREPARED))]
        found = _PREPARED[shape] = PreparedList(build())
    return found


async def paged(
    session: AsyncSession, stmt: Select[T], page: PageParams | None
) -> tuple[Sequence[T], int]:
    """One page of a query's rows (its first column: the ORM instances of `select(Model)`)
    and the total count of all its rows, in one statement (`PreparedList`, built for this
    call)."""
    return await PreparedList(stmt).instances(session, {}, page)


async def paged_rows(
    session: AsyncSession, stmt: Select[T], page: PageParams | None
) -> tuple[list[dict[str, Any]], int]:
    """`paged` read as the model's column values (`PreparedList.rows`): for a list route."""
    return await PreparedList(stmt).rows(session, {}, page)


@functools.cache
def _columns_of(model: type[Any]) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """A mapped class's column attributes: their names and the attributes to select."""
    attributes = inspect(model).column_attrs
    return tuple(a.key for a in attributes), tuple(getattr(model, a.key) for a in attributes)


def set_total(response: Response, total: int) -> None:
    """List endpoints return a JSON array; the full count travels in X-Total-Count."""
    response.headers["X-Total-Count"] = str(total)


P = TypeVar("P", bound=BaseModel)

IncludeVoid = Annotated[bool, Query(description="also list records voided as entered by mistake")]
"""A list route's `include_void`: voided records are left out unless asked for."""

# The `from`/`to` query parameters of a dated list (and of a service's stats over a range).
From = Annotated[date | None, Query(alias="from", description="first business date (inclusive)")]
To = Annotated[date | None, Query(alias="to", description="last business date (inclusive)")]


@functools.cache
def _shapes(schema: type[P]) -> TypeAdapter[list[P]]:
    """A list of `schema` validated in one call (rows as dicts or as objects)."""
    return TypeAdapter(list[schema])  # type: ignore[valid-type]


class ListPage:
    """A list route's page: the `limit`/`offset` asked for, and the response whose
    X-Total-Count gets the total of all rows."""

    def __init__(self, page: PageParams, response: Response) -> None:
        self.params = page
        self.response = response

    def shaped(self, schema: type[P], found: tuple[Sequence[object], int]) -> list[P]:
        """The page's rows (`paged`'s or `paged_rows`' answer: objects or dicts) in their HTTP
        shape, validated as one list; the total goes in X-Total-Count."""
        rows, total = found
        set_total(self.response, total)
        return _shapes(schema).validate_python(rows, from_attributes=True)

    def window(self, rows: Sequence[T]) -> tuple[Sequence[T], int]:
        """The page of rows computed in memory (not a query), and their total, as `paged`
        answers them."""
        return rows[self.params.offset : self.params.offset + self.params.limit], len(rows)


# The list pages take `limit` and `offset` themselves rather than through PageDep: a
# dependency less for FastAPI to solve on every list request, the same query parameters.


async def list_page(response: Response, limit: Limit = 50, offset: Offset = 0) -> ListPage:
    """A list route's page (an async dependency: FastAPI runs a class's __init__ in a thread)."""
    return ListPage(PageParams(limit=limit, offset=offset), response)


ListPageDep = Annotated[ListPage, Depends(list_page)]


class StandingListPage(ListPage):
    """A list route of voidable records: its page and `include_void`; `query` hands them to
    the list's handler (`**page.query`)."""

    def __init__(self, page: PageParams, response: Response, include_void: bool) -> None:
        super().__init__(page, response)
        self.query: dict[str, Any] = {"include_void": include_void, "page": page}


async def standing_list_page(
    response: Response, include_void: IncludeVoid = False, limit: Limit = 50, offset: Offset = 0
) -> StandingListPage:
    """A list route's page and `include_void` (async: see `list_page`)."""
    return StandingListPage(PageParams(limit=limit, offset=offset), response, include_void)


StandingListPageDep = Annotated[StandingListPage, Depends(standing_list_page)]


class DatedListPage(StandingListPage):
    """A dated list route's page and its shared filters: `from`/`to` on the records' business
    date and `include_void`; `query` hands them, with the page, to the list's handler."""

    def __init__(
        self,
        page: PageParams,
        response: Response,
        date_from: date | None,
        date_to: date | None,
        include_void: bool,
    ) -> None:
        super().__init__(page, response, include_void)
        self.query.update(date_from=date_from, date_to=date_to)


async def dated_list_page(
    response: Response,
    date_from: From = None,
    date_to: To = None,
    include_void: IncludeVoid = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> DatedListPage:
    """A dated list route's page, range and `include_void` (async: see `list_page`)."""
    page = PageParams(limit=limit, offset=offset)
    return DatedListPage(page, response, date_from, date_to, include_void)


DatedListPageDep = Annotated[DatedListPage, Depends(dated_list_page)]
