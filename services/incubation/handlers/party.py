"""一轴, party-building with the new village sages: the party organisations built on the
new-village-sage bodies (新乡贤参事会、博士联谊会…) — standalone (单独组建, which takes three
party members or more), regional (区域联建) or by industry (行业统建), one standing
organisation of a name — and the sages of those bodies with their tie to the enclave
(advisor, ambassador, recruiter), a sage listed once in a body."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import date
from typing import Any, Unpack

from enclave_shared.catalog.incubation import (
    PartyFormation,
    PartyOrgCorrected,
    PartyOrgFormed,
    PartyOrgVoided,
    SageCorrected,
    SageJoined,
    SageTie,
    SageVoided,
)
from enclave_shared.errors import Invalid
from enclave_shared.outbox import OutboxSession
from sqlalchemy import Index

from services.incubation.handlers.corrections import correctable, held_once
from services.incubation.handlers.rows import Dated, add_with_event, dated_page, from_body
from services.incubation.models import PARTY_ORG_NAME, SAGE_IN_BODY, PartyOrganisation, Sage
from services.incubation.schemas import PartyOrgCreate, SageCreate

STANDALONE_MEMBERS = 3  # party members a standalone organisation takes at least


def check_members(row: PartyOrganisation) -> None:
    """A standalone organisation has three party members or more; fewer join with others."""
    if row.formation == PartyFormation.STANDALONE and row.members < STANDALONE_MEMBERS:
        raise Invalid(
            f"a standalone (单独组建) organisation has {STANDALONE_MEMBERS} party members or "
            f"more, not {row.members}: fewer are formed regionally or by industry",
            field="members",
        )


def _unique(
    session: OutboxSession, row: PartyOrganisation | Sage, what: str, index: Index
) -> AbstractAsyncContextManager[None]:
    """409 naming `name` when another standing record has the row's values of `index`'s
    columns (`held_once`)."""
    return held_once(session, row, index, f"{what} {row.name} is recorded already", field="name")


async def form_org(
    session: OutboxSession, *, data: PartyOrgCreate, today: date
) -> PartyOrganisation:
    """A party organisation is built on a new-village-sage body."""
    row = from_body(PartyOrganisation, data, today, dated="formed_on")
    check_members(row)
    async with _unique(session, row, "party organisation", PARTY_ORG_NAME):
        add_with_event(session, row, PartyOrgFormed)
    return row


async def list_orgs(
    session: OutboxSession,
    *,
    formation: PartyFormation | None = None,
    body: str | None = None,
    **dated: Unpack[Dated],
) -> tuple[Sequence[PartyOrganisation], int]:
    """Party organisations, latest formed first; `from`/`to` on the date formed."""
    return await dated_page(
        session,
        PartyOrganisation,
        PartyOrganisation.formed_on,
        formation=formation,
        body=body,
        **dated,
    )


async def add_sage(session: OutboxSession, *, data: SageCreate, today: date) -> Sage:
    """A new village sage of a body takes up a tie to the enclave."""
    row = from_body(Sage, data, today, dated="joined_on")
    async with _unique(session, row, "sage", SAGE_IN_BODY):
        add_with_event(session, row, SageJoined)
    return row


async def list_sages(
    session: OutboxSession,
    *,
    tie: SageTie | None = None,
    body: str | None = None,
    **dated: Unpack[Dated],
) -> tuple[Sequence[Sage], int]:
    """Sages, latest joined first; `from`/`to` on the date they joined."""
    return await dated_page(
        session,
        Sage,
        Sage.joined_on,
        tie=tie,
        body=body,
        **dated,
    )


async def _check_org(
    session: OutboxSession, row: PartyOrganisation, after: dict[str, Any], _: Any
) -> None:
    check_members(row)
    if "name" in after:
        async with _unique(session, row, "party organisation", PARTY_ORG_NAME):
            pass


async def _check_sage(session: OutboxSession, row: Sage, after: dict[str, Any], _: Any) -> None:
    if "name" in after or "body" in after:
        async with _unique(session, row, "sage", SAGE_IN_BODY):
            pass


PARTY_ORG = correctable(
    PartyOrganisation, "party organisation", PartyOrgCorrected, PartyOrgVoided, check=_check_org
)
"""A party organisation: name (one standing), body, formation and members (checked), date."""

SAGE = correctable(Sage, "sage", SageCorrected, SageVoided, check=_check_sage)
"""A sage: name and body (once in a body), tie, date, note."""
