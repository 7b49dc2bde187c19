"""The enclave's figures over a range of business dates, and a period beside the same period
a year earlier (the source's "over ten times the same period last year")."""

from __future__ import annotations

from datetime import MINYEAR, date
from typing import Any

from enclave_shared.catalog.incubation import (
    IntakePath,
    ProjectStage,
    TalentLevel,
    TrainingTrack,
    TransferCause,
)
from enclave_shared.corrections import standing
from enclave_shared.errors import Invalid
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
    """Counts by business date: each record counts on its own date (recruited, signed, …);
    void records count nowhere."""
    check_range(date_from, date_to)

    def within(column: Any) -> list[Any]:
        return in_range(column, date_from, date_to)

    talents = dict.fromkeys((lvl.value for lvl in TalentLevel), 0)
    for level, n in await session.execute(
        select(Talent.level, func.count())
        .where(*within(Talent.recruited_on), *standing(Talent))
        .group_by(Talent.level)
    ):
        talents[level] = int(n)

    total, gba = (
        await session.execute(
            select(func.count(), func.count().filter(Agreement.in_gba.is_(True))).where(
                *within(Agreement.signed_on), *standing(Agreement)
            )
        )
    ).one()

    by_path = dict.fromkeys((p.value for p in IntakePath), 0)
    by_stage = dict.fromkeys((s.value for s in ProjectStage), 0)
    for path, stage, n in await session.execute(
        select(Project.path, Project.stage, func.count())
        .where(*within(Project.registered_on), *standing(Project))
        .group_by(Project.path, Project.stage)
    ):
        by_path[path] += int(n)
        by_stage[stage] += int(n)
    matured = await _count(session, Project, Project.matured_on, within)
    transferred = await _count(session, Project, Project.transferred_on, within)

    activities = dict.fromkeys(("total", "attendance"), 0)
    n, people = (
        await session.execute(
            select(func.count(), func.coalesce(func.sum(Activity.attendance), 0)).where(
                *within(Activity.held_on), *standing(Activity)
            )
        )
    ).one()
    activities.update(total=int(n), attendance=int(people))

    completed = dict.fromkeys((t.value for t in TrainingTrack), 0)
    for track, people in await session.execute(
        select(TrainingRecord.track, func.sum(TrainingRecord.count))
        .where(*within(TrainingRecord.completed_on), *standing(TrainingRecord))
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
        "hq_economy": await _count(session, HqEnterprise, HqEnterprise.registered_on, within),
        "gba_enterprises": await gba_enterprises(session, within(Agreement.signed_on)),
        "activities": activities,
        "training": {
            track.value: {"completed": completed[track.value], "target": training_targets[track]}
            for track in TrainingTrack
        },
    }


# The figures the year-over-year comparison sets beside last year's, by their place in
# `figures()` (dotted keys).
YEAR_OVER_YEAR = (
    "talents.total",
    "talents.high_level",
    "talents.researcher",
    "projects.registered",
    "projects.matured",
    "projects.transferred",
    "agreements.total",
    "agreements.gba",
    "gba_enterprises.total",
    "hq_economy",
    "activities.total",
    "activities.attendance",
    *(f"training.{track.value}.completed" for track in TrainingTrack),
)


def a_year_earlier(day: date) -> date:
    """The same day a year before; 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def ratio(current: int, previous: int) -> float | None:
    """current ÷ previous to two decimals; None when there is no baseline (previous is 0)."""
    return round(current / previous, 2) if previous else None


async def year_over_year(
    session: OutboxSession,
    *,
    date_from: date,
    date_to: date,
    training_targets: dict[TrainingTrack, int],
) -> dict[str, Any]:
    """The period's figures beside those of the same period a year earlier, with the ratio."""
    check_range(date_from, date_to)
    if date_from.year == MINYEAR:
        raise Invalid(f"from ({date_from}) has no year before it", field="from")
    earlier = (a_year_earlier(date_from), a_year_earlier(date_to))
    now = await figures(
        session, date_from=date_from, date_to=date_to, training_targets=training_targets
    )
    then = await figures(
        session, date_from=earlier[0], date_to=earlier[1], training_targets=training_targets
    )
    rows = []
    for key in YEAR_OVER_YEAR:
        current, previous = _pick(now, key), _pick(then, key)
        rows.append(
            {
                "figure": key,
                "current": current,
                "previous": previous,
                "ratio": ratio(current, previous),
            }
        )
    return {
        "from": date_from,
        "to": date_to,
        "previous": {"from": earlier[0], "to": earlier[1]},
        "figures": rows,
    }


def _pick(found: dict[str, Any], key: str) -> int:
    value: Any = found
    for part in key.split("."):
        value = value[part]
    return int(value)


async def _count(session: OutboxSession, model: Any, column: Any, within: Any) -> int:
    n = await session.scalar(
        select(func.count()).where(column.is_not(None), *within(column), *standing(model))
    )
    return int(n or 0)


# What a GBA enterprise came to, by its links, the first that applies: its agreement led to
# a project whose enterprise settled, or whose R&D result was handed over, or it serves
# Guangfeng as HQ economy.
CAME_TO = ("settled", "outcome_transferred", "hq_economy")
_OUTCOMES = {
    TransferCause.ENTERPRISE_SETTLED.value: "settled",
    TransferCause.OUTCOME_TRANSFERRED.value: "outcome_transferred",
}


async def gba_enterprises(session: OutboxSession, signed_within: list[Any]) -> dict[str, Any]:
    """The GBA partners with cooperation intent (distinct, by name) and what each came to,
    computed from the links: agreement → project(s) → intake's outcome; HQ enterprise →
    agreement. Each partner counts once, in the first of CAME_TO that applies, else `other`."""
    agreements = (
        await session.execute(
            select(Agreement.id, Agreement.partner, Agreement.project_id, Agreement.project_ids)
            .where(Agreement.in_gba.is_(True), *signed_within, *standing(Agreement))
            .order_by(Agreement.signed_on, Agreement.id)
        )
    ).all()
    outcomes = {
        project_id: str(outcome)
        for project_id, outcome in await session.execute(
            select(Project.id, Project.outcome).where(
                Project.outcome.is_not(None), *standing(Project)
            )
        )
    }
    hq = set(
        (
            await session.scalars(
                select(HqEnterprise.agreement_id).where(
                    HqEnterprise.agreement_id.is_not(None), *standing(HqEnterprise)
                )
            )
        ).all()
    )
    reached: dict[str, set[str]] = {}
    for agreement_id, partner, project_id, project_ids in agreements:
        found = reached.setdefault(" ".join(partner.split()).casefold(), set())
        for linked in [*(project_ids or []), *([project_id] if project_id else [])]:
            if linked in outcomes:
                found.add(_OUTCOMES[outcomes[str(linked)]])
        if agreement_id in hq:
            found.add("hq_economy")
    counts = dict.fromkeys((*CAME_TO, "other"), 0)
    for found in reached.values():
        counts[next((c for c in CAME_TO if c in found), "other")] += 1
    return {"total": len(reached), **counts}
