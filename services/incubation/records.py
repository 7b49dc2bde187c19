"""The enclave's other records: talents and ambassadors, agreements, activities, 531 training,
HQ-economy enterprises. Each creation emits its catalog event."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TypeVar

from enclave_shared.catalog.incubation import (
    ActivityHeld,
    AgreementSigned,
    AmbassadorAppointed,
    HqEnterpriseRegistered,
    TalentRecruited,
    TrainingCompleted,
)
from enclave_shared.errors import Conflict, Invalid, NotFound
from enclave_shared.events import Payload
from enclave_shared.outbox import OutboxSession
from sqlalchemy import func, select

from services.incubation.common import check_chain, new_id
from services.incubation.models import (
    Activity,
    Agreement,
    Ambassador,
    Base,
    HqEnterprise,
    Project,
    Talent,
    TrainingRecord,
)
from services.incubation.schemas import (
    ActivityCreate,
    AgreementCreate,
    AmbassadorCreate,
    HqEnterpriseCreate,
    TalentCreate,
    TrainingCreate,
)

R = TypeVar("R", bound=Base)


async def get(session: OutboxSession, model: type[R], record_id: str, what: str) -> R:
    """One record by id, or 404 naming what was looked for."""
    row = await session.get(model, record_id)
    if row is None:
        raise NotFound(f"no {what} {record_id}", field="id")
    return row


async def appoint_ambassador(
    session: OutboxSession, *, data: AmbassadorCreate, today: date
) -> Ambassador:
    """A talent ambassador (招才大使) joins."""
    row = Ambassador(
        id=new_id(),
        name=data.name,
        organisation=data.organisation,
        appointed_on=data.appointed_on or today,
    )
    return _add_with_event(
        session,
        row,
        AmbassadorAppointed(ambassador_id=row.id, name=row.name, appointed_on=row.appointed_on),
    )


async def talents_recruited_by(
    session: OutboxSession, ambassador_ids: Sequence[str]
) -> dict[str, int]:
    """How many talents each ambassador brought."""
    rows = await session.execute(
        select(Talent.ambassador_id, func.count())
        .where(Talent.ambassador_id.in_(ambassador_ids))
        .group_by(Talent.ambassador_id)
    )
    return {str(a): int(n) for a, n in rows.all()}


async def recruit_talents(
    session: OutboxSession, *, talents: Sequence[TalentCreate], today: date
) -> list[Talent]:
    """Talents join the enclave (one or a batch, all or nothing)."""
    wanted = {t.ambassador_id for t in talents if t.ambassador_id}
    if wanted:
        known = set(
            (await session.scalars(select(Ambassador.id).where(Ambassador.id.in_(wanted)))).all()
        )
        for index, t in enumerate(talents):
            if t.ambassador_id and t.ambassador_id not in known:
                where = "ambassador_id" if len(talents) == 1 else f"talents.{index}.ambassador_id"
                raise Invalid(f"no talent ambassador {t.ambassador_id}", field=where)
    rows = []
    for t in talents:
        row = Talent(
            id=new_id(),
            name=t.name,
            level=t.level.value,
            field=t.field,
            recruited_on=t.recruited_on or today,
            ambassador_id=t.ambassador_id,
        )
        rows.append(
            _add_with_event(
                session,
                row,
                TalentRecruited(
                    talent_id=row.id,
                    level=t.level,
                    field=row.field,
                    ambassador_id=row.ambassador_id,
                    recruited_on=row.recruited_on,
                ),
            )
        )
    return rows


async def sign_agreement(
    session: OutboxSession, *, data: AgreementCreate, today: date
) -> Agreement:
    """A cooperation agreement (合作意向) is signed."""
    if data.project_id and await session.get(Project, data.project_id) is None:
        raise Invalid(f"no project {data.project_id}", field="project_id")
    row = Agreement(
        id=new_id(),
        partner=data.partner,
        kind=data.kind.value,
        in_gba=data.in_gba,
        signed_on=data.signed_on or today,
        project_id=data.project_id,
        note=data.note,
    )
    return _add_with_event(
        session,
        row,
        AgreementSigned(
            agreement_id=row.id,
            partner=row.partner,
            kind=row.kind,
            in_gba=row.in_gba,
            signed_on=row.signed_on,
            project_id=row.project_id,
        ),
    )


async def hold_activity(session: OutboxSession, *, data: ActivityCreate, today: date) -> Activity:
    """An activity took place."""
    row = Activity(
        id=new_id(),
        kind=data.kind.value,
        title=data.title,
        held_on=data.held_on or today,
        attendance=data.attendance,
        place=data.place,
    )
    return _add_with_event(
        session,
        row,
        ActivityHeld(
            activity_id=row.id,
            kind=row.kind,
            title=row.title,
            attendance=row.attendance,
            held_on=row.held_on,
        ),
    )


async def complete_training(
    session: OutboxSession, *, data: TrainingCreate, today: date
) -> TrainingRecord:
    """People completed a 531 track."""
    row = TrainingRecord(
        id=new_id(),
        track=data.track.value,
        count=data.count,
        completed_on=data.completed_on or today,
        note=data.note,
    )
    return _add_with_event(
        session,
        row,
        TrainingCompleted(
            record_id=row.id, track=data.track, count=row.count, completed_on=row.completed_on
        ),
    )


async def register_hq_enterprise(
    session: OutboxSession, *, data: HqEnterpriseCreate, chains: Sequence[str], today: date
) -> HqEnterprise:
    """An enterprise serves Guangfeng from Shenzhen (总部经济); each name once."""
    if data.industry_chain:
        check_chain(data.industry_chain, chains)
    existing = await session.scalar(select(HqEnterprise.id).where(HqEnterprise.name == data.name))
    if existing is not None:
        raise Conflict(
            f"HQ-economy enterprise {data.name!r} is already registered ({existing})", field="name"
        )
    row = HqEnterprise(
        id=new_id(),
        name=data.name,
        industry_chain=data.industry_chain,
        registered_on=data.registered_on or today,
        note=data.note,
    )
    return _add_with_event(
        session,
        row,
        HqEnterpriseRegistered(
            enterprise_id=row.id,
            name=row.name,
            registered_on=row.registered_on,
            industry_chain=row.industry_chain,
        ),
    )


def _add_with_event(session: OutboxSession, row: R, event: Payload) -> R:
    """Write a new record and its catalog event in the same transaction."""
    session.add(row)
    session.record(event)
    return row
