"""Tables of the intake service (its own metadata; enums stored as their string values)."""

from __future__ import annotations

from datetime import date, datetime

from enclave_shared.catalog.incubation import IntakePath
from enclave_shared.db import UTCDateTime, utcnow
from sqlalchemy import Date, ForeignKey, Index, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, synonym

from services.intake.domain import OUTCOME_OF_PATH, Color, Outcome, color_of, days_between


class Base(DeclarativeBase):
    metadata = MetaData()


class IntakeCase(Base):
    """One transfer project at the intake base: one enterprise, one ledger (一企一台账)."""

    __tablename__ = "intake_cases"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
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
    source_event_id: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

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


class ProgressEntry(Base):
    """A dated line of a case's ledger (工作进度)."""

    __tablename__ = "intake_progress_entries"
    __table_args__ = (Index("ix_intake_progress_case", "case_id", "happened_on"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("intake_cases.id"))
    happened_on: Mapped[date] = mapped_column(Date)
    stage: Mapped[str | None] = mapped_column(String(20), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Meeting(Base):
    """A "three ones" inspection, coordination or observation: scheduled and/or held."""

    __tablename__ = "intake_meetings"
    __table_args__ = (Index("ix_intake_meetings_case", "case_id", "kind"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("intake_cases.id"))
    kind: Mapped[str] = mapped_column(String(20))
    scheduled_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    held_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MissedMeeting(Base):
    """A "three ones" slot reported missed; the row makes the report happen once."""

    __tablename__ = "intake_missed_meetings"
    __table_args__ = (UniqueConstraint("case_id", "kind", "due_on", name="uq_intake_missed"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("intake_cases.id"))
    kind: Mapped[str] = mapped_column(String(20))
    due_on: Mapped[date] = mapped_column(Date)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RdDemand(Base):
    """An R&D need stated by a local enterprise (order path, 订单式)."""

    __tablename__ = "intake_rd_demands"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    enterprise: Mapped[str] = mapped_column(String(300))
    enterprise_account: Mapped[str | None] = mapped_column(String(500), nullable=True, index=True)
    industry_chain: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    submitted_on: Mapped[date] = mapped_column(Date)
    # taken on by the enclave (an order-path project registered for it): cooperation
    project_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    taken_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    demand_id: Mapped[str] = synonym("id")  # the name its events give it


class MenuItem(Base):
    """A project the zone wants incubated (menu path, 菜单式)."""

    __tablename__ = "intake_menu_items"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    industry_chain: Mapped[str] = mapped_column(String(100))
    layout_category: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text, default="")
    published_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    menu_item_id: Mapped[str] = synonym("id")  # the name its events give it
