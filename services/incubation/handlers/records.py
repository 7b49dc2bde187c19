"""The enclave's other records: cooperation agreements, activities, 531 training and
HQ-economy enterprises. Each creation records its catalog event."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Unpack

from enclave_shared.catalog.incubation import (
    ActivityHeld,
    AgreementSigned,
    HqEnterpriseRegistered,
    TrainingCompleted,
    TrainingTrack,
)
from enclave_shared.errors import Conflict, Invalid
from enclave_shared.outbox import OutboxSession
from sqlalchemy import select

from services.incubation.domain import ActivityKind, AgreementKind, check_chain
from services.incubation.handlers.rows import (
    Dated,
    add_with_event,
    dated_page,
    from_body,
    standing_ids,
)
from services.incubation.models import Activity, Agreement, HqEnterprise, Project, TrainingRecord
from services.incubation.schemas import (
    ActivityCreate,
    AgreementCreate,
    HqEnterpriseCreate,
    TrainingCreate,
)


async def linked_projects(session: OutboxSession, project_ids: Sequence[str]) -> list[str]:
    """The projects a record links to (an agreement, an R&D centre), once each, in the order
    given: 422 naming project_ids unless every one stands."""
    await standing_ids(session, Project, project_ids, field="project_ids", what="project")
    return list(dict.fromkeys(project_ids))


async def sign_agreement(
    session: OutboxSession, *, data: AgreementCreate, today: date
) -> Agreement:
    """A cooperation agreement (合作意向) is signed."""
    if data.project_id and await session.get(Project, data.project_id) is None:
        raise Invalid(f"no project {data.project_id}", field="project_id")
    linked = await linked_projects(session, data.project_ids)
    row = from_body(Agreement, data, today, dated="signed_on", project_ids=linked)
    return add_with_event(session, row, AgreementSigned)


async def list_agreements(
    session: OutboxSession,
    *,
    kind: AgreementKind | None = None,
    in_gba: bool | None = None,
    project_id: str | None = None,
    **dated: Unpack[Dated],
) -> tuple[Sequence[Agreement], int]:
    """Agreements, newest signed first."""
    return await dated_page(
        session,
        Agreement,
        Agreement.signed_on,
        kind=kind,
        in_gba=in_gba,
        project_id=project_id,
        **dated,
    )


async def hold_activity(session: OutboxSession, *, data: ActivityCreate, today: date) -> Activity:
    """An activity took place."""
    row = from_body(Activity, data, today, dated="held_on")
    return add_with_event(session, row, ActivityHeld)


async def list_activities(
    session: OutboxSession, *, kind: ActivityKind | None = None, **dated: Unpack[Dated]
) -> tuple[Sequence[Activity], int]:
    """Activities, newest held first."""
    return await dated_page(session, Activity, Activity.held_on, kind=kind, **dated)


async def complete_training(
    session: OutboxSession, *, data: TrainingCreate, today: date
) -> TrainingRecord:
    """People completed a 531 track."""
    row = from_body(TrainingRecord, data, today, dated="completed_on")
    return add_with_event(session, row, TrainingCompleted)


async def list_trainings(
    session: OutboxSession, *, track: TrainingTrack | None = None, **dated: Unpack[Dated]
) -> tuple[Sequence[TrainingRecord], int]:
    """Training completions, newest first."""
    return await dated_page(
        session, TrainingRecord, TrainingRecord.completed_on, track=track, **dated
    )


async def register_hq_enterprise(
    session: OutboxSession, *, data: HqEnterpriseCreate, chains: Sequence[str], today: date
) -> HqEnterprise:
    """An enterprise serves Guangfeng from Shenzhen (总部经济); each name once."""
    if data.industry_chain:
        check_chain(data.industry_chain, chains)
    if data.agreement_id:
        await standing_ids(
            session, Agreement, [data.agreement_id], field="agreement_id", what="agreement"
        )
    existing = await session.scalar(select(HqEnterprise.id).where(HqEnterprise.name == data.name))
    if existing is not None:
        raise Conflict(
            f"HQ-economy enterprise {data.name!r} is already registered ({existing})", field="name"
        )
    row = from_body(HqEnterprise, data, today, dated="registered_on")
    return add_with_event(session, row, HqEnterpriseRegistered)


async def list_hq_enterprises(
    session: OutboxSession, **dated: Unpack[Dated]
) -> tuple[Sequence[HqEnterprise], int]:
    """HQ-economy enterprises, newest registered first."""
    return await dated_page(session, HqEnterprise, HqEnterprise.registered_on, **dated)
