"""The Shangrao intake base's pages: the red/yellow/blue board and its export. The case's
ledger is in intake_case.py, R&D demands and the menu in intake_zone.py (their routers are
included here)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import Depends, Query, Request, Response

from services.console import labels
from services.console.clients import ServiceUnavailable, gather
from services.console.clients.intake import Case, IntakeClient
from services.console.deps import ServicesDep, page_for
from services.console.pages import (
    intake_case,
    intake_case_edits,
    intake_wall,
    intake_zone,
    intake_zone_edits,
    page_router,
    wall,
)
from services.console.pages.lists import PAGE_SIZE, Offset, Pager, export_url, url_with, workbook
from services.console.sessions import SignedIn
from services.console.web import language, render

router = page_router()
router.include_router(intake_case.router)
router.include_router(intake_case_edits.router)
router.include_router(intake_wall.router)
router.include_router(wall.router)
router.include_router(intake_zone.router)
router.include_router(intake_zone_edits.router)

BoardPage = Annotated[SignedIn, Depends(page_for("intake.board"))]
COLORS = ("red", "yellow", "blue")
GROUPS: dict[str, tuple[str | None, str]] = {
    "red": ("red", "active"),
    "yellow": ("yellow", "active"),
    "blue": ("blue", "active"),
    "grey": (None, "suspended"),
    "withdrawn": (None, "withdrawn"),
}
"""The board's sections: the three colours of the cases that run, the suspended ones in
grey, the withdrawn ones apart (out of the colour counts, kept in history)."""
COLOR_HEX = {"red": "#c62828", "yellow": "#f9a825", "blue": "#1565c0", "grey": "#9e9e9e"}
PathFilter = Annotated[str, Query(max_length=20)]
ChainFilter = Annotated[str, Query(max_length=100)]


def _path_or_none(path: str) -> str | None:
    return path if path in labels.LABELS["path"] else None


async def _colour(
    intake: IntakeClient, group: str, path: str | None, chain: str, offset: int
) -> tuple[list[Case], int]:
    """A page of one section's cases and how many there are. The service filters by path,
    colour and status; the chain is filtered here (the cases list has no chain filter)."""
    color, status = GROUPS[group]
    if not chain:
        return await intake.case_page(
            path=path, color=color, status=status, limit=PAGE_SIZE, offset=offset
        )
    every = await intake.all_cases(path=path, color=color, status=status)
    rows = [c for c in every if c.industry_chain == chain]
    return rows[offset : offset + PAGE_SIZE], len(rows)


def group_of(case: Case) -> str:
    """The board section a case is in."""
    if case.status == "suspended":
        return "grey"
    if case.status == "withdrawn":
        return "withdrawn"
    return case.color or "red"


ONE_CALL = 500
"""The service's largest page: a base whose cases fit in it is read in one call."""


async def _board(
    intake: IntakeClient, path: str | None, chain: str, offsets: dict[str, int]
) -> dict[str, tuple[list[Case], int]]:
    """Each colour's page of cases and its count. A base holds dozens of enterprises, so
    one call reads them all and they are split here; a base with more than a page of cases
    is asked once per colour."""
    rows, total = await intake.case_page(path=path, color=None, limit=ONE_CALL, offset=0)
    if total > len(rows):
        pages = await asyncio.gather(*(_colour(intake, g, path, chain, offsets[g]) for g in GROUPS))
        return dict(zip(GROUPS, pages, strict=True))
    if chain:
        rows = [c for c in rows if c.industry_chain == chain]
    board: dict[str, tuple[list[Case], int]] = {}
    for group in GROUPS:
        mine = [c for c in rows if group_of(c) == group]
        board[group] = (mine[offsets[group] : offsets[group] + PAGE_SIZE], len(mine))
    return board


@router.get("/intake/board")
async def board(
    request: Request,
    services: ServicesDep,
    _signed: BoardPage,
    path: PathFilter = "",
    chain: ChainFilter = "",
    offset_red: Offset = 0,
    offset_yellow: Offset = 0,
    offset_blue: Offset = 0,
    offset_grey: Offset = 0,
    offset_withdrawn: Offset = 0,
) -> Response:
    """Counts per colour, then the cases of each colour (suspended ones grey, withdrawn ones
    apart); filtered by path and chain."""
    offsets = {
        "red": offset_red,
        "yellow": offset_yellow,
        "blue": offset_blue,
        "grey": offset_grey,
        "withdrawn": offset_withdrawn,
    }
    gathered = await gather({"board": _board(services.intake, _path_or_none(path), chain, offsets)})
    board = gathered.values["board"] or {}
    sections: list[dict[str, Any]] = []
    for group in GROUPS:
        rows, total = board.get(group, ([], 0))
        pager = Pager(offset=offsets[group], total=total, param=f"offset_{group}")
        sections.append({"color": group, "cases": rows, "pager": pager})
    counts = {s["color"]: s["pager"].total for s in sections}
    lang = language(request)
    shown = (*COLORS, "grey")
    chart = {
        "tooltip": {},
        "xAxis": {"type": "category", "data": [labels.label(c, "color", lang) for c in shown]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "type": "bar",
                "data": [{"value": counts[c], "itemStyle": {"color": COLOR_HEX[c]}} for c in shown],
            }
        ],
    }
    context = {
        "sections": sections,
        "counts": counts,
        "chart": chart,
        "filters": {"path": path, "chain": chain},
        "export_url": export_url(request, "/intake/board", tuple(f"offset_{g}" for g in GROUPS)),
        "url_with": lambda **changes: url_with(request, **changes),
        "unavailable": gathered.unavailable,
    }
    return render(request, "intake/board.html", context)


def case_row(case: Case, lang: str) -> list[Any]:
    """A case as a row of the board's export."""
    return [
        labels.label(group_of(case), "color", lang),
        case.title,
        case.enterprise or "",
        labels.label(case.path, "path", lang),
        labels.label(case.industry_chain, "industry_chain", lang),
        case.opened_on,
        case.signed_on,
        case.construction_started_on,
        case.production_started_on,
        case.days_to_construction,
        case.responsible_unit or "",
        case.responsible_person or "",
    ]


CASE_HEADERS = (
    "Colour",
    "Project",
    "Enterprise name",
    "Path",
    "Industrial chain",
    "Case opened on",
    "Signed on",
    "Construction started",
    "Production started",
    "Days from signing to construction",
    "Responsible unit",
    "Responsible person",
)


@router.get("/intake/board/export")
async def board_export(
    request: Request,
    services: ServicesDep,
    _signed: BoardPage,
    path: PathFilter = "",
    chain: ChainFilter = "",
) -> Response:
    """The board's cases, exactly as filtered, as an .xlsx workbook."""
    try:
        cases = await services.intake.all_cases(path=_path_or_none(path))
    except ServiceUnavailable as exc:
        return render(request, "intake/board.html", _empty_board(exc), status_code=503)
    if chain:
        cases = [c for c in cases if c.industry_chain == chain]
    order = {g: i for i, g in enumerate(GROUPS)}
    cases.sort(key=lambda c: order.get(group_of(c), 9))
    lang = language(request)
    rows = [case_row(c, lang) for c in cases]
    return workbook(request, "Red, yellow, blue board", CASE_HEADERS, rows)


def _empty_board(exc: ServiceUnavailable) -> dict[str, Any]:
    return {
        "sections": [],
        "counts": {},
        "chart": None,
        "filters": {},
        "export_url": "",
        "url_with": lambda **changes: "",
        "unavailable": [exc.service],
    }
