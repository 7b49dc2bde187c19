"""FastAPI dependencies every service's routes use, and `paged`, the one way to read a page.

Every dependency is `async def`, even one that awaits nothing: FastAPI runs a plain `def`
in a worker thread, a hand-off and back per dependency per request
(tests/platform/test_dependencies.py checks every route of every service)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy import Select, func, select
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


async def get_session(runtime: RuntimeDep) -> AsyncIterator[OutboxSession]:
    """A session for one request; the route commits, anything uncommitted is rolled back."""
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


async def page_params(
    limit: Annotated[int, Query(ge=1, le=500, description="items per page")] = 50,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1, description="items to skip")] = 0,
) -> PageParams:
    """Pagination query parameters."""
    return PageParams(limit=limit, offset=offset)


PageDep = Annotated[PageParams, Depends(page_params)]


async def paged(
    session: AsyncSession, stmt: Select[T], page: PageParams | None
) -> tuple[Sequence[T], int]:
    """One page of a query's rows and the total count of all its rows.

    The page is read first: one that is not full (and not past the end) ends the rows, so
    the total is known without the count, a statement of its own (most lists are shorter
    than a page)."""
    if page is None:  # every row, for a handler whose caller needs the whole set (a report)
        rows = (await session.scalars(stmt)).all()
        return rows, len(rows)
    rows = (await session.scalars(stmt.limit(page.limit).offset(page.offset))).all()
    if len(rows) < page.limit and (rows or page.offset == 0):
        return rows, page.offset + len(rows)
    total = await session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    return rows, int(total or 0)


def set_total(response: Response, total: int) -> None:
    """List endpoints return a JSON array; the full count travels in X-Total-Count."""
    response.headers["X-Total-Count"] = str(total)


P = TypeVar("P", bound=BaseModel)

IncludeVoid = Annotated[bool, Query(description="also list records voided as entered by mistake")]
"""A list route's `include_void`: voided records are left out unless asked for."""

# The `from`/`to` query parameters of a dated list (and of a service's stats over a range).
From = Annotated[date | None, Query(alias="from", description="first business date (inclusive)")]
To = Annotated[date | None, Query(alias="to", description="last business date (inclusive)")]


class ListPage:
    """A list route's page: the `limit`/`offset` asked for, and the response whose
    X-Total-Count gets the total of all rows."""

    def __init__(self, page: PageParams, response: Response) -> None:
        self.params = page
        self.response = response

    def shaped(self, schema: type[P], found: tuple[Sequence[object], int]) -> list[P]:
        """The page's rows (`paged`'s answer) in their HTTP shape; the total goes in
        X-Total-Count."""
        rows, total = found
        set_total(self.response, total)
        return [schema.model_validate(r) for r in rows]

    def window(self, rows: Sequence[T]) -> tuple[Sequence[T], int]:
        """The page of rows computed in memory (not a query), and their total, as `paged`
        answers them."""
        return rows[self.params.offset : self.params.offset + self.params.limit], len(rows)


async def list_page(page: PageDep, response: Response) -> ListPage:
    """A list route's page (an async dependency: FastAPI runs a class's __init__ in a thread)."""
    return ListPage(page, response)


ListPageDep = Annotated[ListPage, Depends(list_page)]


class StandingListPage(ListPage):
    """A list route of voidable records: its page and `include_void`; `query` hands them to
    the list's handler (`**page.query`)."""

    def __init__(self, page: PageParams, response: Response, include_void: bool) -> None:
        super().__init__(page, response)
        self.query: dict[str, Any] = {"include_void": include_void, "page": page}


async def standing_list_page(
    page: PageDep, response: Response, include_void: IncludeVoid = False
) -> StandingListPage:
    """A list route's page and `include_void` (async: see `list_page`)."""
    return StandingListPage(page, response, include_void)


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
    page: PageDep,
    response: Response,
    date_from: From = None,
    date_to: To = None,
    include_void: IncludeVoid = False,
) -> DatedListPage:
    """A dated list route's page, range and `include_void` (async: see `list_page`)."""
    return DatedListPage(page, response, date_from, date_to, include_void)


DatedListPageDep = Annotated[DatedListPage, Depends(dated_list_page)]
