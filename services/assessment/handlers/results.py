"""A year's results: the live or published assessment, and its publication.

The live assessment scores the newest scheme version against the counted facts and the
manual entries in force; publication freezes that result and sends AssessmentPublished.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from enclave_shared.catalog.assessment import AssessmentPublished
from enclave_shared.dates import business_date
from enclave_shared.errors import Invalid
from enclave_shared.outbox import OutboxSession
from sqlalchemy import func, select

from services.assessment.domain.indicators import INDICATORS, Source
from services.assessment.domain.scheme import Scheme
from services.assessment.domain.scoring import Evidence, assess, plain
from services.assessment.handlers.manual import entries_in_force
from services.assessment.handlers.schemes import scheme_row
from services.assessment.handlers.years import refuse_if_published
from services.assessment.models import Fact, Publication
from services.assessment.schemas import API, AssessmentPublic, Status


async def get_assessment(
    session: OutboxSession, *, year: int, as_of: date | None = None
) -> AssessmentPublic:
    """The published result of the year, or else a live preview from its newest scheme.

    `as_of` (a day of the year) scores the facts dated up to that day only, always live (a
    published year's scheme is its newest, frozen); manual entries count as they stand."""
    if as_of is not None:
        if as_of.year != year:
            raise Invalid(f"as_of {as_of.isoformat()[:7]} is not in {year}", field="as_of")
        return await _live(session, year, until=as_of)
    published = await session.get(Publication, year)
    if published is not None:
        return AssessmentPublic.model_validate_json(published.result)
    return await _live(session, year)


async def publish(
    session: OutboxSession, *, year: int, by: str | None, now: datetime, time_zone: str
) -> tuple[AssessmentPublic, str]:
    """Freeze the year's scheme and result and record AssessmentPublished; once only.

    The publication is dated by its business date in the platform's time zone."""
    await refuse_if_published(session, year, "it")
    on = business_date(now, time_zone)
    result = (await _live(session, year)).model_copy(
        update={"status": Status.PUBLISHED, "published_on": on, "published_at": now}
    )
    event = session.record(
        AssessmentPublished(
            year=year,
            dimensions={key: d.score for key, d in result.dimensions.items()},
            weights={key: d.weight for key, d in result.dimensions.items()},
            bonus=result.bonus,
            total=result.total,
            progress=result.progress,
            fund_base=result.fund.base,
            fund_reward=result.fund.reward,
            fund_total=result.fund.total,
            scheme_version=result.scheme_version,
            published_on=on,
        ),
    )
    session.add(
        Publication(
            year=year,
            scheme_version=result.scheme_version,
            total=result.total,
            fund_total=result.fund.total,
            result=result.model_dump_json(),
            event_id=event.id,
            published_on=on,
            published_at=now,
            published_by=by,
        )
    )
    await session.flush()
    return result, event.id


async def _live(session: OutboxSession, year: int, until: date | None = None) -> AssessmentPublic:
    row = await scheme_row(session, year=year, version=None)
    scheme = Scheme.model_validate_json(row.body)
    actuals, evidence = await _actuals(session, year, until)
    scored = assess(scheme, actuals, evidence)
    return AssessmentPublic(
        year=year,
        status=Status.PREVIEW,
        scheme_version=row.version,
        dimensions=scored.dimensions,
        bonus=scored.bonus,
        bonus_uncapped=scored.bonus_uncapped,
        bonus_cap=scheme.bonus_cap,
        bonus_items=scored.bonus_items,
        total=scored.total,
        progress=scored.progress,
        fund=scored.fund,
        as_of=until,
    )


async def _actuals(
    session: OutboxSession, year: int, until: date | None
) -> tuple[dict[str, Decimal], dict[str, Evidence]]:
    """Every registry indicator's actual value in the year (its facts up to `until`, if
    given), and what it rests on."""
    dated = [] if until is None else [Fact.business_date <= until]
    counted = {
        r.indicator: (int(r.quantity), int(r.facts))
        for r in await session.execute(
            select(
                Fact.indicator,
                func.sum(Fact.quantity).label("quantity"),
                func.count().label("facts"),
            )
            .where(Fact.year == year, *dated)
            .group_by(Fact.indicator)
        )
    }
    entries = await entries_in_force(session, year=year)
    actuals: dict[str, Decimal] = {}
    evidence: dict[str, Evidence] = {}
    for key, indicator in INDICATORS.items():
        if indicator.source is Source.EVENTS:
            quantity, facts = counted.get(key, (0, 0))
            actuals[key] = Decimal(quantity)
            evidence[key] = Evidence(
                source=Source.EVENTS,
                facts=facts,
                facts_url=f"{API}/assessments/{year}/facts?indicator={key}"
                + ("" if until is None else f"&to={until.isoformat()}"),
            )
        else:
            current = entries.get(key)
            actuals[key] = plain(Decimal(current.value)) if current else Decimal(0)
            evidence[key] = (
                Evidence(source=Source.MANUAL)
                if current is None
                else Evidence(
                    source=Source.MANUAL,
                    entry_event_id=current.event_id,
                    note=current.evidence,
                    entered_by=current.entered_by,
                    entered_at=current.entered_at,
                )
            )
    return actuals, evidence
