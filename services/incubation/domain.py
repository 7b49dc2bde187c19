"""The enclave's rules that hold without a database: its closed sets of codes, the project
stage machine, the four paths' field rules and the checks on business dates and chains."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from enclave_shared.catalog.incubation import (
    EnterpriseTag,
    IntakePath,
    LayoutCategory,
    ProjectStage,
)
from enclave_shared.errors import Conflict, Invalid


class BacklogKind(StrEnum):
    """Where a backlog item came from."""

    DEMAND = "demand"  # an R&D demand of a local enterprise (order path)
    MENU_ITEM = "menu_item"  # a zone menu item (menu path)

    @property
    def path(self) -> IntakePath:
        """The path a project taken on from this kind of item follows."""
        return IntakePath.ORDER if self is BacklogKind.DEMAND else IntakePath.MENU

    @property
    def field(self) -> str:
        """The project field that names an item of this kind."""
        return "demand_id" if self is BacklogKind.DEMAND else "menu_item_id"

    @property
    def label(self) -> str:
        """How a message names an item of this kind."""
        return "R&D demand" if self is BacklogKind.DEMAND else "menu item"


class AgreementKind(StrEnum):
    """Who the enclave signed a cooperation agreement with."""

    ENTERPRISE = "enterprise"
    UNIVERSITY = "university"
    INSTITUTE = "institute"
    OTHER = "other"


class ActivityKind(StrEnum):
    """The enclave's activities."""

    VILLAGE_ELITE_MEETING = "village_elite_meeting"  # 新乡贤 meeting
    TALENT_WELCOME = "talent_welcome"  # "talent welcome" event
    ROADSHOW = "roadshow"
    TRAINING = "training"
    # the party-building campaigns of 一轴 (party building + new village sages)
    PARTY_MEMBER_LEADS = "party_member_leads"  # 我是党员我带头
    FOR_HOMETOWN = "for_hometown"  # 我为家乡做点事
    OTHER = "other"


# --- the stage machine: proposed → incubating → matured → transferred, or dropped ---------

OPEN_STAGES = (ProjectStage.PROPOSED, ProjectStage.INCUBATING, ProjectStage.MATURED)


@dataclass(frozen=True)
class StageMove:
    """A move of the lifecycle: the stages it starts from, and how a refusal names it."""

    to: ProjectStage
    starts_from: tuple[ProjectStage, ...]
    verb: str

    def allows(self, stage: str) -> bool:
        """Whether a project in `stage` can make this move."""
        return stage in self.starts_from

    def check(self, project_id: str, stage: str) -> None:
        """Refuse the move (409 naming the stage) from any stage it does not start from."""
        if not self.allows(stage):
            names = " or ".join(s.value for s in self.starts_from)
            raise Conflict(
                f"project {project_id} is {stage}: only a {names} project can {self.verb}",
                field="stage",
            )


START_INCUBATION = StageMove(ProjectStage.INCUBATING, (ProjectStage.PROPOSED,), "start incubation")
# A proposed project matures too: it passes through incubating on the same day.
MATURE = StageMove(ProjectStage.MATURED, (ProjectStage.PROPOSED, ProjectStage.INCUBATING), "mature")
DROP = StageMove(ProjectStage.DROPPED, OPEN_STAGES, "be dropped")
# Only intake's reports transfer a project; one that cannot be is left alone, not refused.
TRANSFER = StageMove(ProjectStage.TRANSFERRED, (ProjectStage.MATURED,), "be transferred")


# --- the four paths -----------------------------------------------------------------------


def check_path(
    path: IntakePath,
    *,
    demand_id: str | None,
    menu_item_id: str | None,
    enterprise: str | None,
    enterprise_tag: EnterpriseTag | None,
    layout_category: LayoutCategory | None,
) -> None:
    """Refuse the fields a path does not take and require the ones it needs."""
    if path is not IntakePath.ORDER and demand_id is not None:
        raise Invalid(f"demand_id is only for the order path, not {path}", field="demand_id")
    if path is not IntakePath.MENU and menu_item_id is not None:
        raise Invalid(f"menu_item_id is only for the menu path, not {path}", field="menu_item_id")
    if path is not IntakePath.DIRECTED and enterprise_tag is not None:
        raise Invalid(
            f"enterprise_tag is only for the directed path, not {path}", field="enterprise_tag"
        )
    if path is IntakePath.ORDER and not demand_id:
        raise Invalid(
            "an order project comes from a local enterprise's R&D demand: demand_id is required",
            field="demand_id",
        )
    if path is IntakePath.MENU and not menu_item_id:
        raise Invalid(
            "a menu project comes from a zone menu item: menu_item_id is required",
            field="menu_item_id",
        )
    if path is IntakePath.DIRECTED:
        if not enterprise:
            raise Invalid(
                "a directed project names its target GBA enterprise: enterprise is required",
                field="enterprise",
            )
        if enterprise_tag is None:
            raise Invalid(
                "a directed project tags its target (unicorn, gazelle, other): "
                "enterprise_tag is required",
                field="enterprise_tag",
            )
    if path is IntakePath.DELIVERY and layout_category is not None:
        raise Invalid(
            "a delivery project does not fit 三新两大: layout_category must be empty",
            field="layout_category",
        )


def check_item_fields(
    kind: BacklogKind,
    *,
    enterprise: str | None,
    layout_category: LayoutCategory | None,
    item_enterprise: str | None,
    item_layout_category: str | None,
) -> None:
    """An order project keeps its demand's enterprise, a menu project its item's layout."""
    if kind is BacklogKind.DEMAND and enterprise and enterprise != item_enterprise:
        raise Invalid(
            f"an order project's enterprise is the demand's ({item_enterprise})",
            field="enterprise",
        )
    if (
        kind is BacklogKind.MENU_ITEM
        and layout_category
        and layout_category.value != item_layout_category
    ):
        raise Invalid(
            f"a menu project keeps its item's layout category ({item_layout_category})",
            field="layout_category",
        )


# --- values -------------------------------------------------------------------------------


def check_chain(chain: str | None, chains: Sequence[str]) -> str:
    """The industry chain, refused when missing or not one of the configured ones."""
    if not chain:
        raise Invalid("industry_chain is required", field="industry_chain")
    if chain not in chains:
        raise Invalid(
            f"unknown industry_chain {chain!r}; configured: {', '.join(chains)}",
            field="industry_chain",
        )
    return chain


def check_range(
    date_from: date | None, date_to: date | None, names: tuple[str, str] = ("from", "to")
) -> None:
    """Refuse a date range that runs backwards (422 naming the range's first parameter)."""
    if date_from and date_to and date_from > date_to:
        first, then = names
        raise Invalid(f"{first} ({date_from}) is after {then} ({date_to})", field=first)


def not_before(value: date, earlier: date | None, *, field: str, what: str) -> None:
    """Refuse a business date earlier than the one it must follow."""
    if earlier is not None and value < earlier:
        raise Invalid(f"{field} {value} is before {what} {earlier}", field=field)
