"""The intake service's routes, one module per area; `ROUTERS` is what main.py mounts."""

from __future__ import annotations

from fastapi import APIRouter

from services.intake.api import cases, dispatch, meetings, policies, returns, wall, zone

ROUTERS: list[APIRouter] = [
    cases.router,
    meetings.router,
    zone.router,
    wall.router,
    wall.public,
    dispatch.router,
    policies.router,
    returns.router,
]
