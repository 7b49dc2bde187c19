"""Tables of the assessment service: scheme versions, facts, manual entries, publications."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from enclave_shared.db import UTCDateTime, utcnow
from sqlalchemy import (
    BigInteger,
    Date,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    metadata = MetaData()


class SchemeVersion(Base):
    """One version of a year's scheme; every PUT adds the next version, none is overwritten."""

    __tablename__ = "assessment_schemes"
    __table_args__ = (
        UniqueConstraint("year", "version", name="uq_assessment_scheme_version"),
        UniqueConstraint("event_id", name="uq_assessment_scheme_event"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)  # the validated scheme as JSON
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str | None] = mapped_column(Text, nullable=True)  # the token's sub
    event_id: Mapped[str] = mapped_column(String(64))  # its SchemeVersioned


class Fact(Base):
    """What one event added to one indicator, dated by the payload's business date.

    One fact per (indicator, subject): the same talent, agreement or project reported again
    under another event id is not counted twice. The subject is the event's Kafka key, so
    duplicates share a partition and the first one wins on every replay (rebuilds agree).
    """

    __tablename__ = "assessment_facts"
    __table_args__ = (
        UniqueConstraint("indicator", "subject", name="uq_assessment_fact_subject"),
        Index("ix_assessment_facts_year_indicator", "year", "indicator"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(Text)  # ids from other services: no length promised
    year: Mapped[int] = mapped_column(Integer)
    business_date: Mapped[date] = mapped_column(Date)
    quantity: Mapped[int] = mapped_column(BigInteger)  # a training record's count is unbounded
    event_id: Mapped[str] = mapped_column(String(64), index=True)
    event_type: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Source(Base):
    """A counted event's payload in its latest version: a correction is applied over it and
    its facts are counted again from the result. One per (subject, event type): the first
    report of a fact is the one that counts, as for the facts."""

    __tablename__ = "assessment_sources"
    __table_args__ = (
        UniqueConstraint("subject", "event_type", name="uq_assessment_source_subject_type"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(Text)
    event_type: Mapped[str] = mapped_column(String(200))
    payload: Mapped[str] = mapped_column(Text)  # the payload as JSON, corrections applied
    event_id: Mapped[str] = mapped_column(String(64))  # the event that reported it
    revised_by: Mapped[str | None] = mapped_column(String(64), nullable=True)  # the last one


class Exclusion(Base):
    """A subject whose facts count no more: voided (every indicator) or a withdrawn case
    (its settlement and result transfer). Kept so that a fact reported later, or replayed
    by a rebuild, is left out too."""

    __tablename__ = "assessment_exclusions"
    __table_args__ = (UniqueConstraint("subject", "scope", name="uq_assessment_exclusion"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(String(32))  # voided | withdrawn
    reason: Mapped[str] = mapped_column(Text)
    event_id: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[str] = mapped_column(String(200))


class ManualEntry(Base):
    """An assessor's value for a manual indicator; the newest per year and indicator counts."""

    __tablename__ = "assessment_manual_entries"
    __table_args__ = (
        Index("ix_assessment_manual_year_indicator", "year", "indicator"),
        UniqueConstraint("event_id", name="uq_assessment_manual_event"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    indicator: Mapped[str] = mapped_column(String(64))
    value: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    evidence: Mapped[str] = mapped_column(Text)
    entered_by: Mapped[str | None] = mapped_column(Text, nullable=True)  # the token's sub
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    event_id: Mapped[str] = mapped_column(String(64))  # its ManualIndicatorEntered


class Publication(Base):
    """A published year: the frozen result, the scheme version it used, the event sent."""

    __tablename__ = "assessment_publications"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    scheme_version: Mapped[int] = mapped_column(Integer)
    total: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    fund_total: Mapped[Decimal] = mapped_column(Numeric(16, 0))
    result: Mapped[str] = mapped_column(Text)  # the AssessmentPublic as JSON
    event_id: Mapped[str] = mapped_column(String(64))
    published_on: Mapped[date] = mapped_column(Date)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())
    published_by: Mapped[str | None] = mapped_column(Text, nullable=True)  # the token's sub
