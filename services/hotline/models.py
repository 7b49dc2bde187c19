"""The hotline's tables: tickets, their history, escalations, notes, and the cases it watches."""

from __future__ import annotations

from datetime import date, datetime

from enclave_shared.db import UTCDateTime
from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# named constraints, so later batch migrations (SQLite) and PostgreSQL can address them
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Ticket(Base):
    """A government-service problem raised by phone, on the web or by an event."""

    __tablename__ = "hotline_tickets"
    __table_args__ = (
        Index("ix_hotline_tickets_case", "case_id"),
        Index("ix_hotline_tickets_reporter", "reporter_sub"),
        Index("ix_hotline_tickets_status", "status"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)  # order
    id: Mapped[str] = mapped_column(String(40), unique=True)  # HL-…, said over the phone
    kind: Mapped[str] = mapped_column(String(30))  # request, landing_followup, supervision
    channel: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    enterprise_id: Mapped[str | None] = mapped_column(Text)
    project_id: Mapped[str | None] = mapped_column(String(200))
    case_id: Mapped[str | None] = mapped_column(String(200))
    reporter_sub: Mapped[str | None] = mapped_column(String(200))
    # the business fact an event ticket stands for: at most one ticket per fact
    fact_key: Mapped[str | None] = mapped_column(String(500), unique=True)
    department: Mapped[str | None] = mapped_column(String(200))
    resolution: Mapped[str | None] = mapped_column(Text)
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    within_sla: Mapped[bool | None] = mapped_column(Boolean)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    routed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    history: Mapped[list[TicketMove]] = relationship(
        order_by="TicketMove.id", lazy="selectin", cascade="all, delete-orphan"
    )
    escalations: Mapped[list[Escalation]] = relationship(
        order_by="Escalation.id", lazy="selectin", cascade="all, delete-orphan"
    )
    notes: Mapped[list[Note]] = relationship(
        order_by="Note.id", lazy="selectin", cascade="all, delete-orphan"
    )


class TicketMove(Base):
    """One recorded move of a ticket: what happened, who did it, when."""

    __tablename__ = "hotline_ticket_moves"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("hotline_tickets.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor_role: Mapped[str] = mapped_column(String(30))
    actor: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class Escalation(Base):
    """A missed SLA (督办); one per ticket and breach, so a sweep escalates it once."""

    __tablename__ = "hotline_escalations"
    __table_args__ = (UniqueConstraint("ticket_id", "breach", name="uq_hotline_escalation"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("hotline_tickets.id"))
    breach: Mapped[str] = mapped_column(String(20))  # accept, resolve
    reason: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class Note(Base):
    """A supervisor's note on a ticket."""

    __tablename__ = "hotline_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("hotline_tickets.id"), index=True)
    author_role: Mapped[str] = mapped_column(String(30))
    author: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class WatchedCase(Base):
    """An intake case the hotline watches for staying red too long after signing."""

    __tablename__ = "hotline_watched_cases"

    case_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    project_id: Mapped[str] = mapped_column(String(200))
    enterprise: Mapped[str | None] = mapped_column(Text)
    signed_on: Mapped[date | None] = mapped_column(Date)
    construction_started_on: Mapped[date | None] = mapped_column(Date)
    supervision_ticket_id: Mapped[str | None] = mapped_column(String(40))
