"""Tables of the intake service (its own metadata; enums stored as their string values)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from enclave_shared.catalog.incubation import IntakePath
from enclave_shared.corrections import Voidable
from enclave_shared.db import UTCDateTime, utcnow
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, synonym

from services.intake.domain import (
    OUTCOME_OF_PATH,
    CaseStatus,
    Color,
    Outcome,
    color_of,
    days_between,
)


class Base(DeclarativeBase):
    metadata = MetaData()


MONEY = Numeric(16, 4)
"""An amount of 万元 to the yuan, exact (NUMERIC; SQLite keeps it as a REAL and SQLAlchemy
reads it back as a decimal of four places)."""


class Entered:
    """Columns of a record entered through the API: its id (`new_id`) and when it was
    written (lists order by it after their date, then by id)."""

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Edited:
    """Columns of a version of something the zone officers word: who saved it, and when."""

    edited_by: Mapped[str | None] = mapped_column(String(500), nullable=True)
    edited_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class IntakeCase(Entered, Voidable, Base):
    """One transfer project at the intake base: one enterprise, one ledger (一企一台账)."""

    __tablename__ = "intake_cases"

    project_id: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(Text)
    path: Mapped[str] = mapped_column(String(20), index=True)
    industry_chain: Mapped[str] = mapped_column(String(200), index=True)
    layout_category: Mapped[str | None] = mapped_column(String(40), nullable=True)
    enterprise: Mapped[str | None] = mapped_column(String(500), nullable=True)
    enterprise_account: Mapped[str | None] = mapped_column(String(500), nullable=True, index=True)
    enterprise_tag: Mapped[str | None] = mapped_column(String(20), nullable=True)
    demand_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    menu_item_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    opened_on: Mapped[date] = mapped_column(Date)
    signed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    construction_started_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    production_started_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    responsible_unit: Mapped[str | None] = mapped_column(String(300), nullable=True)
    responsible_person: Mapped[str | None] = mapped_column(String(200), nullable=True)
    responsible_contact: Mapped[str | None] = mapped_column(String(200), nullable=True)
    plot_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # the ledger's header: what the settled enterprise invests (万元), the jobs it plans and
    # its expected yearly output (万元)
    investment: Mapped[Decimal | None] = mapped_column(MONEY, nullable=True)
    planned_jobs: Mapped[int | None] = mapped_column(Integer, nullable=True)
    expected_output: Mapped[Decimal | None] = mapped_column(MONEY, nullable=True)
    status: Mapped[str] = mapped_column(
        String(20), default=CaseStatus.ACTIVE.value, server_default="active", index=True
    )
    status_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    suspended_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    withdrawn_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    source_event_id: Mapped[str] = mapped_column(String(200))

    # What the HTTP shapes and the events read of a case besides its columns: they are built
    # from the row (`model_validate(case)`), so a case's fields are named here only.
    case_id: Mapped[str] = synonym("id")

    @property
    def outcome(self) -> Outcome:
        """What signing means on the case's path."""
        return OUTCOME_OF_PATH[IntakePath(self.path)]

    @property
    def color(self) -> Color:
        """The case's colour now, from its milestone dates."""
        return color_of(self.construction_started_on, self.production_started_on)

    @property
    def days_to_construction(self) -> int | None:
        """Whole days from signing to construction start, once both happened."""
        return days_between(self.signed_on, self.construction_started_on)


class ProgressEntry(Entered, Base):
    """A dated line of a case's ledger (工作进度)."""

    __tablename__ = "intake_progress_entries"
    __table_args__ = (Index("ix_intake_progress_case", "case_id", "happened_on"),)

    case_id: Mapped[str] = mapped_column(ForeignKey("intake_cases.id"))
    happened_on: Mapped[date] = mapped_column(Date)
    stage: Mapped[str | None] = mapped_column(String(20), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str | None] = mapped_column(String(500), nullable=True)


class Meeting(Entered, Base):
    """A "three ones" inspection, coordination or observation: scheduled and/or held."""

    __tablename__ = "intake_meetings"
    __table_args__ = (Index("ix_intake_meetings_case", "case_id", "kind"),)

    case_id: Mapped[str] = mapped_column(ForeignKey("intake_cases.id"))
    kind: Mapped[str] = mapped_column(String(20))
    scheduled_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    held_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")


class MissedMeeting(Base):
    """A "three ones" slot reported missed; the row makes the report happen once."""

    __tablename__ = "intake_missed_meetings"
    __table_args__ = (UniqueConstraint("case_id", "kind", "due_on", name="uq_intake_missed"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("intake_cases.id"))
    kind: Mapped[str] = mapped_column(String(20))
    due_on: Mapped[date] = mapped_column(Date)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CaseSuspension(Base):
    """A period a case was suspended: no "three ones" meetings owed in it."""

    __tablename__ = "intake_case_suspensions"
    __table_args__ = (Index("ix_intake_suspensions_case", "case_id", "suspended_on"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("intake_cases.id"))
    suspended_on: Mapped[date] = mapped_column(Date)
    resumed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    reason: Mapped[str] = mapped_column(Text)


class RdDemand(Entered, Voidable, Base):
    """An R&D need stated by a local enterprise (order path, 订单式)."""

    __tablename__ = "intake_rd_demands"

    enterprise: Mapped[str] = mapped_column(String(300))
    enterprise_account: Mapped[str | None] = mapped_column(String(500), nullable=True, index=True)
    industry_chain: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    submitted_on: Mapped[date] = mapped_column(Date)
    # taken on by the enclave (an order-path project registered for it): cooperation
    project_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    taken_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # the cooperation's partner: a university, institute or enterprise, in the GBA or not
    partner_name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    partner_kind: Mapped[str | None] = mapped_column(String(20), nullable=True)
    partner_in_gba: Mapped[bool | None] = mapped_column(Boolean, nullable=True)

    demand_id: Mapped[str] = synonym("id")  # the name its events give it


class MenuItem(Entered, Voidable, Base):
    """A project the zone wants incubated (menu path, 菜单式)."""

    __tablename__ = "intake_menu_items"

    title: Mapped[str] = mapped_column(String(300))
    industry_chain: Mapped[str] = mapped_column(String(100))
    layout_category: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text, default="")
    published_on: Mapped[date] = mapped_column(Date)

    menu_item_id: Mapped[str] = synonym("id")  # the name its events give it


class WallText(Edited, Base):
    """One version of a text of the public wall (entry conditions or process): the latest
    version is shown, the earlier ones kept."""

    __tablename__ = "intake_wall_texts"
    __table_args__ = (UniqueConstraint("kind", "version", name="uq_intake_wall_text_version"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    items: Mapped[list[str]] = mapped_column(JSON)


class PlanVersion(Edited, Base):
    """One version of the base's plan (the distribution chart's drawing), as JSON."""

    __tablename__ = "intake_plans"

    version: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    plan: Mapped[dict[str, object]] = mapped_column(JSON)


class Platform(Entered, Voidable, Base):
    """An innovation platform of the base (academician workstation, service platform…)."""

    __tablename__ = "intake_platforms"

    kind: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(300))
    level: Mapped[str] = mapped_column(String(40))
    since: Mapped[date] = mapped_column(Date)


class SupportPolicy(Entered, Voidable, Base):
    """A support policy of the zone's catalogue (精细化保障) and what it gives."""

    __tablename__ = "intake_support_policies"

    kind: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(300))
    gives: Mapped[str] = mapped_column(Text)
    max_amount: Mapped[Decimal | None] = mapped_column(MONEY, nullable=True)  # 万元
    published_on: Mapped[date] = mapped_column(Date)

    policy_id: Mapped[str] = synonym("id")  # the name its events give it


class PolicyApplication(Entered, Voidable, Base):
    """A settled enterprise's application for a support policy, and its decision."""

    __tablename__ = "intake_policy_applications"
    __table_args__ = (Index("ix_intake_policy_applications_case", "case_id", "filed_on"),)

    case_id: Mapped[str] = mapped_column(ForeignKey("intake_cases.id"))
    policy_id: Mapped[str] = mapped_column(ForeignKey("intake_support_policies.id"), index=True)
    enterprise: Mapped[str] = mapped_column(String(500))
    enterprise_account: Mapped[str | None] = mapped_column(String(500), nullable=True, index=True)
    amount_asked: Mapped[Decimal] = mapped_column(MONEY)  # 万元
    filed_on: Mapped[date] = mapped_column(Date)
    decision: Mapped[str | None] = mapped_column(String(20), nullable=True, index=True)
    amount_granted: Mapped[Decimal | None] = mapped_column(MONEY, nullable=True)  # 万元
    decided_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    decision_note: Mapped[str | None] = mapped_column(Text, nullable=True)

    application_id: Mapped[str] = synonym("id")  # the name its events give it


class CaseReturn(Entered, Voidable, Base):
    """One of the "five returns" (五回) of a case: talents, information, capital (万元),
    enterprises or technology that came back to Guangfeng."""

    __tablename__ = "intake_case_returns"
    __table_args__ = (Index("ix_intake_case_returns_case", "case_id", "happened_on"),)

    case_id: Mapped[str] = mapped_column(ForeignKey("intake_cases.id"))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    amount: Mapped[Decimal | None] = mapped_column(MONEY, nullable=True)  # 万元, capital only
    description: Mapped[str] = mapped_column(Text, default="")
    happened_on: Mapped[date] = mapped_column(Date)

    return_id: Mapped[str] = synonym("id")  # the name its events give it
