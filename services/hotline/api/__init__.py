"""The hotline's routes: the ticket API, its moves, its corrections and voiding, the
departments directory, the Open311 applications, and Open311 over the same tickets."""

from __future__ import annotations

from services.hotline.api import (
    applications,
    corrections,
    directory,
    dispatch,
    moves,
    open311,
    tickets,
)

ROUTERS = [
    tickets.router,
    moves.router,
    corrections.router,
    directory.router,
    applications.router,
    open311.router,
    dispatch.router,
]
