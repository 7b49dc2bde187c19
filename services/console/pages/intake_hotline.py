"""The hotline calls the intake and enterprise pages make: a case's tickets, an enterprise's
own tickets and raising one. (Kept beside the pages that use them, over the shared
client, under names of their own, so the hotline area's client stays its own.)"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends

from services.console.clients.base import ServiceClient, _Shape, every_page
from services.console.clients.hotline import TicketSummary
from services.console.deps import SignedInDep, StateDep


class Ticket(TicketSummary):
    """A ticket as the case and enterprise pages list it."""

    channel: str = ""
    case_id: str | None = None
    project_id: str | None = None
    reporter_sub: str | None = None
    resolution: str | None = None

    def opened_by(self, account: str | None) -> str:
        """Who opened it, as an enterprise sees it: `self` (this account), `hotline` (an
        agent) or `system` (the hotline, from an intake event)."""
        if account is not None and self.reporter_sub == account:
            return "self"
        return "system" if self.channel == "event" else "hotline"


class Category(_Shape):
    code: str
    name: str


class CaseTickets(ServiceClient):
    """The hotline, for the tickets about a case or of the signed-in enterprise."""

    service = "hotline"

    async def case_ticket_page(
        self, *, case_id: str | None = None, status: str | None = None, limit: int, offset: int
    ) -> tuple[list[Ticket], int]:
        """A page of tickets the caller may see, and the total."""
        filters = {"case_id": case_id, "status": status}
        return await self._page("/api/v1/tickets", Ticket, filters, limit=limit, offset=offset)

    async def case_tickets(
        self, *, case_id: str | None = None, status: str | None = None
    ) -> list[Ticket]:
        """Every ticket of the filter (all pages)."""
        return await every_page(
            lambda limit, offset: self.case_ticket_page(
                case_id=case_id, status=status, limit=limit, offset=offset
            )
        )

    async def ticket_categories(self) -> list[Category]:
        """The configured categories with their display names."""
        return [Category.model_validate(c) for c in await self._get("/api/v1/categories")]

    async def raise_ticket(self, body: dict[str, Any]) -> Ticket:
        """Raise a ticket (an enterprise on the web)."""
        return Ticket.model_validate(await self._send("POST", "/api/v1/tickets", body))


def hotline_of(signed: SignedInDep, state: StateDep) -> CaseTickets:
    """The hotline client with the signed-in user's token."""
    return CaseTickets(state.http, state.settings.service_urls()["hotline"], signed.token)


CaseTicketsDep = Annotated[CaseTickets, Depends(hotline_of)]
