"""Test data of the intake unit tier: matured projects, registrations, principals."""

from __future__ import annotations

from datetime import date

from enclave_shared.auth import Principal, Role
from enclave_shared.catalog.incubation import (
    EnterpriseTag,
    IntakePath,
    ProjectMatured,
    ProjectRegistered,
)
from enclave_shared.events import CloudEvent, new_event
from enclave_shared.outbox import OutboxSession
from sqlalchemy.ext.asyncio import async_sessionmaker

from services.intake.handlers import cases
from services.intake.models import IntakeCase

OFFICER = Principal(role=Role.ZONE_OFFICER, sub="officer-1")


def enterprise_user(sub: str | None) -> Principal:
    return Principal(role=Role.ENTERPRISE, sub=sub)


def matured(
    project_id: str,
    path: IntakePath | str = IntakePath.MENU,
    *,
    enterprise: str | None = None,
    chain: str = "metal_new_materials",
    on: date = date(2021, 3, 1),
    title: str | None = None,
    tag: EnterpriseTag | str | None = None,
) -> CloudEvent:
    """A ProjectMatured event as incubation sends it."""
    return new_event(
        ProjectMatured(
            project_id=project_id,
            title=title or f"project {project_id}",
            path=IntakePath(path),
            industry_chain=chain,
            enterprise=enterprise,
            matured_on=on,
            enterprise_tag=EnterpriseTag(tag) if tag else None,
        )
    )


def registered(project_id: str, demand_id: str | None, on: date = date(2021, 2, 1)) -> CloudEvent:
    """A ProjectRegistered event of an order-path project answering an R&D demand."""
    return new_event(
        ProjectRegistered(
            project_id=project_id,
            title=f"project {project_id}",
            path=IntakePath.ORDER,
            industry_chain="metal_new_materials",
            demand_id=demand_id,
            registered_on=on,
        )
    )


async def opened(
    sessions: async_sessionmaker[OutboxSession],
    project_id: str,
    path: IntakePath = IntakePath.MENU,
    *,
    enterprise: str | None = None,
    on: date = date(2021, 3, 1),
) -> IntakeCase:
    """Open a case from a matured event and commit it."""
    event = matured(project_id, path, enterprise=enterprise, on=on)
    async with sessions() as session:
        case = await cases.open_case(
            session, matured=ProjectMatured.model_validate(event.data), causation=event
        )
        await session.commit()
    assert case is not None
    return case
