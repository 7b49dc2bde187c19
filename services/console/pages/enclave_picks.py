"""Record pickers of the enclave's forms: a field of kind `centre`, `talent`,
`high_level_talent` or `project` is a select of the standing records of that kind, each
shown by its name (a project by its title and enterprise), rather than an id typed by hand.
`picks` reads the choices a form's fields need (every standing record of each kind, the kinds
concurrently); the forms find them under data["picks"] (enclave_records.options)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from services.console.clients import Services, gather
from services.console.clients.incubation import Centre, Project, Talent


@dataclass(frozen=True)
class Pick:
    """Where a picker's records come from and how one is named."""

    resource: str
    shape: type[BaseModel]
    params: dict[str, str]
    name: Callable[[Any], str]


PICKS = {
    "centre": Pick("centres", Centre, {}, lambda c: c.name),
    "talent": Pick("talents", Talent, {}, lambda t: t.name),
    "high_level_talent": Pick("talents", Talent, {"level": "high_level"}, lambda t: t.name),
    "project": Pick(
        "projects", Project, {}, lambda p: p.title + (f"（{p.enterprise}）" if p.enterprise else "")
    ),
}


async def picks(services: Services, fields: Iterable[Any]) -> dict[str, list[tuple[str, str]]]:
    """The (id, name) choices of each picker among `fields` (none: the service is away)."""
    wanted = {f.kind: PICKS[f.kind] for f in fields if f.kind in PICKS}
    found = await gather(
        {
            kind: services.incubation.every(pick.resource, pick.shape, pick.params)
            for kind, pick in wanted.items()
        }
    )
    return {
        kind: [(row.id, pick.name(row)) for row in found.values[kind] or []]
        for kind, pick in wanted.items()
    }
