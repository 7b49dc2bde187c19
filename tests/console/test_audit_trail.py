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


def test_the_newer_records_codes_in_words() -> None:
    # a field of the same name holds another record's codes: kind, level, outcome
    cases = (
        ("centre", "kind", "rnd", "training", "科技研发中心", "人才培训中心"),
        (
            "rd_centre",
            "kind",
            "local_enterprise",
            "institution",
            "本地企业在深研发中心",
            "入驻飞地的深圳研发机构",
        ),
        ("declaration", "level", "province", "city", "省级", "市级"),
        ("declaration", "outcome", "pending", "approved", "待评审", "已入选"),
        ("sage", "tie", "advisor", "recruiter", "顾问", "引才联络人"),
        ("party_org", "formation", "standalone", "regional", "单独组建", "区域联建"),
        ("talent", "level", "researcher", "high_level", "科研人员", "高层次人才"),
    )
    for entity, name, old, new, old_words, new_words in cases:
        entry = _entry(
            f"enclave.{entity}.corrected.v1",
            "enclave_operator",
            {"reason": "录入有误", "before": {name: old}, "after": {name: new}},
        )
        [change] = line_of({**entry, "entity": entity}, "zh-CN").changes
        assert change.before == old_words, (entity, name)
        assert change.after == new_words, (entity, name)
