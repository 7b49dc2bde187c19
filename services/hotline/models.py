"""The hotline's tables: tickets, their history, escalations, extensions, revisits, notes;
the departments directory, the Open311 applications, the cases it watches and who owns them."""

from __future__ import annotations

from datetime import date, datetime

from enclave_shared.corrections import Voidable
from enclave_shared.db import UTCDateTime
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


class Ticket(Voidable, Base):
    """A government-service problem raised by phone, on the web or by an event; one entered
    by mistake is voided (kept, marked, out of lists and figures)."""

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
    request_type: Mapped[str | None] = mapped_column(String(20))  # null: opened from an event
    caller_name: Mapped[str | None] = mapped_column(String(200))
    callback_number: Mapped[str | None] = mapped_column(String(40))
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
    department_code: Mapped[str | None] = mapped_column(String(100))  # when in the directory
    resolution: Mapped[str | None] = mapped_column(Text)
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    within_sla: Mapped[bool | None] = mapped_column(Boolean)
    signed_in_time: Mapped[bool | None] = mapped_column(Boolean)
    # the deadlines as they stand (working time; extensions and re-handling move them)
    accept_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sign_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolve_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolve_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    routings: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reopen_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    revisit_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    satisfaction: Mapped[str | None] = mapped_column(String(30))
    close_reason: Mapped[str | None] = mapped_column(Text)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
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
    extensions: Mapped[list[Extension]] = relationship(
        order_by="Extension.id", lazy="selectin", cascade="all, delete-orphan"
    )
    revisits: Mapped[list[Revisit]] = relationship(
        order_by="Revisit.id", lazy="selectin", cascade="all, delete-orphan"
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
    """A reminder (催办, level 0) or a missed limit (督办 1, 提级督办 2+); one per ticket, clock,
    level and round (the clock's restart: a re-routing, a re-handling), so a sweep sends it once."""

    __tablename__ = "hotline_escalations"
    __table_args__ = (
        UniqueConstraint("ticket_id", "breach", "level", "round", name="uq_hotline_escalation"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("hotline_tickets.id"))
    breach: Mapped[str] = mapped_column(String(20))  # accept, sign, resolve
    level: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    round: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reason: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class Extension(Base):
    """A department's request for more time (延期) and the hotline's decision."""

    __tablename__ = "hotline_extensions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("hotline_tickets.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    extra_hours: Mapped[float | None] = mapped_column()
    extra_days: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))  # pending, approved, refused
    requested_by: Mapped[str | None] = mapped_column(Text)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_before: Mapped[datetime] = mapped_column(UTCDateTime())
    due_after: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str | None] = mapped_column(Text)


class Revisit(Base):
    """One revisit call (回访): satisfaction, or that the requester was not reached."""

    __tablename__ = "hotline_revisits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("hotline_tickets.id"), index=True)
    round: Mapped[int] = mapped_column(Integer)  # the ticket's reopen_count at the call
    attempt: Mapped[int] = mapped_column(Integer)
    result: Mapped[str] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class Department(Base):
    """A department of the directory (部门名录) the hotline routes tickets to."""

    __tablename__ = "hotline_departments"

    code: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    contact: Mapped[str | None] = mapped_column(Text)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Open311Application(Base):
    """An application registered for Open311 posting: its key (stored hashed) is an account."""

    __tablename__ = "hotline_open311_apps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    account: Mapped[str] = mapped_column(String(200))  # the tickets' reporter_sub
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


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
    # Intake stopped the case: suspended (until resumed), or withdrawn or voided (for good).
    suspended_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class CaseOwner(Base):
    """The enterprise account that owns an intake case (intake's CaseAccountAssigned; `null`
    once taken away): it reads every ticket about the case or its project, and only it
    attaches its own tickets to them."""

    __tablename__ = "hotline_case_owners"

    case_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    project_id: Mapped[str] = mapped_column(String(200), index=True)
    account: Mapped[str | None] = mapped_column(String(200), index=True)
