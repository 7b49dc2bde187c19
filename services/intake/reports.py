"""Read models: a case as shown, its ledger document, the stats and the public wall."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from enclave_shared.catalog.incubation import EnterpriseTag, IntakePath, LayoutCategory
from enclave_shared.catalog.intake import MeetingKind
from enclave_shared.outbox import OutboxSession
from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import InstrumentedAttribute

from services.intake import handlers, meetings
from services.intake.config import IntakeSettings, Stage
from services.intake.domain import OUTCOME_OF_PATH, Color, Slot, color_of, days_between
from services.intake.models import IntakeCase, Meeting, MenuItem, ProgressEntry, RdDemand
from services.intake.schemas import (
    CaseDays,
    CasePublic,
    Distribution,
    LedgerPublic,
    MeetingPublic,
    ProgressPublic,
    RdDemandStats,
    Responsible,
    SlotPublic,
    StageView,
    StatsPublic,
    WallPublic,
    WallRow,
)


def case_public(case: IntakeCase) -> CasePublic:
    """The case as the API shows it, colour and days derived from its dates."""
    path = IntakePath(case.path)
    return CasePublic(
        id=case.id,
        project_id=case.project_id,
        title=case.title,
        path=path,
        outcome=OUTCOME_OF_PATH[path],
        color=color_of(case.construction_started_on, case.production_started_on),
        industry_chain=case.industry_chain,
        layout_category=LayoutCategory(case.layout_category) if case.layout_category else None,
        enterprise=case.enterprise,
        enterprise_account=case.enterprise_account,
        enterprise_tag=_tag(case.enterprise_tag),
        demand_id=case.demand_id,
        menu_item_id=case.menu_item_id,
        opened_on=case.opened_on,
        signed_on=case.signed_on,
        construction_started_on=case.construction_started_on,
        production_started_on=case.production_started_on,
        days_to_construction=days_between(case.signed_on, case.construction_started_on),
        responsible_unit=case.responsible_unit,
        responsible_person=case.responsible_person,
        responsible_contact=case.responsible_contact,
    )


def _tag(value: str | None) -> EnterpriseTag | None:
    return EnterpriseTag(value) if value else None


def progress_public(entry: ProgressEntry) -> ProgressPublic:
    return ProgressPublic(
        id=entry.id,
        case_id=entry.case_id,
        happened_on=entry.happened_on,
        stage=Stage(entry.stage) if entry.stage else None,
        text=entry.text,
        recorded_by=entry.recorded_by,
    )


def meeting_public(meeting: Meeting) -> MeetingPublic:
    return MeetingPublic(
        id=meeting.id,
        case_id=meeting.case_id,
        kind=MeetingKind(meeting.kind),
        scheduled_on=meeting.scheduled_on,
        held_on=meeting.held_on,
        notes=meeting.notes,
    )


def slot_public(case: IntakeCase, slot: Slot, status: str, meeting_id: str | None) -> SlotPublic:
    return SlotPublic(
        case_id=case.id,
        project_id=case.project_id,
        kind=slot.kind,
        start=slot.start,
        due_on=slot.due_on,
        status=status,
        meeting_id=meeting_id,
    )


async def ledger(
    session: OutboxSession, *, settings: IntakeSettings, case: IntakeCase, today: date
) -> LedgerPublic:
    """One enterprise, one ledger: the case, its body, stage requirements, progress, meetings."""
    done = {
        Stage.SIGNING: case.signed_on,
        Stage.CONSTRUCTION: case.construction_started_on,
        Stage.PRODUCTION: case.production_started_on,
    }
    stages: list[StageView] = []
    current_given = False
    for template in settings.template(IntakePath(case.path)):
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
    progress, _ = await handlers.get_progress(session, case=case)
    held, _ = await meetings.get_meetings(session, case_ids=[case.id])
    overdue = [
        slot_public(case, slot, status, mid)
        for slot, status, mid in meetings.schedule_of(case, held, today)
        if status == "overdue"
    ]
    return LedgerPublic(
        case=case_public(case),
        responsible=Responsible(
            unit=case.responsible_unit,
            person=case.responsible_person,
            contact=case.responsible_contact,
        ),
        stages=stages,
        progress=[progress_public(p) for p in progress],
        meetings=[meeting_public(m) for m in held],
        overdue_meetings=overdue,
    )


def _in(column: InstrumentedAttribute[Any], start: date | None, end: date) -> ColumnElement[bool]:
    conditions = [column.is_not(None), column <= end]
    if start is not None:
        conditions.append(column >= start)
    return and_(*conditions)


async def stats(
    session: OutboxSession, *, settings: IntakeSettings, start: date | None, end: date
) -> StatsPublic:
    """Figures by business date: cases opened in the window (colour as of its end), signings,
    construction starts, R&D demands submitted and taken on, menu items and meetings held
    in the window."""
    cases = (await session.scalars(select(IntakeCase))).all()
    opened = [c for c in cases if (start is None or c.opened_on >= start) and c.opened_on <= end]
    signed = [
        c
        for c in cases
        if c.signed_on is not None
        and c.signed_on <= end
        and (start is None or c.signed_on >= start)
    ]
    settled = [c for c in signed if c.path != IntakePath.ORDER.value]
    built = [
        c
        for c in settled
        if c.construction_started_on is not None and c.construction_started_on <= end
    ]
    days = [
        CaseDays(
            case_id=c.id,
            project_id=c.project_id,
            enterprise=c.enterprise,
            path=IntakePath(c.path),
            signed_on=c.signed_on,
            construction_started_on=c.construction_started_on,
            days_to_construction=(c.construction_started_on - c.signed_on).days,
        )
        for c in built
        if c.signed_on and c.construction_started_on
    ]
    colors = Counter(
        color_of(c.construction_started_on, c.production_started_on, end) for c in opened
    )
    held_rows = await session.execute(
        select(Meeting.kind, func.count(Meeting.id))
        .where(_in(Meeting.held_on, start, end))
        .group_by(Meeting.kind)
    )
    held = {MeetingKind(kind): n for kind, n in held_rows}
    return StatsPublic(
        from_=start,
        to=end,
        cases_opened=len(opened),
        cases_by_color={color: colors.get(color, 0) for color in Color},
        cases_by_path={p: sum(1 for c in opened if c.path == p.value) for p in IntakePath},
        settled=len(settled),
        outcomes_transferred=sum(1 for c in signed if c.path == IntakePath.ORDER.value),
        avg_days_to_construction=(
            round(sum(d.days_to_construction for d in days) / len(days), 1) if days else None
        ),
        baseline_days_to_construction=settings.baseline_days_to_construction,
        days_to_construction=days,
        rd_demands=RdDemandStats(
            submitted=await _count(session, RdDemand.submitted_on, start, end),
            in_cooperation=await _count(session, RdDemand.taken_on, start, end),
        ),
        menu_items=await _count(session, MenuItem.published_on, start, end),
        meetings_held={kind: held.get(kind, 0) for kind in MeetingKind},
    )


async def _count(
    session: OutboxSession, column: InstrumentedAttribute[Any], start: date | None, end: date
) -> int:
    return await session.scalar(select(func.count()).where(_in(column, start, end))) or 0


async def wall(session: OutboxSession, *, settings: IntakeSettings) -> WallPublic:
    """The public wall (上墙公示): entry conditions and process, distribution, progress table."""
    cases: Sequence[IntakeCase] = (
        await session.scalars(select(IntakeCase).order_by(IntakeCase.opened_on, IntakeCase.id))
    ).all()
    rows = [
        WallRow(
            project_id=c.project_id,
            title=c.title,
            enterprise=c.enterprise,
            enterprise_tag=_tag(c.enterprise_tag),
            industry_chain=c.industry_chain,
            path=IntakePath(c.path),
            color=color_of(c.construction_started_on, c.production_started_on),
            opened_on=c.opened_on,
            signed_on=c.signed_on,
            construction_started_on=c.construction_started_on,
            production_started_on=c.production_started_on,
            days_to_construction=days_between(c.signed_on, c.construction_started_on),
        )
        for c in cases
    ]
    return WallPublic(
        entry_conditions=settings.entry_conditions,
        entry_process=settings.entry_process,
        distribution=Distribution(
            total=len(rows),
            by_industry_chain=dict(sorted(Counter(r.industry_chain for r in rows).items())),
            by_path={p: sum(1 for r in rows if r.path is p) for p in IntakePath},
            by_color={color: sum(1 for r in rows if r.color is color) for color in Color},
        ),
        transfer_progress=rows,
    )
