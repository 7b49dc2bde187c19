"""The events intake consumes, each mapped to the handler that applies it."""

from __future__ import annotations

from enclave_shared.catalog.incubation import ProjectMatured, ProjectRegistered
from enclave_shared.consumer import Handler
from enclave_shared.events import CloudEvent, Payload
from enclave_shared.outbox import OutboxSession

from services.intake.handlers import cases, zone


async def on_project_matured(
    session: OutboxSession, payload: ProjectMatured, event: CloudEvent
) -> None:
    """A project matured in the enclave: open its case (once per project)."""
    await cases.open_case(session, matured=payload, causation=event)


async def on_project_registered(
    session: OutboxSession, payload: ProjectRegistered, event: CloudEvent
) -> None:
    """The enclave registered a project: the R&D demand it answers, if any, is taken on."""
    await zone.take_on_demand(session, registered=payload, causation=event)


HANDLERS: dict[type[Payload], Handler] = {
    ProjectMatured: on_project_matured,
    ProjectRegistered: on_project_registered,
}
