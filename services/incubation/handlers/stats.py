"""The enclave's figures over a range of business dates."""

from __future__ import annotations

from datetime import date
from typing import Any

from enclave_shared.catalog.incubation import IntakePath, ProjectStage, TalentLevel, TrainingTrack
from enclave_shared.outbox import OutboxSession
from sqlalchemy import func, select

from services.incubation.domain import check_range
from services.incubation.handlers.rows import in_range
from services.incubation.models import (
    Activity,
    Agreement,
    HqEnterprise,
    Project,
    Talent,
    TrainingRecord,
)


async def figures(
    session: OutboxSession,
    *,
    date_from: date | None,
    date_to: date | None,
    training_targets: dict[TrainingTrack, int],
) -> dict[str, Any]:
    """Counts by business date: each record counts on its own date (recruited, signed, …)."""
    check_range(date_from, date_to)

    def within(column: Any) -> list[Any]:
        return in_range(column, date_from, date_to)

    talents = dict.fromkeys((lvl.value for lvl in TalentLevel), 0)
    for level, n in await session.execute(
        select(Talent.level, func.count())
        .where(*within(Talent.recruited_on))
        .group_by(Talent.level)
    ):
        talents[level] = int(n)

    total, gba = (
        await session.execute(
            select(func.count(), func.count().filter(Agreement.in_gba.is_(True))).where(
                *within(Agreement.signed_on)
            )
        )
    ).one()

    by_path = dict.fromkeys((p.value for p in IntakePath), 0)
    by_stage = dict.fromkeys((s.value for s in ProjectStage), 0)
    for path, stage, n in await session.execute(
        select(Project.path, Project.stage, func.count())
        .where(*within(Project.registered_on))
        .group_by(Project.path, Project.stage)
    ):
        by_path[path] += int(n)
        by_stage[stage] += int(n)
    matured = await _count(session, Project.matured_on, within)
    transferred = await _count(session, Project.transferred_on, within)

    activities = dict.fromkeys(("total", "attendance"), 0)
    n, people = (
        await session.execute(
            select(func.count(), func.coalesce(func.sum(Activity.attendance), 0)).where(
                *within(Activity.held_on)
            )
        )
    ).one()
    activities.update(total=int(n), attendance=int(people))

    completed = dict.fromkeys((t.value for t in TrainingTrack), 0)
    for track, people in await session.execute(
        select(TrainingRecord.track, func.sum(TrainingRecord.count))
        .where(*within(TrainingRecord.completed_on))
        .group_by(TrainingRecord.track)
    ):
        completed[track] = int(people or 0)

    return {
        "from": date_from,
        "to": date_to,
        "talents": {**talents, "total": sum(talents.values())},
        "agreements": {"total": int(total), "gba": int(gba)},
        "projects": {
            "registered": sum(by_path.values()),
            "by_path": by_path,
            "by_stage": by_stage,
            "matured": matured,
            "transferred": transferred,
        },
        "hq_economy": await _count(session, HqEnterprise.registered_on, within),
        "activities": activities,
        "training": {
            track.value: {"completed": completed[track.value], "target": training_targets[track]}
            for track in TrainingTrack
        },
    }


async def _count(session: OutboxSession, column: Any, within: Any) -> int:
    n = await session.scalar(select(func.count()).where(column.is_not(None), *within(column)))
    return int(n or 0)
