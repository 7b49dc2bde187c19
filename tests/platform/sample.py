"""A two-service sample on the platform frame, for testing the frame itself.

`producer_spec` writes notes and records ProjectMatured events in the same transaction;
`consumer_spec` applies them into its own table. Both use real catalog events.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

from enclave_shared.app import ServiceSpec
from enclave_shared.auth import Principal, Role, require
from enclave_shared.catalog.incubation import IntakePath, ProjectMatured
from enclave_shared.deps import SessionDep
from enclave_shared.errors import Invalid
from enclave_shared.events import CloudEvent
from enclave_shared.outbox import OutboxSession
from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy import Integer, MetaData, String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    metadata = MetaData()


class Note(Base):
    __tablename__ = "sample_notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(200))


class Applied(Base):
    __tablename__ = "sample_applied"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(200))
    consumer: Mapped[str] = mapped_column(String(50))


class NoteCreate(BaseModel):
    project_id: str
    title: str
    fail_after_write: bool = False
    id: int | None = None  # given twice: a primary key the database refuses


router = APIRouter()
Writer = Annotated[Principal, Depends(require(Role.ENCLAVE_OPERATOR))]


async def write_note(
    session: OutboxSession, *, project_id: str, title: str, id: int | None = None
) -> CloudEvent:
    """The sample's state change: a note row and its event, in the caller's transaction."""
    session.add(Note(id=id, project_id=project_id, title=title))
    return session.record(matured(project_id, title))


def matured(project_id: str, title: str) -> ProjectMatured:
    """The sample's event: a real catalog payload."""
    return ProjectMatured(
        project_id=project_id,
        title=title,
        path=IntakePath.DELIVERY,
        industry_chain="black_talc",
        matured_on=date(2021, 3, 1),
    )


@router.post("/notes", status_code=201)
async def create_note(body: NoteCreate, session: SessionDep, _user: Writer) -> dict[str, str]:
    event = await write_note(session, project_id=body.project_id, title=body.title, id=body.id)
    await session.flush()
    if body.fail_after_write:
        raise Invalid("asked to fail after writing", field="fail_after_write")
    await session.commit()
    return {"event_id": event.id}


@router.get("/notes/titles")
async def note_titles(session: SessionDep, _user: Writer) -> list[str]:
    return list((await session.scalars(select(Note.title).order_by(Note.id))).all())


@router.get("/notes/count")
async def count_notes(session: SessionDep) -> dict[str, int]:
    return {"count": len((await session.scalars(select(Note.id))).all())}


def consumer_name_of(event: CloudEvent) -> str:
    return event.source


async def apply_matured(session: OutboxSession, payload: ProjectMatured, event: CloudEvent) -> None:
    """Record the event; a title starting with 'bad' is a handler-level permanent failure."""
    if payload.title.startswith("bad"):
        raise ValueError(f"cannot apply title {payload.title!r}")
    session.add(Applied(project_id=payload.project_id, title=payload.title, consumer="sample"))


MIGRATIONS = Path(__file__).parent / "sample_migrations"

producer_spec = ServiceSpec(
    name="incubation",
    title="sample producer",
    routers=[router],
    metadata=Base.metadata,
    migrations=MIGRATIONS,
)
consumer_spec = ServiceSpec(
    name="intake",
    title="sample consumer",
    routers=[],
    metadata=Base.metadata,
    migrations=MIGRATIONS,
    handlers={ProjectMatured: apply_matured},
)


async def applied_titles(session: OutboxSession) -> list[tuple[str, str]]:
    """(project_id, title) of every applied event, in the order they were applied."""
    rows = await session.execute(select(Applied.project_id, Applied.title).order_by(Applied.id))
    return [(r.project_id, r.title) for r in rows]
