"""The board reads a base's cases in one call when they fit in a page, else per section;
suspended cases are grey, withdrawn ones apart, out of the three colours."""

from __future__ import annotations

from services.console.clients.intake import Case
from services.console.pages import intake

OFFSETS = dict.fromkeys(intake.GROUPS, 0)


def _case(i: int, color: str, chain: str = "black_talc", status: str = "active") -> Case:
    return Case.model_validate(
        {
            "id": f"c{i}",
            "project_id": f"p{i}",
            "title": f"t{i}",
            "path": "menu",
            "outcome": "settlement",
            "industry_chain": chain,
            "color": color,
            "status": status,
            "opened_on": "2021-03-01",
        }
    )


class _Intake:
    """What the board asks of intake's client (the page tests use the real service)."""

    def __init__(self, cases: list[Case], total: int) -> None:
        self.cases, self.total, self.calls = cases, total, []

    def _of(self, color, status):
        return [
            c
            for c in self.cases
            if (color is None or c.color == color) and (status is None or c.status == status)
        ]

    async def case_page(self, *, path, color, limit, offset, status=None):
        self.calls.append((color, status))
        rows = self._of(color, status)
        whole = color is None and status is None
        return rows[offset : offset + limit], self.total if whole else len(rows)

    async def all_cases(self, *, path=None, color=None, status=None):
        return self._of(color, status)


async def test_cases_that_fit_in_a_page_are_read_once_and_split_by_section():
    cases = [
        _case(1, "red"),
        _case(2, "blue"),
        _case(3, "red", "culture_tourism"),
        _case(4, "red", status="suspended"),
        _case(5, "yellow", status="withdrawn"),
    ]
    client = _Intake(cases, total=5)
    board = await intake._board(client, None, "", OFFSETS)
    assert client.calls == [(None, None)]
    assert {c: ([x.id for x in rows], n) for c, (rows, n) in board.items()} == {
        "red": (["c1", "c3"], 2),
        "yellow": ([], 0),
        "blue": (["c2"], 1),
        "grey": (["c4"], 1),
        "withdrawn": (["c5"], 1),
    }
    chained = await intake._board(client, None, "black_talc", OFFSETS)
    assert chained["red"] == ([cases[0]], 1)


async def test_more_cases_than_a_page_are_asked_per_section():
    client = _Intake([_case(1, "red"), _case(2, "red", status="suspended")], total=501)
    board = await intake._board(client, None, "", OFFSETS)
    assert client.calls == [
        (None, None),
        ("red", "active"),
        ("yellow", "active"),
        ("blue", "active"),
        (None, "suspended"),
        (None, "withdrawn"),
    ]
    assert board["red"][1] == 1 and board["grey"][1] == 1
