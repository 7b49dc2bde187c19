"""The correction and voiding primitives every service's PATCH and DELETE routes use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, ClassVar

import httpx
import pytest
from enclave_shared.corrections import Correction, VoidReason, correct, void
from enclave_shared.errors import Conflict, Invalid
from enclave_shared.http import add_error_mapping
from fastapi import FastAPI
from pydantic import ValidationError


class TalentCorrection(Correction):
    nullable: ClassVar[frozenset[str]] = frozenset({"field"})

    level: str | None = None
    field: str | None = None
    since: date | None = None


@dataclass
class Row:
    id: str = "t1"
    level: str = "researcher"
    field: str | None = "materials"
    since: date = date(2021, 3, 10)
    voided_at: datetime | None = None
    void_reason: str | None = None


def test_a_correction_changes_the_given_fields_and_reports_before_and_after() -> None:
    row = Row()
    body = TalentCorrection(reason="entered wrongly", level="high_level", since=date(2021, 3, 9))
    before, after = correct(row, body, "talent")  # type: ignore[arg-type]
    assert before == {"level": "researcher", "since": "2021-03-10"}
    assert after == {"level": "high_level", "since": "2021-03-09"}
    assert (row.level, row.since, row.field) == ("high_level", date(2021, 3, 9), "materials")


def test_an_unchanged_field_is_left_out_and_nothing_changing_is_refused() -> None:
    row = Row()
    body = TalentCorrection(reason="r", level="researcher", field=None)
    before, after = correct(row, body, "talent")  # type: ignore[arg-type]
    assert (before, after) == ({"field": "materials"}, {"field": None})
    with pytest.raises(Invalid, match="nothing to correct"):
        correct(row, TalentCorrection(reason="r", level="researcher"), "talent")  # type: ignore[arg-type]
    with pytest.raises(Invalid, match="at least one field"):
        TalentCorrection(reason="r").changes()


def test_only_nullable_fields_can_be_cleared_and_a_reason_is_required() -> None:
    with pytest.raises(ValidationError, match="level cannot be cleared"):
        TalentCorrection(reason="r", level=None)
    with pytest.raises(ValidationError):
        TalentCorrection(reason="   ", level="x")
    with pytest.raises(ValidationError):
        TalentCorrection.model_validate({"level": "x"})


def test_a_void_record_is_neither_corrected_nor_voided_again() -> None:
    row = Row()
    now = datetime(2021, 5, 1, tzinfo=UTC)
    void(row, "duplicate entry", now, "talent")  # type: ignore[arg-type]
    assert (row.voided_at, row.void_reason) == (now, "duplicate entry")
    with pytest.raises(Conflict, match="void: duplicate entry"):
        void(row, "again", now, "talent")  # type: ignore[arg-type]
    with pytest.raises(Conflict):
        correct(row, TalentCorrection(reason="r", level="high_level"), "talent")  # type: ignore[arg-type]


async def test_delete_takes_its_reason_from_the_query_or_the_body() -> None:
    app = FastAPI()
    add_error_mapping(app)

    @app.delete("/things/{thing_id}")
    async def delete(thing_id: str, reason: VoidReason) -> dict[str, Any]:
        void(Row(), reason, datetime(2021, 5, 1, tzinfo=UTC), "thing")  # type: ignore[arg-type]
        return {"id": thing_id, "reason": reason}

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        by_query = await client.delete("/things/1", params={"reason": "typo"})
        by_body = await client.request("DELETE", "/things/1", json={"reason": " twice "})
        assert by_query.json() == {"id": "1", "reason": "typo"}
        assert by_body.json() == {"id": "1", "reason": "twice"}
        missing = await client.delete("/things/1")
        assert missing.status_code == 422
        assert missing.json()["field"] == "reason"
