"""Talents read from an uploaded .xlsx: each row checked (name, level, field, date,
ambassador), its errors named by row and column, and all rows or none sent on."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook

from services.console import labels
from services.console.exports import Sheet, xlsx_response
from services.console.pages.lists import N_

MAX_ROWS = 500  # the service's batch takes at most this many, in one transaction
MAX_TEXT = 200
# The template's headers (Chinese, as the offices fill it in); "level" takes the labels.
HEADERS = ("姓名", "人才层次", "专业领域", "引进日期", "招才大使")

NOT_XLSX = N_("This is not an .xlsx workbook.")
NO_ROWS = N_("The workbook has no talents in it.")
TOO_MANY = N_("At most 500 talents can be imported at once; split the workbook.")
MISSING_HEADERS = N_("The first row must hold the template's headers: %(headers)s.")
NAME_MISSING = N_("A name is required (at most 200 characters).")
LEVEL_WRONG = N_("The level must be 高层次人才 or 科研人员.")
FIELD_MISSING = N_("A field or specialty is required (at most 200 characters).")
DATE_WRONG = N_("Not a date: write it as 2021-03-10.")
AMBASSADOR_UNKNOWN = N_("No talent ambassador has this name.")


@dataclass
class RowError:
    """A refused cell: the sheet's row number, its column header, the message id."""

    row: int
    column: str
    message: str


@dataclass
class TalentRows:
    """What a workbook gave: the talents to send and the errors found (one or the other)."""

    talents: list[dict[str, Any]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # each talent's row number in the sheet
    errors: list[RowError] = field(default_factory=list)
    problem: str | None = None  # the whole file is refused (not a workbook, no headers …)


def template_response() -> Any:
    """The empty import workbook, with its headers and one example row."""
    example = ["张明", "高层次人才", "新材料", date(2021, 3, 10), ""]
    return xlsx_response("人才导入模板.xlsx", [Sheet("人才", list(HEADERS), [example])])


def _level(raw: Any) -> str | None:
    text = str(raw or "").strip()
    for code, (zh, en) in labels.LABELS["talent_level"].items():
        if text in (code, zh, en):
            return code
    return None


def _date(raw: Any) -> str | bool | None:
    """The ISO date of a cell, None when empty, False when it is not a date."""
    if raw is None or str(raw).strip() == "":
        return None
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    try:
        return date.fromisoformat(str(raw).strip()).isoformat()
    except ValueError:
        return False


def _text(raw: Any) -> str:
    return "" if raw is None else str(raw).strip()


def read(content: bytes, ambassadors: Mapping[str, str]) -> TalentRows:
    """The talents of an uploaded workbook; `ambassadors` maps names (and ids) to ids."""
    found = TalentRows()
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        found.problem = NOT_XLSX
        return found
    sheet = book.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    header = [_text(v) for v in next(lines, ())]
    if any(h not in header for h in HEADERS[:4]):
        found.problem = MISSING_HEADERS
        return found
    at = {h: header.index(h) for h in HEADERS if h in header}
    for number, line in enumerate(lines, start=2):
        cells = {h: (line[i] if i < len(line) else None) for h, i in at.items()}
        if all(_text(v) == "" for v in cells.values()):
            continue
        _row(found, number, cells, ambassadors)
    book.close()
    if not found.rows and not found.errors:
        found.problem = NO_ROWS
    elif len(found.rows) > MAX_ROWS:
        found.problem = TOO_MANY
    return found


def _row(
    found: TalentRows, number: int, cells: Mapping[str, Any], ambassadors: Mapping[str, str]
) -> None:
    errors: list[RowError] = []
    name, specialty = _text(cells.get("姓名")), _text(cells.get("专业领域"))
    if not name or len(name) > MAX_TEXT:
        errors.append(RowError(number, "姓名", NAME_MISSING))
    level = _level(cells.get("人才层次"))
    if level is None:
        errors.append(RowError(number, "人才层次", LEVEL_WRONG))
    if not specialty or len(specialty) > MAX_TEXT:
        errors.append(RowError(number, "专业领域", FIELD_MISSING))
    recruited = _date(cells.get("引进日期"))
    if recruited is False:
        errors.append(RowError(number, "引进日期", DATE_WRONG))
    ambassador = _text(cells.get("招才大使"))
    ambassador_id = ambassadors.get(ambassador) if ambassador else None
    if ambassador and ambassador_id is None:
        errors.append(RowError(number, "招才大使", AMBASSADOR_UNKNOWN))
    found.rows.append(number)
    if errors:
        found.errors.extend(errors)
        return
    talent: dict[str, Any] = {"name": name, "level": level, "field": specialty}
    if recruited:
        talent["recruited_on"] = recruited
    if ambassador_id:
        talent["ambassador_id"] = ambassador_id
    found.talents.append(talent)


def error_of_service(field_path: str, rows: list[int]) -> tuple[int | None, str]:
    """The sheet row and column a batch refusal (`talents.N.field`) names."""
    parts = field_path.split(".")
    columns = {"name": "姓名", "level": "人才层次", "field": "专业领域"}
    columns |= {"recruited_on": "引进日期", "ambassador_id": "招才大使"}
    if len(parts) == 3 and parts[0] == "talents" and parts[1].isdigit():
        index = int(parts[1])
        row = rows[index] if index < len(rows) else None
        return row, columns.get(parts[2], parts[2])
    return None, columns.get(field_path, field_path)
