"""Read models: a case's ledger as one document, the stats and the public wall."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from enclave_shared.catalog.incubation import IntakePath
from enclave_shared.catalog.intake import MeetingKind
from enclave_shared.corrections import standing
from enclave_shared.outbox import OutboxSession
from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import InstrumentedAttribute

from services.intake.domain import CaseStatus, Color, SlotStatus, Stage, StageTemplate, color_of
from services.intake.handlers import returns
from services.intake.handlers.cases import get_pauses, get_progress
from services.intake.handlers.meetings import get_meetings, schedule_of
from services.intake.models import IntakeCase, Meeting, MenuItem, RdDemand
from services.intake.schemas import (
    CaseDays,
    CasePublic,
    Cooperation,
    Distribution,
    LedgerPublic,
    MeetingPublic,
    PlanPublic,
    Platforms,
    ProgressPublic,
    RdDemandStats,
    Responsible,
    StageView,
    StatsPublic,
    WallPublic,
    WallRow,
    WallTextPublic,
)


def _stages(case: IntakeCase, templates: Sequence[StageTemplate]) -> list[StageView]:
    """Each stage's requirements, the milestone date that ends it, done/current/pending."""
    done = {
        Stage.SIGNING: case.signed_on,
        Stage.CONSTRUCTION: case.construction_started_on,
        Stage.PRODUCTION: case.production_started_on,
    }
    stages: list[StageView] = []
    current_given = False
    for template in templates:
        done_on = done[template.stage]
        status = "done" if done_on else ("pending" if current_given else "current")
        current_given = current_given or done_on is None
        stages.append(
            StageView(
                stage=template.stage,
                requirements=template.requirements,
                done_on=done_on,
                status=status,
            )
        )
    return stages


async def ledger(
    session: OutboxSession, *, case: IntakeCase, templates: Sequence[StageTemplate], today: date
) -> LedgerPublic:
    """One enterprise, one ledger: the case, its body, stage requirements, progress, meetings."""
    progress, _ = await get_progress(session, case=case)
    meetings, _ = await get_meetings(session, case_ids=[case.id])
    pauses = (await get_pauses(session, case_ids=[case.id])).get(case.id, [])
    return LedgerPublic(
        case=CasePublic.model_validate(case),
        responsible=Responsible.model_validate(case),
        stages=_stages(case, templates),
        progress=[ProgressPublic.model_validate(p) for p in progress],
        meetings=[MeetingPublic.model_validate(m) for m in meetings],
        overdue_meetings=[
            s for s in schedule_of(case, meetings, today, pauses) if s.status == SlotStatus.OVERDUE
        ],
    )


def _in(column: InstrumentedAttribute[Any], start: date | None, end: date) -> ColumnElement[bool]:
    conditions = [column.is_not(None), column <= end]
    if start is not None:
        conditions.append(column >= start)
    return and_(*conditions)


async def _count(
    session: OutboxSession,
    model: Any,
    column: InstrumentedAttribute[Any],
    start: date | None,
    end: date,
) -> int:
    stmt = select(func.count()).where(_in(column, start, end), *standing(model))
    return await session.scalar(stmt) or 0


async def stats(
    session: OutboxSession, *, baseline_days_to_construction: float, start: date | None, end: date
) -> StatsPublic:
    """Figures by business date: cases opened in the window (colour as of its end), signings,
    construction starts, R&D demands submitted and taken on (with their partners), menu
    items and meetings held in the window. Void records count nowhere; a case withdrawn by
    the window's end is out of the colours and the signings."""
    cases = (await session.scalars(select(IntakeCase).where(*standing(IntakeCase)))).all()
    in_window = [c for c in cases if (start is None or c.opened_on >= start) and c.opened_on <= end]
    withdrawn = [c for c in in_window if c.withdrawn_on is not None and c.withdrawn_on <= end]
    opened = [c for c in in_window if c not in withdrawn]
    suspended = [c for c in opened if c.status == CaseStatus.SUSPENDED.value]
    cases = [c for c in cases if c.withdrawn_on is None or c.withdrawn_on > end]
    signed = [
        c
        for c in cases
        if c.signed_on is not None
        and c.signed_on <= end
        and (start is None or c.signed_on >= start)
    ]
    settled = [c for c in signed if c.path != IntakePath.ORDER.value]
    days = [
        CaseDays.model_validate(c)
        for c in settled
        if c.construction_started_on is not None and c.construction_started_on <= end
    ]
    colors = Counter(
        color_of(c.construction_started_on, c.production_started_on, end) for c in opened
    )
    held_rows = await session.execute(
        select(Meeting.kind, func.count(Meeting.id))
        .join(IntakeCase, IntakeCase.id == Meeting.case_id)
        .where(_in(Meeting.held_on, start, end), *standing(IntakeCase))
        .group_by(Meeting.kind)
    )
    cooperating = (
        await session.scalars(
            select(RdDemand)
            .where(_in(RdDemand.taken_on, start, end), *standing(RdDemand))
            .order_by(RdDemand.taken_on, RdDemand.id)
        )
    ).all()
    held = {MeetingKind(kind): n for kind, n in held_rows}
    return StatsPublic(
        from_=start,
        to=end,
        cases_opened=len(in_window),
        cases_suspended=len(suspended),
        cases_withdrawn=len(withdrawn),
        cases_by_color={color: colors.get(color, 0) for color in Color},
        cases_by_path={p: sum(1 for c in opened if c.path == p.value) for p in IntakePath},
        settled=len(settled),
        outcomes_transferred=sum(1 for c in signed if c.path == IntakePath.ORDER.value),
        avg_days_to_construction=(
            round(sum(d.days_to_construction for d in days) / len(days), 1) if days else None
        ),
        baseline_days_to_construction=baseline_days_to_construction,
        days_to_construction=days,
        rd_demands=RdDemandStats(
            submitted=await _count(session, RdDemand, RdDemand.submitted_on, start, end),
            in_cooperation=len(cooperating),
            partners=[Cooperation.model_validate(d) for d in cooperating],
        ),
        menu_items=await _count(session, MenuItem, MenuItem.published_on, start, end),
        meetings_held={kind: held.get(kind, 0) for kind in MeetingKind},
    )


async def wall(
    session: OutboxSession,
    *,
    entry_conditions: WallTextPublic,
    entry_process: WallTextPublic,
    plan: PlanPublic,
    platforms: Platforms,
) -> WallPublic:
    """The public wall (上墙公示): entry conditions and process, the distribution chart (the
    plan, each enterprise on its plot), the progress table and the platforms. Void and
    withdrawn cases are not on it; no person is named."""
    cases = (
        await session.scalars(
            select(IntakeCase)
            .where(*standing(IntakeCase), IntakeCase.status != CaseStatus.WITHDRAWN.value)
            .order_by(IntakeCase.opened_on, IntakeCase.id)
        )
    ).all()
    rows = [WallRow.model_validate(c) for c in cases]
    sums = await returns.sums_by_case(session, case_ids=[r.case_id for r in rows])
    for row in rows:
        row.returns = sums.get(row.case_id)
    plots = {p.id for p in plan.plan.plots}
    return WallPublic(
        entry_conditions=entry_conditions,
        entry_process=entry_process,
        distribution=Distribution(
            total=len(rows),
            by_industry_chain=dict(sorted(Counter(r.industry_chain for r in rows).items())),
            by_path={p: sum(1 for r in rows if r.path is p) for p in IntakePath},
            by_color={color: sum(1 for r in rows if r.color is color) for color in Color},
        ),
        transfer_progress=rows,
        five_returns=await returns.district_sums(session),
        plan=plan,
        unplaced=[r.case_id for r in rows if r.plot_id not in plots],
        platforms=platforms,
    )
