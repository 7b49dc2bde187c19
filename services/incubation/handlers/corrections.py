"""Corrections and voiding of the enclave's records: a correction changes the given fields
(the record's rules checked again on the result) and records `….corrected.v1` with before
and after; a void marks the record, which then leaves every list and figure, and records
`….voided.v1`. Nothing is deleted. Each kind of record is a `Correctable` (its loader, events
and rules); `enclave_shared.corrections` runs them (`correct_record`, `void_record`) and
makes their routes (`correction_routes`, in api/corrections.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from itertools import pairwise
from typing import Any, TypeVar

from enclave_shared.catalog.incubation import (
    ActivityCorrected,
    ActivityVoided,
    AgreementCorrected,
    AgreementVoided,
    HqEnterpriseCorrected,
    HqEnterpriseVoided,
    IntakePath,
    ProjectCorrected,
    ProjectVoided,
    TalentCorrected,
    TalentVoided,
    TrainingCorrected,
    TrainingVoided,
)
from enclave_shared.corrections import Correctable, held, standing
from enclave_shared.errors import Conflict, Invalid
from enclave_shared.events import Corrected, Voided
from enclave_shared.outbox import OutboxSession
from sqlalchemy import Index, select

from services.incubation import domain
from services.incubation.handlers import backlog
from services.incubation.handlers.rows import get, standing_ids
from services.incubation.models import (
    Activity,
    Agreement,
    Ambassador,
    EnclaveRecord,
    HqEnterprise,
    Project,
    Talent,
    TrainingRecord,
)

R = TypeVar("R", bound=EnclaveRecord)


def _locked(model: type[R], what: str) -> Callable[[OutboxSession, str], Awaitable[R]]:
    """The loader of a kind: its row by id, locked for the transaction, or 404."""

    async def load(session: OutboxSession, record_id: str) -> R:
        return await get(session, model, record_id, what, for_update=True)

    return load


def _read(model: type[R], what: str) -> Callable[[OutboxSession, str], Awaitable[R]]:
    """The reader of a kind: its row by id, as a `GET` sees it, or the same 404."""

    async def read(session: OutboxSession, record_id: str) -> R:
        return await get(session, model, record_id, what)

    return read


def correctable(
    model: type[Any],
    what: str,
    corrected: type[Corrected],
    voided: type[Voided],
    load: Callable[[OutboxSession, str], Awaitable[Any]] | None = None,
    **rules: Any,
) -> Correctable[Any]:
    """A kind of record named `what`, its rows loaded by `_locked` (or the `load` given) and
    read by `_read`; `rules`: the Correctable's `check`, `precheck` or `after_void`."""
    return Correctable(
        what=what,
        corrected=corrected,
        voided=voided,
        load=load or _locked(model, what),
        read=_read(model, what),
        **rules,
    )


async def standing_twin(session: OutboxSession, row: EnclaveRecord, index: Index) -> str | None:
    """The id of another standing record of the row's model that holds the row's values of
    `index`'s columns (a `standing_once` index), or None."""
    model = type(row)
    found: str | None = await session.scalar(
        select(model.id).where(
            *(getattr(model, c.name) == getattr(row, c.name) for c in index.columns),
            model.id != row.id,
            *standing(model),
        )
    )
    return found


@asynccontextmanager
async def held_once(
    session: OutboxSession,
    row: EnclaveRecord,
    index: Index,
    taken: str,
    *,
    field: str,
    advice: str = "",
) -> AsyncIterator[None]:
    """What stands once (`index`, a `standing_once`) is kept once: 409 naming `field` when
    another standing record holds the row's values, worded `taken`, the other's id in
    brackets, then `advice`. Checked first, then held by the index itself while the write
    inside the block (or the correction made before it) is flushed."""
    async with held(session, index, Conflict(f"{taken}{advice}", field=field)):
        other = await standing_twin(session, row, index)
        if other is not None:
            raise Conflict(f"{taken} ({other}){advice}", field=field)
        yield


# --- projects -----------------------------------------------------------------------------


def check_project_dates(project: Project) -> None:
    """A project's stage dates keep their order: 422 naming the two dates that do not."""
    steps = [
        ("registered_on", project.registered_on),
        ("incubation_started_on", project.incubation_started_on),
        ("matured_on", project.matured_on),
        ("transferred_on", project.transferred_on),
    ]
    reached = [(name, on) for name, on in steps if on is not None]
    for (first, on), (then, later) in pairwise(reached):
        if later < on:
            raise Invalid(f"{first} {on} would be after {then} {later}", field=first)
    if project.dropped_on is not None and project.dropped_on < project.registered_on:
        raise Invalid(
            f"registered_on {project.registered_on} would be after dropped_on {project.dropped_on}",
            field="registered_on",
        )


async def _check_project(
    session: OutboxSession, project: Project, after: dict[str, Any], chains: Sequence[str]
) -> None:
    path = IntakePath(project.path)
    if "industry_chain" in after:
        domain.check_chain(project.industry_chain, chains)
    if "layout_category" in after:
        if path is IntakePath.MENU:
            raise Invalid(
                "a menu project keeps its menu item's layout category", field="layout_category"
            )
        if path is IntakePath.DELIVERY and project.layout_category is not None:
            raise Invalid(
                "a delivery project does not fit 三新两大: layout_category must be empty",
                field="layout_category",
            )
    if "team_talent_ids" in after:
        await standing_ids(
            session, Talent, project.team_talent_ids, field="team_talent_ids", what="talent"
        )
    if "registered_on" in after:
        check_project_dates(project)


async def _release_item(session: OutboxSession, project: Project) -> None:
    # A void project's demand or menu item can be taken on again.
    await backlog.release(session, project.id)


PROJECT = correctable(
    Project,
    "project",
    ProjectCorrected,
    ProjectVoided,
    check=_check_project,
    after_void=_release_item,
)
"""A project: title, description, team, chain, layout or registration date (context: the
configured industry chains)."""


# --- people and records -------------------------------------------------------------------


async def _check_talent(
    session: OutboxSession, talent: Talent, after: dict[str, Any], _context: Any
) -> None:
    if after.get("ambassador_id") and await session.get(Ambassador, talent.ambassador_id) is None:
        raise Invalid(f"no talent ambassador {talent.ambassador_id}", field="ambassador_id")


TALENT = correctable(Talent, "talent", TalentCorrected, TalentVoided, check=_check_talent)
"""A talent: name, level, field, ambassador or recruitment date."""


async def _check_agreement(
    session: OutboxSession, row: Agreement, after: dict[str, Any], _context: Any
) -> None:
    linked = [*row.project_ids, *([row.project_id] if after.get("project_id") else [])]
    if "project_ids" in after or after.get("project_id"):
        await standing_ids(session, Project, linked, field="project_ids", what="project")


AGREEMENT = correctable(
    Agreement, "agreement", AgreementCorrected, AgreementVoided, check=_check_agreement
)
"""An agreement: partner, kind, GBA, date, the projects it led to, the note."""

ACTIVITY = correctable(Activity, "activity", ActivityCorrected, ActivityVoided)
"""An activity: kind, title, date, attendance or place."""

TRAINING = correctable(TrainingRecord, "training record", TrainingCorrected, TrainingVoided)
"""A training record: track, count, date or note."""


async def _check_hq_enterprise(
    session: OutboxSession, row: HqEnterprise, after: dict[str, Any], chains: Sequence[str]
) -> None:
    if after.get("industry_chain"):
        domain.check_chain(row.industry_chain, chains)
    if "name" in after:
        other = await session.scalar(
            select(HqEnterprise.id).where(HqEnterprise.name == row.name, HqEnterprise.id != row.id)
        )
        if other is not None:
            raise Conflict(
                f"HQ-economy enterprise {row.name!r} is already registered ({other})", field="name"
            )
    if after.get("agreement_id"):
        await standing_ids(
            session, Agreement, [str(row.agreement_id)], field="agreement_id", what="agreement"
        )


HQ_ENTERPRISE = correctable(
    HqEnterprise,
    "HQ-economy enterprise",
    HqEnterpriseCorrected,
    HqEnterpriseVoided,
    check=_check_hq_enterprise,
)
"""An HQ-economy enterprise: name, chain, date, agreement or note (context: the chains)."""
