"""What a record's correction form sends: only the fields it changed (pages/enclave_record)."""

from __future__ import annotations

from datetime import date

from services.console.clients.incubation import Project, Talent
from services.console.pages.enclave_record import PROJECT, TALENT, changes, current_values

TALENT_ROW = Talent(
    id="t1",
    name="王工",
    level="researcher",
    field="新材料",
    recruited_on=date(2021, 3, 10),
    ambassador_id="a1",
)


def test_only_the_changed_fields_are_sent_and_a_nullable_one_can_be_cleared() -> None:
    form = {**current_values(TALENT, TALENT_ROW), "level": "high_level", "ambassador_id": ""}
    assert changes(TALENT, TALENT_ROW, form) == {"level": "high_level", "ambassador_id": None}
    # A field that cannot be cleared, left empty, is left as it is.
    assert changes(TALENT, TALENT_ROW, {**current_values(TALENT, TALENT_ROW), "name": ""}) == {}


def test_lists_compare_by_their_items() -> None:
    row = Project(
        id="p1",
        title="无人机电池",
        path="directed",
        stage="proposed",
        industry_chain="advanced_machinery",
        team_members=["李华", "王工"],
        registered_on=date(2021, 1, 10),
    )
    same = {**current_values(PROJECT, row), "team_members": "李华、王工"}
    assert changes(PROJECT, row, same) == {}
    more = {
        **current_values(PROJECT, row),
        "team_members": "李华\n王工\n赵六",
        "team_talent_ids": "t1, t2",
    }
    assert changes(PROJECT, row, more) == {
        "team_members": ["李华", "王工", "赵六"],
        "team_talent_ids": ["t1", "t2"],
    }
