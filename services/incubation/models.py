"""Tables of the incubation service (Shenzhen enclave). Enums are stored as plain strings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from enclave_shared.corrections import Voidable, standing_once
from enclave_shared.db import UTCDateTime, utcnow
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ID = 36  # uuid4 text
NAME = 200
TITLE = 300
CODE = 64  # enum values and industry chain codes


class Base(DeclarativeBase):
    metadata = MetaData()


class EnclaveRecord(Base):
    """A table whose rows have a uuid id (first column) and a creation time (last column)."""

    __abstract__ = True

    id: Mapped[str] = mapped_column(String(ID), primary_key=True, sort_order=-1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


STANDING = text("voided_at IS NULL")  # an index over the standing rows only


class Project(Voidable, EnclaveRecord):
    """A project in the enclave on one of the four intake paths."""

    __tablename__ = "inc_projects"
    __table_args__ = (
        Index("ix_inc_projects_registered_on", "registered_on"),
        Index("ix_inc_projects_stage", "stage"),
        # The standing rows by the list's filters, then its order (newest first): a page is
        # an index walk, its total and the stats' counts by path and stage index-only.
        Index(
            "ix_inc_projects_list",
            "path",
            "stage",
            "registered_on",
            "created_at",
            sqlite_where=STANDING,
            postgresql_where=STANDING,
        ),
        # The stats' counts of matured and transferred projects and the ids of those with
        # an outcome (few of all): read from the index alone, not a scan of the table.
        Index("ix_inc_projects_matured_on", "matured_on", "voided_at"),
        Index("ix_inc_projects_transferred_on", "transferred_on", "voided_at"),
        Index("ix_inc_projects_outcome", "outcome", "voided_at", "id"),
    )

    # title and enterprise can come from intake's events, which bound no length: Text.
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    industry_chain: Mapped[str] = mapped_column(String(CODE))
    layout_category: Mapped[str | None] = mapped_column(String(CODE), nullable=True)
    path: Mapped[str] = mapped_column(String(CODE))
    stage: Mapped[str] = mapped_column(String(CODE))
    enterprise: Mapped[str | None] = mapped_column(Text, nullable=True)
    enterprise_tag: Mapped[str | None] = mapped_column(String(CODE), nullable=True)
    demand_id: Mapped[str | None] = mapped_column(Text, nullable=True, index=True)
    menu_item_id: Mapped[str | None] = mapped_column(Text, nullable=True, index=True)
    team_members: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # Members of the team who are talents of the enclave, by talent id.
    team_talent_ids: Mapped[list[Any]] = mapped_column(JSON, default=list, server_default="[]")
    registered_on: Mapped[date] = mapped_column(Date)
    incubation_started_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    matured_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    transferred_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    dropped_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    drop_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    case_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    # What the transfer came to, as intake reports it: enterprise_settled or
    # outcome_transferred (cleared when intake withdraws or voids the case).
    outcome: Mapped[str | None] = mapped_column(String(CODE), nullable=True)


class BacklogItem(Voidable, Base):
    """An R&D demand (order path) or zone menu item (menu path) reported by intake.

    `project_id` holds the live project taken on from it; it is cleared when that project
    is dropped, so that the item can be taken on again. The copy follows intake's
    corrections, and is void once intake voids the demand or menu item.
    """

    __tablename__ = "inc_backlog_items"
    __table_args__ = (UniqueConstraint("kind", "source_id", name="uq_inc_backlog_source"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(CODE))
    source_id: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    enterprise: Mapped[str | None] = mapped_column(Text, nullable=True)
    industry_chain: Mapped[str] = mapped_column(Text)
    layout_category: Mapped[str | None] = mapped_column(String(CODE), nullable=True)
    submitted_on: Mapped[date] = mapped_column(Date)
    project_id: Mapped[str | None] = mapped_column(String(ID), nullable=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Ambassador(EnclaveRecord):
    """A talent ambassador (招才大使)."""

    __tablename__ = "inc_ambassadors"

    name: Mapped[str] = mapped_column(String(NAME))
    organisation: Mapped[str | None] = mapped_column(String(NAME), nullable=True)
    appointed_on: Mapped[date] = mapped_column(Date)


class Talent(Voidable, EnclaveRecord):
    """A talent recruited to the enclave: high-level (高层次人才) or researcher (科研人员)."""

    __tablename__ = "inc_talents"
    __table_args__ = (Index("ix_inc_talents_recruited_on", "recruited_on"),)

    name: Mapped[str] = mapped_column(String(NAME))
    level: Mapped[str] = mapped_column(String(CODE))
    field: Mapped[str] = mapped_column(String(NAME))
    recruited_on: Mapped[date] = mapped_column(Date)
    ambassador_id: Mapped[str | None] = mapped_column(
        String(ID), ForeignKey("inc_ambassadors.id"), nullable=True, index=True
    )


class Agreement(Voidable, EnclaveRecord):
    """A cooperation agreement (合作意向) with an enterprise, university or institute."""

    __tablename__ = "inc_agreements"
    __table_args__ = (Index("ix_inc_agreements_signed_on", "signed_on"),)

    partner: Mapped[str] = mapped_column(String(NAME))
    kind: Mapped[str] = mapped_column(String(CODE))
    in_gba: Mapped[bool] = mapped_column(Boolean)
    signed_on: Mapped[date] = mapped_column(Date)
    project_id: Mapped[str | None] = mapped_column(
        String(ID), ForeignKey("inc_projects.id"), nullable=True
    )
    # The projects the agreement led to (its GBA enterprise counts by what became of them).
    project_ids: Mapped[list[Any]] = mapped_column(JSON, default=list, server_default="[]")
    note: Mapped[str] = mapped_column(Text, default="")


class Activity(Voidable, EnclaveRecord):
    """An activity: village-elite meeting, talent welcome, roadshow, training."""

    __tablename__ = "inc_activities"
    __table_args__ = (Index("ix_inc_activities_held_on", "held_on"),)

    kind: Mapped[str] = mapped_column(String(CODE))
    title: Mapped[str] = mapped_column(String(TITLE))
    held_on: Mapped[date] = mapped_column(Date)
    attendance: Mapped[int] = mapped_column(Integer)
    place: Mapped[str | None] = mapped_column(String(NAME), nullable=True)


class TrainingRecord(Voidable, EnclaveRecord):
    """People who completed one 531 training track on a date."""

    __tablename__ = "inc_training_records"
    __table_args__ = (Index("ix_inc_training_completed_on", "completed_on"),)

    track: Mapped[str] = mapped_column(String(CODE))
    count: Mapped[int] = mapped_column(Integer)
    completed_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")


class HqEnterprise(Voidable, EnclaveRecord):
    """An enterprise that stays in Shenzhen but serves Guangfeng (总部经济)."""

    __tablename__ = "inc_hq_enterprises"
    __table_args__ = (
        UniqueConstraint("name", name="uq_inc_hq_enterprises_name"),
        Index("ix_inc_hq_registered_on", "registered_on"),
    )

    name: Mapped[str] = mapped_column(String(NAME))
    industry_chain: Mapped[str | None] = mapped_column(String(CODE), nullable=True)
    registered_on: Mapped[date] = mapped_column(Date)
    # The cooperation agreement with the GBA enterprise that now serves as HQ economy.
    agreement_id: Mapped[str | None] = mapped_column(
        String(ID), ForeignKey("inc_agreements.id"), nullable=True
    )
    note: Mapped[str] = mapped_column(Text, default="")


class PlanItem(Voidable, EnclaveRecord):
    """An item of a month's work plan (按月细化制定工作计划), detailing the five-year plan."""

    __tablename__ = "inc_plan_items"
    __table_args__ = (Index("ix_inc_plan_items_due_month", "due_month"),)

    title: Mapped[str] = mapped_column(String(TITLE))
    owner: Mapped[str] = mapped_column(String(NAME))
    due_month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    status: Mapped[str] = mapped_column(String(CODE))
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    goal: Mapped[str] = mapped_column(Text, default="")  # the five-year plan's goal
    note: Mapped[str] = mapped_column(Text, default="")


class PlanMonth(Voidable, EnclaveRecord):
    """A month's work plan closed with its results (one standing closing a month)."""

    __tablename__ = "inc_plan_months"
    __table_args__ = (Index("ix_inc_plan_months_month", "month"),)

    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    closed_on: Mapped[date] = mapped_column(Date)
    results: Mapped[str] = mapped_column(Text)


# --- 有团队 / 有场所 -------------------------------------------------------------------------


CENTRE_KIND = standing_once("uq_inc_centres_kind", "kind")
HOSTED_ONCE = standing_once("uq_inc_hostings_project", "project_id")
DECLARED_ONCE = standing_once("uq_inc_talent_declarations_once", "talent_id", "programme", "level")
PARTY_ORG_NAME = standing_once("uq_inc_party_orgs_name", "name")
SAGE_IN_BODY = standing_once("uq_inc_sages_name_body", "name", "body")


class Centre(Voidable, EnclaveRecord):
    """One of the three centres (项目孵化中心、科技研发中心、人才培训中心) as a place."""

    __tablename__ = "inc_centres"
    __table_args__ = (CENTRE_KIND,)

    kind: Mapped[str] = mapped_column(String(CODE))
    name: Mapped[str] = mapped_column(String(NAME))
    address: Mapped[str] = mapped_column(String(TITLE))
    area_m2: Mapped[int] = mapped_column(Integer)
    opened_on: Mapped[date] = mapped_column(Date)


class TeamMember(Voidable, EnclaveRecord):
    """A member of the advisory group (飞地发展顾问团) or of the operating team."""

    __tablename__ = "inc_team_members"
    __table_args__ = (Index("ix_inc_team_members_since", "since"),)

    team: Mapped[str] = mapped_column(String(CODE))
    name: Mapped[str] = mapped_column(String(NAME))
    role: Mapped[str] = mapped_column(String(NAME))  # who they are: title or role
    organisation: Mapped[str | None] = mapped_column(String(NAME), nullable=True)
    since: Mapped[date] = mapped_column(Date)
    centre_id: Mapped[str | None] = mapped_column(
        String(ID), ForeignKey("inc_centres.id"), nullable=True, index=True
    )


class Hosting(Voidable, EnclaveRecord):
    """A project hosted by a centre from a date (one standing hosting per project)."""

    __tablename__ = "inc_hostings"
    __table_args__ = (HOSTED_ONCE,)

    centre_id: Mapped[str] = mapped_column(String(ID), ForeignKey("inc_centres.id"), index=True)
    project_id: Mapped[str] = mapped_column(String(ID), ForeignKey("inc_projects.id"), index=True)
    since: Mapped[date] = mapped_column(Date)


class RdCentre(Voidable, EnclaveRecord):
    """An R&D centre in Shenzhen (科技研发中心): a local enterprise's of the seven chains, or a
    Shenzhen R&D institution's moving into the enclave; linked to the projects whose results
    it transfers to Guangfeng."""

    __tablename__ = "inc_rd_centres"
    __table_args__ = (Index("ix_inc_rd_centres_since", "since"),)

    kind: Mapped[str] = mapped_column(String(CODE))
    name: Mapped[str] = mapped_column(String(NAME))
    industry_chain: Mapped[str] = mapped_column(String(CODE))
    centre_id: Mapped[str | None] = mapped_column(
        String(ID), ForeignKey("inc_centres.id"), nullable=True, index=True
    )
    since: Mapped[date] = mapped_column(Date)
    project_ids: Mapped[list[Any]] = mapped_column(JSON, default=list, server_default="[]")
    note: Mapped[str] = mapped_column(Text, default="")


class TalentDeclaration(Voidable, EnclaveRecord):
    """A high-level talent's declaration for a province, city or district talent programme
    (帮助申报省、市、区人才工程), and its outcome."""

    __tablename__ = "inc_talent_declarations"
    __table_args__ = (
        Index("ix_inc_talent_declarations_declared_on", "declared_on"),
        DECLARED_ONCE,
    )

    talent_id: Mapped[str] = mapped_column(String(ID), ForeignKey("inc_talents.id"), index=True)
    # The talent's name as declared (the lists show it without a look-up).
    talent_name: Mapped[str] = mapped_column(String(NAME))
    programme: Mapped[str] = mapped_column(String(TITLE))
    level: Mapped[str] = mapped_column(String(CODE))
    declared_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(CODE))
    outcome_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


class PartyOrganisation(Voidable, EnclaveRecord):
    """A party organisation built on a new-village-sage body (一轴: 新乡贤参事会、博士联谊会…)."""

    __tablename__ = "inc_party_orgs"
    __table_args__ = (Index("ix_inc_party_orgs_formed_on", "formed_on"), PARTY_ORG_NAME)

    name: Mapped[str] = mapped_column(String(NAME))
    body: Mapped[str] = mapped_column(String(NAME))  # the new-village-sage body
    formation: Mapped[str] = mapped_column(String(CODE))
    members: Mapped[int] = mapped_column(Integer)
    formed_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")


class Sage(Voidable, EnclaveRecord):
    """A new village sage (新乡贤) of a body, and their tie to the enclave."""

    __tablename__ = "inc_sages"
    __table_args__ = (Index("ix_inc_sages_joined_on", "joined_on"), SAGE_IN_BODY)

    name: Mapped[str] = mapped_column(String(NAME))
    body: Mapped[str] = mapped_column(String(NAME))
    tie: Mapped[str] = mapped_column(String(CODE))
    joined_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
