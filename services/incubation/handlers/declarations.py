"""Talent programme declarations (帮助申报省、市、区人才工程): the enclave helps a high-level
talent declare for a province, city or district talent programme; the declaration waits
(pending) until its outcome, approved or rejected, is known on a date not before the
declaration's. A talent declares for a programme once (while that declaration stands)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import date
from typing import Any, Unpack

from enclave_shared.catalog.incubation import (
    DeclarationCorrected,
    DeclarationFiled,
    DeclarationOutcome,
    DeclarationVoided,
    ProgrammeLevel,
    TalentLevel,
)
from enclave_shared.corrections import held, standing
from enclave_shared.errors import Conflict, Invalid
from enclave_shared.outbox import OutboxSession
from sqlalchemy import select

from services.incubation.domain import not_before
from services.incubation.handlers.corrections import correctable
from services.incubation.handlers.rows import Dated, add_with_event, dated_page, from_body
from services.incubation.models import DECLARED_ONCE, Talent, TalentDeclaration
from services.incubation.schemas import DeclarationCreate


def check_outcome(row: TalentDeclaration) -> None:
    """An outcome is known on a date, not before the declaration; a pending one has none."""
    if row.outcome == DeclarationOutcome.PENDING:
        if row.outcome_on is not None:
            raise Invalid("a pending declaration has no outcome_on yet", field="outcome_on")
        return
    if row.outcome_on is None:
        raise Invalid(
            f"an {row.outcome} declaration needs outcome_on, the date it was known",
            field="outcome_on",
        )
    not_before(row.outcome_on, row.declared_on, field="outcome_on", what="declared_on")


async def _high_level_talent(session: OutboxSession, talent_id: str) -> Talent:
    """The standing high-level talent declaring, or 422 naming talent_id."""
    talent = await session.get(Talent, talent_id)
    if talent is None or talent.voided_at is not None:
        raise Invalid(f"no talent {talent_id}", field="talent_id")
    if talent.level != TalentLevel.HIGH_LEVEL:
        raise Invalid(
            f"talent {talent_id} is a {talent.level}: only a high-level talent declares",
            field="talent_id",
        )
    return talent


async def _declared_before(session: OutboxSession, row: TalentDeclaration) -> str | None:
    """Another standing declaration of the talent for the same programme and level."""
    found: str | None = await session.scalar(
        select(TalentDeclaration.id).where(
            TalentDeclaration.talent_id == row.talent_id,
            TalentDeclaration.programme == row.programme,
            TalentDeclaration.level == row.level,
            TalentDeclaration.id != row.id,
            *standing(TalentDeclaration),
        )
    )
    return found


@asynccontextmanager
async def _once(session: OutboxSession, row: TalentDeclaration) -> AsyncIterator[None]:
    """409 naming programme when the talent has declared for it already: checked first,
    then held by the index while the write inside the block (or the correction made before
    it) is flushed."""
    taken = f"talent {row.talent_id} has declared for {row.programme} already"
    async with held(session, DECLARED_ONCE, Conflict(taken, field="programme")):
        other = await _declared_before(session, row)
        if other is not None:
            raise Conflict(f"{taken} ({other})", field="programme")
        yield


async def file(
    session: OutboxSession, *, data: DeclarationCreate, today: date
) -> TalentDeclaration:
    """A high-level talent's declaration is filed (pending, or with its outcome)."""
    talent = await _high_level_talent(session, data.talent_id)
    row = from_body(TalentDeclaration, data, today, dated="declared_on", talent_name=talent.name)
    check_outcome(row)
    async with _once(session, row):
        add_with_event(session, row, DeclarationFiled)
    return row


async def list_declarations(
    session: OutboxSession,
    *,
    talent_id: str | None = None,
    level: ProgrammeLevel | None = None,
    outcome: DeclarationOutcome | None = None,
    **dated: Unpack[Dated],
) -> tuple[Sequence[TalentDeclaration], int]:
    """Declarations, latest declared first; `from`/`to` on the declaration date."""
    return await dated_page(
        session,
        TalentDeclaration,
        TalentDeclaration.declared_on,
        talent_id=talent_id,
        level=level,
        outcome=outcome,
        **dated,
    )


async def _check(
    session: OutboxSession, row: TalentDeclaration, after: dict[str, Any], _: Any
) -> None:
    if "talent_id" in after:
        row.talent_name = (await _high_level_talent(session, row.talent_id)).name
    check_outcome(row)
    async with _once(session, row):
        pass


DECLARATION = correctable(
    TalentDeclaration, "declaration", DeclarationCorrected, DeclarationVoided, check=_check
)
"""A declaration: its outcome (with outcome_on), talent, programme, level, dates, note."""
