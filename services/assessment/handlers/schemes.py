"""Scheme versions: every PUT stores the year's next version and sends it as SchemeVersioned;
the replay of that event (a rebuild reads its own topic) stores the same row."""

from __future__ import annotations

from datetime import datetime

from enclave_shared.catalog.assessment import SchemeVersioned
from enclave_shared.errors import EventRefused, NotFound
from enclave_shared.events import CloudEvent
from enclave_shared.outbox import OutboxSession
from pydantic import ValidationError
from sqlalchemy import func, select

from services.assessment.domain.scheme import Scheme, validate_scheme
from services.assessment.handlers.years import (
    is_published,
    refuse_if_published,
    replay_changes_nothing,
)
from services.assessment.models import SchemeVersion
from services.assessment.schemas import API, SchemePublic


async def put_scheme(
    session: OutboxSession, *, year: int, scheme: Scheme, by: str | None, now: datetime
) -> SchemePublic:
    """Store the scheme as the year's next version; refused once the year is published."""
    await refuse_if_published(session, year, "its scheme")
    validate_scheme(scheme)
    latest = await session.scalar(
        select(func.max(SchemeVersion.version)).where(SchemeVersion.year == year)
    )
    payload = SchemeVersioned(
        year=year,
        version=(latest or 0) + 1,
        scheme=scheme.model_dump(mode="json"),
        created_by=by,
        created_at=now,
    )
    row = await _store(session, payload, scheme, session.record(payload))
    return SchemePublic.model_validate(row)


async def get_scheme(
    session: OutboxSession, *, year: int, version: int | None = None
) -> SchemePublic:
    """The year's newest scheme version, or the version asked for."""
    row = await scheme_row(session, year=year, version=version)
    frozen = await is_published(session, year)
    return SchemePublic.model_validate(row).model_copy(update={"frozen": frozen})


async def list_scheme_versions(session: OutboxSession, *, year: int) -> list[SchemePublic]:
    """Every version of the year's scheme, oldest first."""
    rows = (
        await session.scalars(
            select(SchemeVersion).where(SchemeVersion.year == year).order_by(SchemeVersion.version)
        )
    ).all()
    frozen = await is_published(session, year)
    return [SchemePublic.model_validate(r).model_copy(update={"frozen": frozen}) for r in rows]


async def scheme_row(session: OutboxSession, *, year: int, version: int | None) -> SchemeVersion:
    """The year's newest scheme version (or the given one); 404 if there is none."""
    query = select(SchemeVersion).where(SchemeVersion.year == year)
    if version is None:
        query = query.order_by(SchemeVersion.version.desc()).limit(1)
    else:
        query = query.where(SchemeVersion.version == version)
    row = await session.scalar(query)
    if row is None:
        if version is None:
            raise NotFound(f"no scheme for {year}: PUT {API}/schemes/{year} first", field="year")
        raise NotFound(f"the scheme for {year} has no version {version}", field="version")
    return row


async def replay_scheme_version(
    session: OutboxSession, *, payload: SchemeVersioned, event: CloudEvent
) -> None:
    """Store a scheme version from the topic; the instance that wrote it already has it."""
    stored = select(SchemeVersion.id).where(
        SchemeVersion.year == payload.year, SchemeVersion.version == payload.version
    )
    if await replay_changes_nothing(session, payload.year, event, stored):
        return
    try:
        scheme = Scheme.model_validate(payload.scheme)
    except ValidationError as exc:  # a broken foreign scheme is refused, not stored
        raise EventRefused(f"scheme {payload.year} v{payload.version} is malformed: {exc}") from exc
    validate_scheme(scheme)  # and one breaking a rule is refused with the rule (Invalid)
    await _store(session, payload, scheme, event)


async def _store(
    session: OutboxSession, payload: SchemeVersioned, scheme: Scheme, event: CloudEvent
) -> SchemeVersion:
    # The row of a scheme version, whether this instance wrote its event or replays it.
    row = SchemeVersion(
        year=payload.year,
        version=payload.version,
        body=scheme.model_dump_json(),
        created_at=payload.created_at,
        created_by=payload.created_by,
        event_id=event.id,
    )
    session.add(row)
    await session.flush()
    return row
