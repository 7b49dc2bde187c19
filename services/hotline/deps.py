"""The hotline's route dependencies: its typed runtime and settings, who may do what, and
the desk of a route that changes one ticket."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from enclave_shared.app import Clock, Runtime
from enclave_shared.auth import Principal, Role, require
from enclave_shared.deps import ClockDep, SessionDep, runtime_of
from enclave_shared.outbox import OutboxSession
from fastapi import Depends

from services.hotline.config import HotlineSettings
from services.hotline.domain import sees_caller
from services.hotline.handlers import tickets
from services.hotline.models import Ticket
from services.hotline.schemas import MoveBody, TicketPublic

HotlineRuntime = Annotated[Runtime[HotlineSettings], Depends(runtime_of(HotlineSettings))]


async def hotline_settings(runtime: HotlineRuntime) -> HotlineSettings:
    """The running service's settings (the frame builds them of the hotline's class)."""
    return runtime.settings


SettingsDep = Annotated[HotlineSettings, Depends(hotline_settings)]

Caller = Annotated[Principal, Depends(require(Role.ENTERPRISE, Role.HOTLINE_AGENT))]
"""Enterprises (their own tickets) and agents."""

Reader = Annotated[
    Principal, Depends(require(Role.ENTERPRISE, Role.HOTLINE_AGENT, Role.ZONE_OFFICER))
]
"""Who reads tickets: agents all, an enterprise its own, zone officers those about a case."""

Agent = Annotated[Principal, Depends(require(Role.HOTLINE_AGENT))]

Admin = Annotated[Principal, Depends(require())]


@dataclass(frozen=True)
class Desk:
    """What a route that changes one ticket works with (its moves, opening, correcting,
    voiding): the request's session, the settings, the clock and the caller."""

    session: OutboxSession
    settings: HotlineSettings
    clock: Clock
    user: Principal

    async def move(
        self,
        handler: Callable[..., Awaitable[Ticket]],
        ticket_id: str,
        body: MoveBody | None,
        **fields: Any,
    ) -> TicketPublic:
        """One move at the body's business time (none: now): the handler locks and moves
        the ticket (with the move's own `fields`)."""
        moved = await handler(
            self.session,
            ticket_id=ticket_id,
            user=self.user,
            settings=self.settings,
            now=self.clock(),
            at=body.at if body else None,
            **fields,
        )
        return await self.committed(moved)

    async def committed(self, changed: Ticket) -> TicketPublic:
        """Commit the change and show the ticket as stored (the caller in full to the agent)."""
        await self.session.commit()
        stored = await tickets.reloaded(self.session, ticket_id=changed.id, user=self.user)
        user = self.user
        return TicketPublic.of(
            stored, self.settings, user, now=self.clock(), full_caller=sees_caller(user)
        )


async def agent_desk(
    session: SessionDep, settings: SettingsDep, clock: ClockDep, user: Agent
) -> Desk:
    """The desk of an agent's change."""
    return Desk(session, settings, clock, user)


async def caller_desk(
    session: SessionDep, settings: SettingsDep, clock: ClockDep, user: Caller
) -> Desk:
    """The desk of a change an agent or an enterprise (of its own ticket) may make."""
    return Desk(session, settings, clock, user)


AgentDesk = Annotated[Desk, Depends(agent_desk)]
CallerDesk = Annotated[Desk, Depends(caller_desk)]
