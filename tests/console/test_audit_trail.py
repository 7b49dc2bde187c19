"""The audit trail's lines as a record's page shows them (pages/audit.py)."""

from __future__ import annotations

from services.console.pages.audit import action_label, line_of


def _entry(action: str, role: str, data: dict[str, object]) -> dict[str, object]:
    return {
        "entity": "talent",
        "id": "t1",
        "action": action,
        "event_id": "e1",
        "actor": "wang.li" if role != "system" else None,
        "role": role,
        "request_id": "r1",
        "at": "2021-03-10T06:05:00Z",
        "data": data,
    }


def test_a_correction_shows_who_what_and_each_changed_field_in_words() -> None:
    line = line_of(
        _entry(
            "enclave.talent.corrected.v1",
            "enclave_operator",
            {
                "talent_id": "t1",
                "reason": "录入有误",
                "before": {"level": "researcher"},
                "after": {"level": "high_level"},
            },
        ),
        "zh-CN",
    )
    assert (line.actor, line.role, line.what, line.reason) == (
        "wang.li",
        "飞地运营",
        "人才更正",
        "录入有误",
    )
    [change] = line.changes
    assert (change.field, change.before, change.after) == ("人才层次", "科研人员", "高层次人才")


def test_an_event_of_the_service_itself_and_the_english_words() -> None:
    line = line_of(_entry("enclave.project.transferred.v1", "system", {"project_id": "p"}), "en")
    assert (line.actor, line.role, line.what, line.changes) == (
        "—",
        "System",
        "Project transferred",
        [],
    )
    assert action_label("enclave.talent.voided.v1", "zh-CN") == "人才作废"
    assert action_label("enclave.unknown.thing.v1", "zh-CN") == "enclave.unknown.thing.v1"
