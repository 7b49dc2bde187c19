"""The incubation routes, one module per area; `ROUTERS` is what main.py mounts."""

from __future__ import annotations

from fastapi import APIRouter

from services.incubation.api import (
    backlog,
    centres,
    corrections,
    declarations,
    dispatch,
    party,
    plans,
    projects,
    rd,
    records,
    stats,
    talents,
    team,
)

ROUTERS: list[APIRouter] = [
    projects.router,
    backlog.router,
    stats.router,
    talents.router,
    records.router,
    corrections.router,
    dispatch.router,
    plans.router,
    team.router,
    centres.router,
    rd.router,
    declarations.router,
    party.router,
]
