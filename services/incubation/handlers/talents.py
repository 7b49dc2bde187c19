"""Talent ambassadors (招才大使) and the talents they and the enclave recruit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Unpack

from enclave_shared.catalog.incubation import AmbassadorAppointed, TalentLevel, TalentRecruited
from enclave_shared.deps import PageParams, paged
from enclave_shared.errors import Invalid
from enclave_shared.outbox import OutboxSession
from sqlalchemy import func, select

from services.incubation.handlers.rows import Dated, add_with_event, dated_page, from_body
from services.incubation.models import Ambassador, Talent
from services.incubation.schemas import AmbassadorCreate, TalentCreate


async def appoint_ambassador(
    session: OutboxSession, *, data: AmbassadorCreate, today: date
) -> Ambassador:
    """A talent ambassador (招才大使) joins."""
    row = from_body(Ambassador, data, today, dated="appointed_on")
    return add_with_event(session, row, AmbassadorAppointed)


async def list_ambassadors(
    session: OutboxSession, *, page: PageParams | None
) -> tuple[Sequence[Ambassador], int]:
    """Ambassadors in the order they were appointed."""
    stmt = select(Ambassador).order_by(Ambassador.appointed_on, Ambassador.id)
    return await paged(session, stmt, page)


async def talents_recruited_by(
    session: OutboxSession, ambassador_ids: Sequence[str]
) -> dict[str, int]:
    """How many talents each ambassador brought."""
    rows = await session.execute(
        select(Talent.ambassador_id, func.count())
        .where(Talent.ambassador_id.in_(ambassador_ids), Talent.voided_at.is_(None))
        .group_by(Talent.ambassador_id)
    )
    return {str(a): int(n) for a, n in rows.all()}


async def recruit_talents(
    session: OutboxSession, *, talents: Sequence[TalentCreate], today: date
) -> list[Talent]:
    """Talents join the enclave (one or a batch, all or nothing), each with its event."""
    wanted = {t.ambassador_id for t in talents if t.ambassador_id}
    if wanted:
        known = set(
            (await session.scalars(select(Ambassador.id).where(Ambassador.id.in_(wanted)))).all()
        )
        for index, t in enumerate(talents):
            if t.ambassador_id and t.ambassador_id not in known:
                where = "ambassador_id" if len(talents) == 1 else f"talents.{index}.ambassador_id"
                raise Invalid(f"no talent ambassador {t.ambassador_id}", field=where)
    return [
        add_with_event(
            session,
            from_body(Talent, t, today, dated="recruited_on"),
            TalentRecruited,
        )
        for t in talents
    ]


async def list_talents(
    session: OutboxSession,
    *,
    level: TalentLevel | None = None,
    ambassador_id: str | None = None,
    **dated: Unpack[Dated],
) -> tuple[Sequence[Talent], int]:
    """Talents, newest recruited first."""
    return await dated_page(
        session, Talent, Talent.recruited_on, level=level, ambassador_id=ambassador_id, **dated
    )
