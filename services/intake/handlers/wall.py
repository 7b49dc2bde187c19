"""What the public wall (上墙公示) shows besides the cases: its two texts (entry conditions
and process, versioned, worded by zone officers), the base's plan (versioned, replaced by
the base) and the base's platforms."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from enclave_shared.corrections import correct, standing, void
from enclave_shared.deps import PageParams, paged
from enclave_shared.outbox import OutboxSession
from enclave_shared.queries import found, where_given
from sqlalchemy import func, select

from services.intake.domain import (
    DEFAULT_WALL_TEXTS,
    SAMPLE_PLAN,
    BasePlan,
    PlatformKind,
    PlatformLevel,
    WallTextKind,
    new_id,
)
from services.intake.handlers.rows import entered, page_of
from services.intake.models import PlanVersion, Platform, WallText
from services.intake.schemas import (
    PlanPublic,
    PlatformCorrection,
    PlatformPublic,
    Platforms,
    WallTextPublic,
)


async def get_text(session: OutboxSession, *, kind: WallTextKind) -> WallTextPublic:
    """The text's latest version (version 0, the default wording, until one is saved)."""
    row = await session.scalar(
        select(WallText).where(WallText.kind == kind.value).order_by(WallText.version.desc())
    )
    if row is None:
        return WallTextPublic(kind=kind, version=0, items=list(DEFAULT_WALL_TEXTS[kind]))
    return WallTextPublic.model_validate(row)


async def get_text_versions(
    session: OutboxSession, *, kind: WallTextKind, page: PageParams | None = None
) -> tuple[Sequence[WallText], int]:
    """Every saved version of a text, latest first."""
    stmt = select(WallText).where(WallText.kind == kind.value).order_by(WallText.version.desc())
    return await paged(session, stmt, page)


async def save_text(
    session: OutboxSession, *, kind: WallTextKind, items: list[str], edited_by: str | None
) -> WallText:
    """Save a new version of a text of the wall (the earlier ones are kept)."""
    latest = await session.scalar(
        select(func.max(WallText.version)).where(WallText.kind == kind.value)
    )
    row = WallText(
        kind=kind.value,
        version=(latest or 0) + 1,
        items=[i.strip() for i in items if i.strip()],
        edited_by=edited_by,
    )
    return await entered(session, row)


async def get_plan(session: OutboxSession) -> PlanPublic:
    """The base's plan in its latest version (version 0: the sample shipped)."""
    row = await session.scalar(select(PlanVersion).order_by(PlanVersion.version.desc()))
    if row is None:
        return PlanPublic(version=0, plan=SAMPLE_PLAN)
    return PlanPublic(
        version=row.version,
        plan=BasePlan.model_validate(row.plan),
        edited_by=row.edited_by,
        edited_at=row.edited_at,
    )


async def save_plan(session: OutboxSession, *, plan: BasePlan, edited_by: str | None) -> PlanPublic:
    """Replace the base's plan with a new version (the earlier ones are kept)."""
    latest = await session.scalar(select(func.max(PlanVersion.version)))
    row = PlanVersion(
        version=(latest or 0) + 1, plan=plan.model_dump(mode="json"), edited_by=edited_by
    )
    await entered(session, row)
    return PlanPublic(version=row.version, plan=plan, edited_by=edited_by, edited_at=row.edited_at)


async def add_platform(
    session: OutboxSession, *, kind: PlatformKind, name: str, level: PlatformLevel, since: date
) -> Platform:
    """Record one of the base's platforms."""
    row = Platform(id=new_id("plat"), kind=kind.value, name=name, level=level.value, since=since)
    return await entered(session, row)


async def get_platform(session: OutboxSession, *, platform_id: str) -> Platform:
    return found(
        await session.get(Platform, platform_id), "platform", platform_id, field="platform_id"
    )


async def get_all_platforms(
    session: OutboxSession,
    *,
    kind: PlatformKind | None = None,
    include_void: bool = False,
    page: PageParams | None = None,
) -> tuple[Sequence[Platform], int]:
    """The base's platforms by kind, then date."""
    return await page_of(
        session,
        Platform,
        *standing(Platform, include_void),
        *where_given((Platform.kind, kind)),
        by=[Platform.kind, Platform.since],
        page=page,
    )


async def platforms(session: OutboxSession) -> Platforms:
    """The platforms standing, and how many of each kind."""
    rows, _ = await get_all_platforms(session)
    items = [PlatformPublic.model_validate(r) for r in rows]
    return Platforms(
        counts={k: sum(1 for i in items if i.kind is k) for k in PlatformKind}, items=items
    )


def correct_platform(*, platform: Platform, body: PlatformCorrection) -> None:
    """Correct a platform's fields (platforms are the base's own records: no event)."""
    correct(platform, body, "platform")
    for name in ("kind", "level"):
        value = getattr(platform, name)
        setattr(platform, name, getattr(value, "value", value))


def void_platform(*, platform: Platform, reason: str, now: datetime) -> None:
    """The platform was entered by mistake: it counts no more."""
    void(platform, reason, now, "platform")
