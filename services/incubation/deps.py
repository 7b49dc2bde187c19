"""The incubation routes' dependencies: the typed runtime and settings, the roles, the
`from`/`to` range of dated lists and a list route's page (with that range, for a dated list)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any, TypeVar

from enclave_shared.app import Runtime
from enclave_shared.auth import Principal, Role, require
from enclave_shared.corrections import IncludeVoid
from enclave_shared.deps import PageDep, PageParams, runtime_of, set_total
from fastapi import Depends, Query, Response
from pydantic import BaseModel

from services.incubation.config import IncubationSettings

P = TypeVar("P", bound=BaseModel)

IncubationRuntime = Annotated[Runtime[IncubationSettings], Depends(runtime_of(IncubationSettings))]


async def get_settings(runtime: IncubationRuntime) -> IncubationSettings:
    """The service's settings: chains and 531 targets on top of the platform's."""
    return runtime.settings


SettingsDep = Annotated[IncubationSettings, Depends(get_settings)]


async def get_chains(settings: SettingsDep) -> list[str]:
    """The configured industry chains, which a record's chain must be one of."""
    return settings.industry_chains


ChainsDep = Annotated[list[str], Depends(get_chains)]

Operator = Annotated[Principal, Depends(require(Role.ENCLAVE_OPERATOR))]
# Zone officers read projects and the backlog too: the intake base receives them.
ProjectReader = Annotated[
    Principal, Depends(require(Role.ENCLAVE_OPERATOR, Role.ASSESSOR, Role.ZONE_OFFICER))
]
Reader = Annotated[Principal, Depends(require(Role.ENCLAVE_OPERATOR, Role.ASSESSOR))]

# The `from`/`to` query parameters of every dated list and of the stats.
From = Annotated[date | None, Query(alias="from", description="first business date (inclusive)")]
To = Annotated[date | None, Query(alias="to", description="last business date (inclusive)")]
# A bound (inclusive) of the business date a project reached a stage (matured, transferred).
Reached = Annotated[
    date | None, Query(description="a business date bounding when the project reached a stage")
]


class ListPage:
    """A list route's page: the `limit`/`offset` asked for, and the response whose
    X-Total-Count gets the total of all rows."""

    def __init__(self, page: PageDep, response: Response) -> None:
        self.params: PageParams = page
        self.response = response

    def shaped(self, schema: type[P], found: tuple[Sequence[object], int]) -> list[P]:
        """The page's rows in their HTTP shape; the total goes in X-Total-Count."""
        rows, total = found
        set_total(self.response, total)
        return [schema.model_validate(r) for r in rows]


async def list_page(page: PageDep, response: Response) -> ListPage:
    """A list route's page (an async dependency: FastAPI runs a class's __init__ in a thread)."""
    return ListPage(page, response)


ListPageDep = Annotated[ListPage, Depends(list_page)]


class StandingListPage(ListPage):
    """A list route of voidable records: its page and `include_void`; `query` hands them to
    the list's handler."""

    def __init__(self, page: PageDep, response: Response, include_void: bool) -> None:
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
        page: PageDep,
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
