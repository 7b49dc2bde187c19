"""Talent programme declarations (帮助申报省、市、区人才工程): the enclave helps a high-level
talent declare for a province, city or district talent programme; the declaration waits
(pending) until its outcome, approved or rejected, is known on a date not before the
declaration's. A talent declares for a programme once (while that declaration stands)."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
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
from enclave_shared.errors import Invalid
from enclave_shared.outbox import OutboxSession

from services.incubation.domain import not_before
from services.incubation.handlers.corrections import correctable, held_once
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


def _once(session: OutboxSession, row: TalentDeclaration) -> AbstractAsyncContextManager[None]:
    """409 naming programme when the talent has declared for it (at its level) already
    (`held_once`)."""
    taken = f"talent {row.talent_id} has declared for {row.programme} already"
    return held_once(session, row, DECLARED_ONCE, taken, field="programme")


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
