"""Scheme versions: every PUT is the year's next version and its event; bad schemes refused."""

from __future__ import annotations

from typing import Any

import pytest
from enclave_shared.catalog.assessment import SchemeVersioned
from enclave_shared.errors import EventRefused, Invalid, NotFound
from enclave_shared.events import new_event

from services.assessment import handlers
from services.assessment.domain.scheme import Scheme
from services.assessment.models import Base
from tests.unit.assessment.builders import NOW, YEAR, small_scheme, small_scheme_body
from tests.unit.support import committed_events, staged


async def test_every_put_is_the_next_version_and_sends_it(sessions_for):
    async with sessions_for(Base.metadata) as sessions:
        changed = small_scheme().model_copy(update={"title": "second"})
        async with sessions() as session:
            first = await handlers.put_scheme(
                session, year=YEAR, scheme=small_scheme(), by="auditor-1", now=NOW
            )
            await session.commit()
            second = await handlers.put_scheme(
                session, year=YEAR, scheme=changed, by="auditor-2", now=NOW
            )
            await session.commit()
        assert (first.version, second.version) == (1, 2)
        assert (first.frozen, first.created_by, first.scheme) == (
            False,
            "auditor-1",
            small_scheme(),
        )

        events = await committed_events(sessions)
        assert [(e.type, e.subject) for e in events] == [(SchemeVersioned.event_type, "2021")] * 2
        sent = [SchemeVersioned.model_validate(e.data) for e in events]
        assert [(p.version, p.created_by) for p in sent] == [(1, "auditor-1"), (2, "auditor-2")]
        assert Scheme.model_validate(sent[1].scheme).title == "second"

        async with sessions() as session:
            newest = await handlers.get_scheme(session, year=YEAR)
            old = await handlers.get_scheme(session, year=YEAR, version=1)
            versions = await handlers.list_scheme_versions(session, year=YEAR)
            with pytest.raises(NotFound):
                await handlers.get_scheme(session, year=YEAR, version=3)
            with pytest.raises(NotFound):
                await handlers.get_scheme(session, year=YEAR + 1)
        assert (newest.version, newest.scheme.title) == (2, "second")
        assert (old.version, old.scheme.title) == (1, "small")
        assert [v.version for v in versions] == [1, 2]


def _set(path: str, value: Any):  # type: ignore[no-untyped-def]
    def mutate(body: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = body
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[last] = value

    return mutate


@pytest.mark.parametrize(
    ("mutate", "field", "words"),
    [
        (_set("dimensions.activities.weight", 5), "dimensions", "add up to 90, not 100"),
        (
            _set("dimensions.activities.indicators.0.points", 14),
            "dimensions.activities",
            "add up to 14, not its weight 15",
        ),
        (
            _set("dimensions.rd_cooperation.indicators.0.key", "unicorns"),
            "dimensions.rd_cooperation.indicators[0].key",
            "unknown indicator 'unicorns'",
        ),
        (
            _set("dimensions.rd_cooperation.indicators.0.target", 0),
            "dimensions.rd_cooperation.indicators[0].target",
            "must be positive",
        ),
        (
            _set("dimensions.rd_cooperation.indicators.0.key", "team"),
            "dimensions.rd_cooperation.indicators[0].key",
            "'team' appears twice",
        ),
        (
            _set(
                "dimensions.incubation.indicators.1.steps",
                [{"at": 3, "points": 5}, {"at": 1, "points": 20}],
            ),
            "dimensions.incubation.indicators[1].steps",
            "must rise",
        ),
        (
            _set("dimensions.incubation.indicators.1.steps", [{"at": 1, "points": 21}]),
            "dimensions.incubation.indicators[1].steps",
            "gives more than its 20 points",
        ),
        (
            _set("dimensions.rd_cooperation.indicators.0.steps", [{"at": 1, "points": 1}]),
            "dimensions.rd_cooperation.indicators[0].steps",
            "has steps but its rule is linear",
        ),
        (_set("bonus.1.key", "honours"), "bonus[1].key", "'honours' appears twice"),
        (_set("bonus.0.indicator", "medals"), "bonus[0].indicator", "unknown indicator"),
    ],
)
async def test_a_scheme_breaking_a_rule_is_refused_and_sends_nothing(
    sessions_for, mutate, field, words
):  # type: ignore[no-untyped-def]
    body = small_scheme_body()
    mutate(body)
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            with pytest.raises(Invalid) as refused:
                await handlers.put_scheme(
                    session, year=YEAR, scheme=Scheme.model_validate(body), by=None, now=NOW
                )
            assert (refused.value.field, words in refused.value.message) == (field, True)
            assert staged(session) == []
        assert await committed_events(sessions) == []


async def test_a_missing_dimension_is_refused(sessions_for):
    body = small_scheme_body()
    del body["dimensions"]["activities"]
    async with sessions_for(Base.metadata) as sessions, sessions() as session:
        with pytest.raises(Invalid, match=r"lacks dimension\(s\): activities"):
            await handlers.put_scheme(
                session, year=YEAR, scheme=Scheme.model_validate(body), by=None, now=NOW
            )


async def test_a_replayed_version_is_stored_once_and_a_broken_one_refused(sessions_for):
    payload = SchemeVersioned(
        year=YEAR, version=1, scheme=small_scheme_body(), created_by="rebuilt", created_at=NOW
    )
    event = new_event(payload)
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            await handlers.replay_scheme_version(session, payload=payload, event=event)
            # the same version again (e.g. the writer's own event read back): skipped
            await handlers.replay_scheme_version(session, payload=payload, event=new_event(payload))
            await session.commit()
            versions = await handlers.list_scheme_versions(session, year=YEAR)
            assert [(v.version, v.created_by) for v in versions] == [(1, "rebuilt")]

            broken = small_scheme_body()
            broken["dimensions"]["activities"]["weight"] = 5
            bad = payload.model_copy(update={"version": 2, "scheme": broken})
            with pytest.raises(Invalid, match="add up to 90"):
                await handlers.replay_scheme_version(session, payload=bad, event=new_event(bad))
            malformed = payload.model_copy(update={"version": 3, "scheme": {"dimensions": 1}})
            with pytest.raises(EventRefused, match="malformed"):
                await handlers.replay_scheme_version(
                    session, payload=malformed, event=new_event(malformed)
                )
        # replays send nothing: the event is already on the topic
        assert await committed_events(sessions) == []
