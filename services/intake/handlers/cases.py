"""Intake cases: opening one per matured project, the moves (signing, construction,
production) that turn it red → yellow → blue, its responsible body, account and progress."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from typing import Any

from enclave_shared.auth import Principal, Role
from enclave_shared.catalog.incubation import IntakePath, ProjectMatured
from enclave_shared.catalog.intake import (
    CaseAccountAssigned,
    CaseCorrected,
    CaseOpened,
    CaseResumed,
    CaseSuspended,
    CaseVoided,
    CaseWithdrawn,
    ConstructionStarted,
    EnterpriseSettled,
    OutcomeTransferred,
    ProductionStarted,
)
from enclave_shared.corrections import (
    Correctable,
    Correction,
    correct_record,
    ensure_standing,
    standing,
)
from enclave_shared.deps import PageParams
from enclave_shared.errors import Conflict, Invalid
from enclave_shared.events import CloudEvent
from enclave_shared.outbox import OutboxSession
from enclave_shared.queries import found, where_given
from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import InstrumentedAttribute

from services.intake.domain import (
    MOVES_OF_STATUS,
    BasePlan,
    CaseStatus,
    Color,
    milestone_order_error,
    new_id,
)
from services.intake.handlers.rows import entered, page_of
from services.intake.models import CaseSuspension, IntakeCase, ProgressEntry
from services.intake.schemas import CaseCorrection

log = logging.getLogger(__name__)

# The matured event's fields a case keeps under the same name (`matured_on` opens it).
_FROM_MATURED = frozenset(IntakeCase.__table__.columns.keys()) & frozenset(
    ProjectMatured.model_fields
)


def may_see(user: Principal, enterprise_account: str | None) -> bool:
    """Enterprise users see their own records only; officers and admins see all."""
    if user.role is not Role.ENTERPRISE:
        return True
    return user.sub is not None and enterprise_account == user.sub


def own_only(
    user: Principal | None, account: InstrumentedAttribute[Any]
) -> list[ColumnElement[bool]]:
    """The WHERE clause of `may_see` for a list: an enterprise user's own rows (by the
    `account` column), no clause for officers and admins."""
    if user is None or user.role is not Role.ENTERPRISE:
        return []
    return [account == (user.sub or "")]


async def get_case(
    session: OutboxSession, *, case_id: str, user: Principal | None = None, for_update: bool = False
) -> IntakeCase:
    """A case the caller may see; an enterprise user sees only its own (others are 404).
    `for_update` locks it for the transaction, so that two moves of one case run in turn."""
    query = select(IntakeCase).where(IntakeCase.id == case_id)
    case = await session.scalar(query.with_for_update() if for_update else query)
    if case is not None and user is not None and not may_see(user, case.enterprise_account):
        case = None  # another enterprise's case is not there for this user
    return found(case, "case", case_id, field="case_id")


def _color_filter(color: Color) -> ColumnElement[bool]:
    """SQL condition for cases of a colour (the rule of `domain.color_of`)."""
    if color is Color.BLUE:
        return IntakeCase.production_started_on.is_not(None)
    if color is Color.YELLOW:
        return and_(
            IntakeCase.construction_started_on.is_not(None),
            IntakeCase.production_started_on.is_(None),
        )
    return IntakeCase.construction_started_on.is_(None)


async def get_all_cases(
    session: OutboxSession,
    *,
    user: Principal,
    project_id: str | None = None,
    path: IntakePath | None = None,
    color: Color | None = None,
    enterprise_account: str | None = None,
    status: CaseStatus | None = None,
    include_void: bool = False,
    page: PageParams | None = None,
) -> tuple[Sequence[IntakeCase], int]:
    """Cases the caller may see, filtered, oldest first; and how many there are in all.
    Void cases are left out unless `include_void`."""
    return await page_of(
        session,
        IntakeCase,
        *standing(IntakeCase, include_void),
        *own_only(user, IntakeCase.enterprise_account),
        *where_given(
            (IntakeCase.status, status),
            (IntakeCase.project_id, project_id),
            (IntakeCase.path, path),
            (IntakeCase.enterprise_account, enterprise_account),
        ),
        *([] if color is None else [_color_filter(color)]),
        by=[IntakeCase.opened_on],
        page=page,
    )


async def open_case(
    session: OutboxSession, *, matured: ProjectMatured, causation: CloudEvent
) -> IntakeCase | None:
    """Open the project's case, once per project whatever the event id; emit CaseOpened.
    None when the project has a case already (the event changes nothing)."""
    existing = await session.scalar(
        select(IntakeCase.id).where(IntakeCase.project_id == matured.project_id)
    )
    if existing is not None:
        log.info(
            "project %s already has case %s; event %s changes nothing",
            matured.project_id,
            existing,
            causation.id,
        )
        return None
    case = IntakeCase(
        **matured.model_dump(mode="json", include=set(_FROM_MATURED)),
        id=new_id("case"),
        opened_on=matured.matured_on,
        # The named enterprise's account defaults to its name; a zone officer can reassign it.
        enterprise_account=matured.enterprise,
        source_event_id=causation.id,
    )
    await entered(session, case, CaseOpened, causation=causation)
    if case.enterprise_account is not None:
        _record_account(session, case, causation=causation)
    return case


def _record_account(
    session: OutboxSession, case: IntakeCase, *, causation: CloudEvent | None = None
) -> None:
    """Tell the hotline (and any reader) which enterprise account owns the case now."""
    session.record(
        CaseAccountAssigned(
            case_id=case.id,
            project_id=case.project_id,
            enterprise_account=case.enterprise_account,
        ),
        causation=causation,
    )


def ensure_moving(case: IntakeCase) -> None:
    """409 for a move of a void or withdrawn case."""
    ensure_standing(case, "case")
    if case.status == CaseStatus.WITHDRAWN.value:
        raise Conflict(
            f"case {case.id} is withdrawn (since {case.withdrawn_on}): it takes no more moves",
            field="status",
        )


async def sign(
    session: OutboxSession, *, case: IntakeCase, signed_on: date, enterprise: str | None = None
) -> None:
    """Record the agreement: the enterprise settles, or (order path) the result transfers."""
    ensure_moving(case)
    if case.signed_on is not None:
        raise Conflict(
            f"case {case.id} was already signed on {case.signed_on.isoformat()}", field="signed_on"
        )
    if enterprise is not None:
        if case.enterprise is not None and enterprise != case.enterprise:
            raise Conflict(
                f"case {case.id} belongs to enterprise {case.enterprise!r}", field="enterprise"
            )
        case.enterprise = enterprise
        if case.enterprise_account is None:
            case.enterprise_account = enterprise
            _record_account(session, case)
    order = IntakePath(case.path) is IntakePath.ORDER
    if order and case.enterprise is None:
        raise Invalid(
            "order path: name the local enterprise the result transfers to", field="enterprise"
        )
    case.signed_on = signed_on
    signing = OutcomeTransferred if order else EnterpriseSettled
    session.record(signing.model_validate(case, from_attributes=True))


def _check_start(
    case: IntakeCase,
    stage: str,
    started_on: date,
    *,
    already: date | None,
    after: date | None,
    after_what: str,
    missing: tuple[str, str],
) -> None:
    # A stage starts once, after the stage it follows (`missing`: the refusal and its field
    # when that has not happened) and not dated before it.
    if after is None:
        message, field = missing
        raise Conflict(message, field=field)
    if already is not None:
        raise Conflict(
            f"{stage} of case {case.id} already started on {already.isoformat()}",
            field="started_on",
        )
    if started_on < after:
        raise Invalid(
            f"{stage} cannot start before {after_what} on {after.isoformat()}",
            field="started_on",
        )


async def start_construction(session: OutboxSession, *, case: IntakeCase, started_on: date) -> None:
    """Construction started: the case turns yellow."""
    ensure_moving(case)
    _check_start(
        case,
        "construction",
        started_on,
        already=case.construction_started_on,
        after=case.signed_on,
        after_what="the signing",
        missing=(f"case {case.id} is not signed yet: sign before construction starts", "signed_on"),
    )
    case.construction_started_on = started_on
    session.record(
        ConstructionStarted(
            case_id=case.id,
            project_id=case.project_id,
            started_on=started_on,
            days_to_construction=case.days_to_construction,
        ),
    )


async def start_production(session: OutboxSession, *, case: IntakeCase, started_on: date) -> None:
    """Production started: the case turns blue."""
    ensure_moving(case)
    _check_start(
        case,
        "production",
        started_on,
        already=case.production_started_on,
        after=case.construction_started_on,
        after_what="the construction start",
        missing=(
            f"construction of case {case.id} has not started: it must start before production",
            "construction_started_on",
        ),
    )
    case.production_started_on = started_on
    session.record(
        ProductionStarted(case_id=case.id, project_id=case.project_id, started_on=started_on),
    )


def set_responsible(*, case: IntakeCase, unit: str, person: str, contact: str | None) -> None:
    """Name the responsible body (推进责任主体) of a case."""
    case.responsible_unit, case.responsible_person = unit, person
    case.responsible_contact = contact


def set_account(
    session: OutboxSession, *, case: IntakeCase, enterprise_account: str | None
) -> None:
    """Give the case to an enterprise user's account (or take it away); a change is sent as
    CaseAccountAssigned (the hotline shows that enterprise the tickets about its case)."""
    if enterprise_account == case.enterprise_account:
        return
    case.enterprise_account = enterprise_account
    _record_account(session, case)


async def add_progress(
    session: OutboxSession,
    *,
    case: IntakeCase,
    happened_on: date,
    text: str,
    stage: str | None,
    recorded_by: str | None,
) -> ProgressEntry:
    """Add a dated progress line to the case's ledger."""
    entry = ProgressEntry(
        id=new_id("prog"),
        case_id=case.id,
        happened_on=happened_on,
        stage=stage,
        text=text,
        recorded_by=recorded_by,
    )
    return await entered(session, entry)


async def get_progress(
    session: OutboxSession, *, case: IntakeCase, page: PageParams | None = None
) -> tuple[Sequence[ProgressEntry], int]:
    """The case's progress lines in date order."""
    return await page_of(
        session,
        ProgressEntry,
        ProgressEntry.case_id == case.id,
        by=[ProgressEntry.happened_on],
        page=page,
    )


async def get_progress_entry(
    session: OutboxSession, *, case: IntakeCase, entry_id: str
) -> ProgressEntry:
    """One progress line of the case's ledger."""
    entry = await session.get(ProgressEntry, entry_id)
    if entry is not None and entry.case_id != case.id:
        entry = None  # another case's entry
    return found(entry, f"case {case.id}: progress entry", entry_id, field="entry_id")


def _ensure_move(case: IntakeCase, move: str) -> None:
    """409 naming the case's status when the status does not allow the move."""
    ensure_standing(case, "case")
    status = CaseStatus(case.status)
    if move not in MOVES_OF_STATUS[status]:
        allowed = ", ".join(sorted(MOVES_OF_STATUS[status])) or "none"
        raise Conflict(
            f"case {case.id} is {status.value}: it cannot {move} (allowed: {allowed})",
            field="status",
        )


async def suspend(session: OutboxSession, *, case: IntakeCase, reason: str, on: date) -> None:
    """Suspend the case (暂停): no "three ones" owed, no red-case supervision; grey."""
    _ensure_move(case, "suspend")
    if on < case.opened_on:
        raise Invalid(
            f"a case cannot be suspended before it opened on {case.opened_on.isoformat()}",
            field="suspended_on",
        )
    case.status, case.status_reason, case.suspended_on = CaseStatus.SUSPENDED.value, reason, on
    session.add(CaseSuspension(case_id=case.id, suspended_on=on, reason=reason))
    session.record(
        CaseSuspended(case_id=case.id, project_id=case.project_id, reason=reason, suspended_on=on)
    )


async def resume(session: OutboxSession, *, case: IntakeCase, on: date) -> None:
    """Resume a suspended case: its meetings are owed again."""
    _ensure_move(case, "resume")
    assert case.suspended_on is not None
    if on < case.suspended_on:
        raise Invalid(
            f"resumed_on cannot fall before the suspension on {case.suspended_on.isoformat()}",
            field="resumed_on",
        )
    pause = await session.scalar(
        select(CaseSuspension)
        .where(CaseSuspension.case_id == case.id, CaseSuspension.resumed_on.is_(None))
        .order_by(CaseSuspension.id.desc())
    )
    if pause is not None:
        pause.resumed_on = on
    case.status, case.status_reason, case.suspended_on = CaseStatus.ACTIVE.value, None, None
    session.record(CaseResumed(case_id=case.id, project_id=case.project_id, resumed_on=on))


async def withdraw(session: OutboxSession, *, case: IntakeCase, reason: str, on: date) -> None:
    """Withdraw the case (退出): closed, out of the colour counts, kept in history."""
    _ensure_move(case, "withdraw")
    if on < case.opened_on:
        raise Invalid(
            f"a case cannot be withdrawn before it opened on {case.opened_on.isoformat()}",
            field="withdrawn_on",
        )
    if case.status == CaseStatus.SUSPENDED.value:
        await resume(session, case=case, on=on)
    case.status, case.status_reason, case.withdrawn_on = CaseStatus.WITHDRAWN.value, reason, on
    session.record(
        CaseWithdrawn(case_id=case.id, project_id=case.project_id, reason=reason, withdrawn_on=on)
    )


def _check_plot(plan: BasePlan, plot_id: str | None) -> None:
    if plot_id is not None and plot_id not in {p.id for p in plan.plots}:
        raise Invalid(f"the base's plan has no plot {plot_id!r}", field="plot_id")


def _precheck_case(case: IntakeCase, body: Correction) -> None:
    for name in ("signed_on", "construction_started_on", "production_started_on"):
        if name in body.model_fields_set and getattr(case, name) is None:
            raise Conflict(
                f"case {case.id} has no {name} to correct: record the stage instead", field=name
            )


async def _check_case(
    session: OutboxSession, case: IntakeCase, after: dict[str, Any], plan: BasePlan
) -> None:
    _check_plot(plan, case.plot_id)
    wrong = milestone_order_error(
        {
            "signed_on": case.signed_on,
            "construction_started_on": case.construction_started_on,
            "production_started_on": case.production_started_on,
        }
    )
    if wrong is not None:
        earlier, later = wrong
        moved = later if later in after else earlier
        raise Invalid(
            f"{later} ({getattr(case, later).isoformat()}) may not be earlier than "
            f"{earlier} ({getattr(case, earlier).isoformat()})",
            field=moved,
        )


async def _locked_case(session: OutboxSession, case_id: str) -> IntakeCase:
    return await get_case(session, case_id=case_id, for_update=True)


CASE = Correctable(
    what="case",
    corrected=CaseCorrected,
    voided=CaseVoided,
    load=_locked_case,
    precheck=_precheck_case,
    check=_check_case,
)
"""A case: its responsible body, plot or a milestone date recorded; a milestone still may
not fall before the one it follows (422 naming both). Context: the base's plan. A void
case stays, marked void, out of lists and figures."""


async def correct_case(
    session: OutboxSession, *, case: IntakeCase, body: CaseCorrection, plan: BasePlan
) -> None:
    """Correct a case's responsible body, plot or a milestone date recorded."""
    await correct_record(session, CASE, case, body, plan)


async def set_plot(
    session: OutboxSession, *, case: IntakeCase, plot_id: str | None, plan: BasePlan
) -> None:
    """Place the case's enterprise on a plot of the base's plan (or take it off)."""
    ensure_standing(case, "case")
    _check_plot(plan, plot_id)
    if case.plot_id == plot_id:
        return
    before, after = {"plot_id": case.plot_id}, {"plot_id": plot_id}
    case.plot_id = plot_id
    session.record(
        CaseCorrected(case_id=case.id, reason="plot assigned", before=before, after=after)
    )


async def get_pauses(
    session: OutboxSession, *, case_ids: Sequence[str]
) -> dict[str, list[CaseSuspension]]:
    """The suspensions of some cases, by case."""
    rows = await session.scalars(
        select(CaseSuspension)
        .where(CaseSuspension.case_id.in_(case_ids))
        .order_by(CaseSuspension.suspended_on, CaseSuspension.id)
    )
    out: dict[str, list[CaseSuspension]] = {}
    for row in rows:
        out.setdefault(row.case_id, []).append(row)
    return out
