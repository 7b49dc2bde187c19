"""What the zone sends to the enclave: local enterprises' R&D demands (and which the enclave
took on) and the menu."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from typing import Any

from enclave_shared.auth import Principal, Role
from enclave_shared.catalog.incubation import LayoutCategory, ProjectRegistered
from enclave_shared.catalog.intake import (
    MenuItemCorrected,
    MenuItemPublished,
    MenuItemVoided,
    RdDemandCorrected,
    RdDemandSubmitted,
    RdDemandVoided,
)
from enclave_shared.corrections import Correctable, correct_record, standing
from enclave_shared.deps import PageParams
from enclave_shared.errors import Forbidden, Invalid
from enclave_shared.events import CloudEvent
from enclave_shared.outbox import OutboxSession
from enclave_shared.queries import found, where_given
from sqlalchemy import select

from services.intake.domain import new_id
from services.intake.handlers.cases import may_see, own_only
from services.intake.handlers.rows import entered, page_of
from services.intake.models import IntakeCase, MenuItem, RdDemand
from services.intake.schemas import (
    PartnerIn,
    RdDemandCorrection,
)

log = logging.getLogger(__name__)


async def submit_demand(
    session: OutboxSession,
    *,
    user: Principal,
    enterprise: str,
    industry_chain: str,
    title: str,
    description: str,
    submitted_on: date,
    enterprise_account: str | None,
    partner: PartnerIn | None = None,
) -> RdDemand:
    """A local enterprise's R&D need (order path); an enterprise user submits its own only."""
    if user.role is Role.ENTERPRISE:
        await _ensure_own_name(
            session, user=user, enterprise=enterprise, account=enterprise_account
        )
        enterprise_account = user.sub
    demand = RdDemand(
        id=new_id("dem"),
        enterprise=enterprise,
        enterprise_account=enterprise_account,
        industry_chain=industry_chain,
        title=title,
        description=description,
        submitted_on=submitted_on,
    )
    if partner is not None:
        _name_partner(demand, partner)
    return await entered(session, demand, RdDemandSubmitted)


async def _ensure_own_name(
    session: OutboxSession, *, user: Principal, enterprise: str, account: str | None
) -> None:
    """403 for an enterprise user submitting in another enterprise's name: another account,
    or a name its cases and demands do not give it, or a name another account holds."""
    if user.sub is None:
        raise Forbidden("an enterprise token without a subject submits nothing", field="sub")
    if account is not None and account != user.sub:
        raise Forbidden(
            f"an enterprise submits in its own name only: enterprise_account {account!r} "
            f"is not this account ({user.sub!r})",
            field="enterprise_account",
        )
    holders: set[str] = set()
    own: set[str] = set()
    for model in (IntakeCase, RdDemand):
        rows = await session.execute(
            select(model.enterprise, model.enterprise_account).where(
                *standing(model),
                (model.enterprise_account == user.sub) | (model.enterprise == enterprise),
            )
        )
        for name, holder in rows:
            if holder == user.sub and name is not None:
                own.add(name)
            elif holder is not None and holder != user.sub:
                holders.add(holder)
    if enterprise in own:
        return
    if own:
        raise Forbidden(
            f"enterprise {enterprise!r} is not this account's: it submits as "
            + ", ".join(repr(n) for n in sorted(own)),
            field="enterprise",
        )
    if holders:
        raise Forbidden(
            f"enterprise {enterprise!r} belongs to another account: submit in your own name",
            field="enterprise",
        )


async def get_demand(session: OutboxSession, *, demand_id: str, user: Principal) -> RdDemand:
    """A demand the caller may see."""
    demand = await _load_demand(session, demand_id)
    visible = demand if may_see(user, demand.enterprise_account) else None
    return found(visible, "R&D demand", demand_id, field="demand_id")


async def get_all_demands(
    session: OutboxSession,
    *,
    user: Principal,
    industry_chain: str | None = None,
    include_void: bool = False,
    page: PageParams | None = None,
) -> tuple[Sequence[RdDemand], int]:
    """Demands the caller may see, oldest first (void ones only with `include_void`)."""
    return await page_of(
        session,
        RdDemand,
        *standing(RdDemand, include_void),
        *own_only(user, RdDemand.enterprise_account),
        *where_given((RdDemand.industry_chain, industry_chain)),
        by=[RdDemand.submitted_on],
        page=page,
    )


async def take_on_demand(
    session: OutboxSession, *, registered: ProjectRegistered, causation: CloudEvent
) -> None:
    """The enclave registered a project for an R&D demand: the demand is in cooperation.

    Once per demand: a redelivered event, or the same fact under another event id, changes
    nothing; a second project for a taken demand is logged and the first one kept.
    """
    if registered.demand_id is None:
        log.debug("project %s (%s) answers no R&D demand", registered.project_id, registered.path)
        return
    demand = await session.get(RdDemand, registered.demand_id)
    if demand is None:
        log.warning(
            "project %s names R&D demand %s, which intake does not know (event %s)",
            registered.project_id,
            registered.demand_id,
            causation.id,
        )
        return
    if demand.project_id is not None:
        if demand.project_id != registered.project_id:
            log.warning(
                "R&D demand %s is taken on by project %s already; project %s ignored",
                demand.id,
                demand.project_id,
                registered.project_id,
            )
        return
    demand.project_id = registered.project_id
    demand.taken_on = registered.registered_on


async def publish_menu_item(
    session: OutboxSession,
    *,
    title: str,
    industry_chain: str,
    layout_category: LayoutCategory,
    description: str,
    published_on: date,
) -> MenuItem:
    """Put a project the zone wants incubated on the menu (menu path)."""
    item = MenuItem(
        id=new_id("menu"),
        title=title,
        industry_chain=industry_chain,
        layout_category=layout_category.value,
        description=description,
        published_on=published_on,
    )
    return await entered(session, item, MenuItemPublished)


async def get_menu(
    session: OutboxSession, *, include_void: bool = False, page: PageParams | None = None
) -> tuple[Sequence[MenuItem], int]:
    """The menu, oldest first (void items only with `include_void`)."""
    return await page_of(
        session, MenuItem, *standing(MenuItem, include_void), by=[MenuItem.published_on], page=page
    )


def _name_partner(demand: RdDemand, partner: PartnerIn) -> None:
    demand.partner_name = partner.name
    demand.partner_kind = partner.kind.value
    demand.partner_in_gba = partner.in_gba


def _partner_fields(demand: RdDemand) -> dict[str, object]:
    return {
        "partner_name": demand.partner_name,
        "partner_kind": demand.partner_kind,
        "partner_in_gba": demand.partner_in_gba,
    }


async def name_partner(session: OutboxSession, *, demand: RdDemand, partner: PartnerIn) -> None:
    """Name the partner an R&D demand is worked on with (university, institute or
    enterprise, in the GBA or not)."""
    body = RdDemandCorrection(
        reason="partner named",
        partner_name=partner.name,
        partner_kind=partner.kind,
        partner_in_gba=partner.in_gba,
    )
    await correct_record(session, DEMAND, demand, body)


async def _load_demand(session: OutboxSession, demand_id: str) -> RdDemand:
    demand = await session.get(RdDemand, demand_id)
    return found(demand, "R&D demand", demand_id, field="demand_id")


async def _check_demand(
    session: OutboxSession, demand: RdDemand, after: dict[str, Any], _context: Any
) -> None:
    # The partner is named whole or not at all.
    partner = _partner_fields(demand)
    if any(v is None for v in partner.values()) and any(v is not None for v in partner.values()):
        missing = next(k for k, v in partner.items() if v is None)
        raise Invalid(
            "a partner is named with its name, kind and whether it is in the GBA", field=missing
        )


DEMAND = Correctable(
    what="R&D demand",
    corrected=RdDemandCorrected,
    voided=RdDemandVoided,
    load=_load_demand,
    check=_check_demand,
)
"""An R&D demand: its fields, the partner named whole or not at all."""


async def _load_menu_item(session: OutboxSession, menu_item_id: str) -> MenuItem:
    # A menu item by id (its GET, PATCH and DELETE).
    item = await session.get(MenuItem, menu_item_id)
    return found(item, "menu item", menu_item_id, field="menu_item_id")


MENU_ITEM = Correctable(
    what="menu item",
    corrected=MenuItemCorrected,
    voided=MenuItemVoided,
    load=_load_menu_item,
    read=_load_menu_item,
)
"""A menu item: its fields."""
