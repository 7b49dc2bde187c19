"""Business rules of intake cases: opening, the ledger, signing and the three colours.

Called by the routes and by the event consumer alike; they never commit.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date

from enclave_shared.auth import Principal, Role
from enclave_shared.catalog.incubation import IntakePath, ProjectMatured
from enclave_shared.catalog.intake import (
    CaseOpened,
    ConstructionStarted,
    EnterpriseSettled,
    OutcomeTransferred,
    ProductionStarted,
)
from enclave_shared.consumer import Handler
from enclave_shared.deps import PageParams, paged
from enclave_shared.errors import Conflict, Invalid, NotFound
from enclave_shared.events import CloudEvent, Payload
from enclave_shared.outbox import OutboxSession
from sqlalchemy import ColumnElement, and_, select

from services.intake.domain import Color, days_between, new_id
from services.intake.models import IntakeCase, ProgressEntry

log = logging.getLogger(__name__)


async def get_case(
    session: OutboxSession, *, case_id: str, user: Principal | None = None, for_update: bool = False
) -> IntakeCase:
    """A case the caller may see; an enterprise user sees only its own (others are 404).
    `for_update` locks it for the transaction, so that two moves of one case run in turn."""
    query = select(IntakeCase).where(IntakeCase.id == case_id)
    case = await session.scalar(query.with_for_update() if for_update else query)
    if case is None or (user is not None and not may_see(user, case.enterprise_account)):
        raise NotFound(f"no case {case_id}", field="case_id")
    return case


def may_see(user: Principal, enterprise_account: str | None) -> bool:
    """Enterprise users see their own records only; officers and admins see all."""
    if user.role is not Role.ENTERPRISE:
        return True
    return user.sub is not None and enterprise_account == user.sub


def color_filter(color: Color) -> ColumnElement[bool]:
    """SQL condition for cases of a colour."""
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
    page: PageParams | None = None,
) -> tuple[Sequence[IntakeCase], int]:
    """Cases the caller may see, filtered, oldest first; and how many there are in all."""
    conditions: list[ColumnElement[bool]] = []
    if user.role is Role.ENTERPRISE:
        conditions.append(IntakeCase.enterprise_account == (user.sub or ""))
    if project_id is not None:
        conditions.append(IntakeCase.project_id == project_id)
    if path is not None:
        conditions.append(IntakeCase.path == path.value)
    if color is not None:
        conditions.append(color_filter(color))
    if enterprise_account is not None:
        conditions.append(IntakeCase.enterprise_account == enterprise_account)
    stmt = (
        select(IntakeCase)
        .where(*conditions)
        .order_by(IntakeCase.opened_on, IntakeCase.created_at, IntakeCase.id)
    )
    return await paged(session, stmt, page)


async def open_case(session: OutboxSession, payload: ProjectMatured, event: CloudEvent) -> None:
    """Open the project's case, once per project whatever the event id; emit CaseOpened."""
    existing = await session.scalar(
        select(IntakeCase.id).where(IntakeCase.project_id == payload.project_id)
    )
    if existing is not None:
        log.info(
            "project %s already has case %s; event %s changes nothing",
            payload.project_id,
            existing,
            event.id,
        )
        return
    case = IntakeCase(
        id=new_id("case"),
        project_id=payload.project_id,
        title=payload.title,
        path=payload.path.value,
        industry_chain=payload.industry_chain,
        layout_category=payload.layout_category.value if payload.layout_category else None,
        enterprise=payload.enterprise,
        # The named enterprise's account defaults to its name; a zone officer can reassign it.
        enterprise_account=payload.enterprise,
        enterprise_tag=payload.enterprise_tag.value if payload.enterprise_tag else None,
        demand_id=payload.demand_id,
        menu_item_id=payload.menu_item_id,
        opened_on=payload.matured_on,
        source_event_id=event.id,
    )
    session.add(case)
    await session.flush()
    session.record(
        CaseOpened(
            case_id=case.id,
            project_id=case.project_id,
            path=payload.path,
            industry_chain=case.industry_chain,
            enterprise=case.enterprise,
            opened_on=case.opened_on,
        ),
        causation=event,
    )


async def sign(
    session: OutboxSession, *, case: IntakeCase, signed_on: date, enterprise: str | None = None
) -> None:
    """Record the agreement: the enterprise settles, or (order path) the result transfers."""
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
        case.enterprise_account = case.enterprise_account or enterprise
    path = IntakePath(case.path)
    if path is IntakePath.ORDER and case.enterprise is None:
        raise Invalid(
            "order path: name the local enterprise the result transfers to", field="enterprise"
        )
    case.signed_on = signed_on
    fact = dict(
        case_id=case.id,
        project_id=case.project_id,
        path=path,
        enterprise=case.enterprise,
        signed_on=signed_on,
    )
    session.record(
        OutcomeTransferred(**fact) if path is IntakePath.ORDER else EnterpriseSettled(**fact),
    )


async def start_construction(session: OutboxSession, *, case: IntakeCase, started_on: date) -> None:
    """Construction started: the case turns yellow."""
    if case.signed_on is None:
        raise Conflict(
            f"case {case.id} is not signed yet: sign before construction starts", field="signed_on"
        )
    if case.construction_started_on is not None:
        raise Conflict(
            f"construction of case {case.id} already started on "
            f"{case.construction_started_on.isoformat()}",
            field="started_on",
        )
    if started_on < case.signed_on:
        raise Invalid(
            f"construction cannot start before the signing on {case.signed_on.isoformat()}",
            field="started_on",
        )
    case.construction_started_on = started_on
    session.record(
        ConstructionStarted(
            case_id=case.id,
            project_id=case.project_id,
            started_on=started_on,
            days_to_construction=days_between(case.signed_on, started_on),
        ),
    )


async def start_production(session: OutboxSession, *, case: IntakeCase, started_on: date) -> None:
    """Production started: the case turns blue."""
    if case.construction_started_on is None:
        raise Conflict(
            f"construction of case {case.id} has not started: it must start before production",
            field="construction_started_on",
        )
    if case.production_started_on is not None:
        raise Conflict(
            f"production of case {case.id} already started on "
            f"{case.production_started_on.isoformat()}",
            field="started_on",
        )
    if started_on < case.construction_started_on:
        raise Invalid(
            f"production cannot start before the construction start on "
            f"{case.construction_started_on.isoformat()}",
            field="started_on",
        )
    case.production_started_on = started_on
    session.record(
        ProductionStarted(case_id=case.id, project_id=case.project_id, started_on=started_on),
    )


def set_responsible(*, case: IntakeCase, unit: str, person: str, contact: str | None) -> None:
    """Name the responsible body (推进责任主体) of a case."""
    case.responsible_unit, case.responsible_person = unit, person
    case.responsible_contact = contact


def set_account(*, case: IntakeCase, enterprise_account: str | None) -> None:
    """Give the case to an enterprise user's account (or take it away)."""
    case.enterprise_account = enterprise_account


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
    session.add(entry)
    await session.flush()
    return entry


async def get_progress(
    session: OutboxSession, *, case: IntakeCase, page: PageParams | None = None
) -> tuple[Sequence[ProgressEntry], int]:
    """The case's progress lines in date order."""
    stmt = (
        select(ProgressEntry)
        .where(ProgressEntry.case_id == case.id)
        .order_by(ProgressEntry.happened_on, ProgressEntry.created_at, ProgressEntry.id)
    )
    return await paged(session, stmt, page)


async def get_progress_entry(
    session: OutboxSession, *, case: IntakeCase, entry_id: str
) -> ProgressEntry:
    """One progress line of the case's ledger."""
    entry = await session.get(ProgressEntry, entry_id)
    if entry is None or entry.case_id != case.id:
        raise NotFound(f"no progress entry {entry_id} in case {case.id}", field="entry_id")
    return entry


HANDLERS: dict[type[Payload], Handler] = {ProjectMatured: open_case}
