"""The hotline's routes: the ticket API, its moves, and Open311 over the same tickets."""

from __future__ import annotations

from services.hotline.api import moves, open311, tickets

ROUTERS = [tickets.router, moves.router, open311.router]
