"""The board reads a base's cases in one call when they fit in a page, else per colour."""

from __future__ import annotations

from services.console.clients.intake import Case
from services.console.pages import intake


def _case(i: int, color: str, chain: str = "black_talc") -> Case:
    return Case.model_validate(
        {
            "id": f"c{i}",
            "project_id": f"p{i}",
            "title": f"t{i}",
            "path": "menu",
            "outcome": "settlement",
            "industry_chain": chain,
            "color": color,
            "opened_on": "2021-03-01",
        }
    )


class _Intake:
    """What the board asks of intake's client (the page tests use the real service)."""

    def __init__(self, cases: list[Case], total: int) -> None:
        self.cases, self.total, self.calls = cases, total, []

    async def case_page(self, *, path, color, limit, offset):
        self.calls.append(color)
        rows = [c for c in self.cases if color is None or c.color == color]
        return rows[offset : offset + limit], self.total if color is None else len(rows)

    async def all_cases(self, *, path=None, color=None):
        return [c for c in self.cases if color is None or c.color == color]


async def test_cases_that_fit_in_a_page_are_read_once_and_split_by_colour():
    cases = [_case(1, "red"), _case(2, "blue"), _case(3, "red", "culture_tourism")]
    client = _Intake(cases, total=3)
    board = await intake._board(client, None, "", {"red": 0, "yellow": 0, "blue": 0})
    assert client.calls == [None]
    assert {c: ([x.id for x in rows], n) for c, (rows, n) in board.items()} == {
        "red": (["c1", "c3"], 2),
        "yellow": ([], 0),
        "blue": (["c2"], 1),
    }
    chained = await intake._board(client, None, "black_talc", {"red": 0, "yellow": 0, "blue": 0})
    assert chained["red"] == ([cases[0]], 1)


async def test_more_cases_than_a_page_are_asked_per_colour():
    client = _Intake([_case(1, "red")], total=intake.ONE_CALL + 1)
    board = await intake._board(client, None, "", {"red": 0, "yellow": 0, "blue": 0})
    assert client.calls == [None, "red", "yellow", "blue"]
    assert board["red"][1] == 1
