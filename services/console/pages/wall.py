"""The public wall (上墙公示), a page anyone opens without signing in: the entry conditions
and process, the distribution chart (the base's plan with each enterprise on its plot,
coloured red / yellow / blue, grey while suspended), the transfer progress table and the
base's platforms. It refreshes itself (a lobby screen) and prints on A4 landscape.

It is served from what the console last read of intake: when intake does not answer
within 2 s, the last reading is shown with its time.

That reading is one console process's. What keeps the wall up beyond one process is HTTP
caching, which needs no store of the console's: the page carries a weak `ETag` (a hash of
the wall's content, its language and whether the reading is old) and `Cache-Control` (FRESH
below: RFC 9111, RFC 5861's stale-if-error), so the lobby's browser and any shared cache in
front of the console's replicas revalidate cheaply (`If-None-Match` → 304) and keep showing
the last page for a day while no console answers. A page showing an old reading is
`max-age=0` (revalidated at once); one with no reading at all (503) is `no-store`."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi import Request, Response
from pydantic import ValidationError

from services.console import labels
from services.console.clients.intake import Wall, WallRow, public_wall
from services.console.deps import StateDep
from services.console.pages import page_router
from services.console.web import language, render

log = logging.getLogger(__name__)

router = page_router()

READ_TIMEOUT_S = 2.0
"""How long the wall waits for intake before it shows its last reading."""
REFRESH_S = 300
"""How often the open page reloads itself."""
FRESH = "public, max-age=60, stale-while-revalidate=300, stale-if-error=86400"
"""How long caches may keep a wall read just now, and keep serving it when none answers."""
STALE = "public, max-age=0, must-revalidate, stale-if-error=86400"
"""A wall showing an old reading: revalidated at once, kept only for when none answers."""
COLOR_HEX = {"red": "#c62828", "yellow": "#f9a825", "blue": "#1565c0", "grey": "#9e9e9e"}
EMPTY_PLOT = "#eceff1"


@dataclass(frozen=True)
class Reading:
    """What the console last read of the wall, and when."""

    wall: Wall
    read_at: datetime


async def read_wall(request: Request, state: StateDep) -> tuple[Reading | None, bool]:
    """The wall as intake gives it now, or the last reading (and whether it is stale)."""
    last: Reading | None = getattr(request.app.state, "wall_reading", None)
    try:
        wall = await public_wall(
            state.http, state.settings.service_urls()["intake"], timeout_s=READ_TIMEOUT_S
        )
    except (httpx.HTTPError, ValidationError, ValueError) as exc:
        log.warning("the wall shows its last reading: intake did not answer (%r)", exc)
        return last, True
    reading = Reading(wall=wall, read_at=datetime.now(UTC))
    request.app.state.wall_reading = reading
    return reading, False


def chart(wall: Wall, lang: str) -> dict[str, Any]:
    """The distribution chart: each plot of the plan with the enterprises on it and the
    colour they give it, and the enterprises on no plot."""
    on_plot: dict[str, list[WallRow]] = {}
    for row in wall.transfer_progress:
        if row.plot_id is not None:
            on_plot.setdefault(row.plot_id, []).append(row)
    plots = []
    for plot in wall.plan.plan.plots:
        rows = on_plot.get(plot.id, [])
        colour = rows[0].shown_color if rows else None
        plots.append(
            {
                "plot": plot,
                "rows": rows,
                "fill": COLOR_HEX.get(colour or "", EMPTY_PLOT),
                "colour": colour,
                "title": ", ".join(
                    f"{r.enterprise or r.title}（{labels.label(r.shown_color, 'color', lang)}）"
                    for r in rows
                )
                or plot.label,
            }
        )
    unplaced = set(wall.unplaced)
    return {
        "plan": wall.plan.plan,
        "plots": plots,
        "unplaced": [r for r in wall.transfer_progress if r.case_id in unplaced],
    }


@router.get("/wall")
async def wall_page(request: Request, state: StateDep) -> Response:
    """The public wall: no sign-in, no person named."""
    reading, stale = await read_wall(request, state)
    context: dict[str, Any] = {
        "reading": reading,
        "stale": stale,
        "refresh_s": REFRESH_S,
        "colors": COLOR_HEX,
    }
    if reading is None:
        response = render(request, "wall/wall.html", context, status_code=503)
        response.headers["Cache-Control"] = "no-store"
        return response
    context["chart"] = chart(reading.wall, language(request))
    page = render(request, "wall/wall.html", context)
    return cached(request, page, reading, stale)


def cached(request: Request, page: Response, reading: Reading, stale: bool) -> Response:
    """The page with its validator and caching policy; 304 when the client holds it.

    The validator is weak (`W/`): two pages of the same wall are the same to their reader
    though each names the time of its own reading."""
    # The wall has no form: no CSRF cookie is set (render makes a token), so that no shared
    # cache keeps a cookie meant for one browser.
    request.state.csrf_token = None
    shown = f"{language(request)} {stale} {reading.wall.model_dump_json()}"
    etag = 'W/"' + hashlib.sha256(shown.encode()).hexdigest()[:32] + '"'
    policy = STALE if stale else FRESH
    headers = {"ETag": etag, "Cache-Control": policy, "Vary": "Cookie, HX-Request"}
    held = [
        t.strip().removeprefix("W/") for t in request.headers.get("if-none-match", "").split(",")
    ]
    if etag.removeprefix("W/") in held or "*" in held:
        return Response(status_code=304, headers=headers)
    page.headers.update(headers)
    return page
