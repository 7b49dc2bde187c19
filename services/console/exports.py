"""Excel exports: what a list page shows, as an .xlsx with the page's Chinese headers."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import Response
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Sheet:
    """One worksheet: a title (at most 31 characters, Excel's limit), headers, rows."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as an .xlsx file: bold, frozen header row, columns sized to their text."""
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.title[:31])
        ws.append(list(sheet.headers))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        widths = [_width(h) for h in sheet.headers]
        for row in sheet.rows:
            values = ["" if v is None else v for v in row]
            ws.append(values)
            widths = [max(w, _width(v)) for w, v in zip(widths, values, strict=False)]
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = width + 2
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, sheets: Sequence[Sheet]) -> Response:
    """A download of the sheets; `filename` may be Chinese (RFC 6266 `filename*`)."""
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(
        workbook_bytes(sheets), media_type=XLSX, headers={"Content-Disposition": disposition}
    )


def _width(value: Any) -> int:
    text = str(value)
    # A CJK character takes about two columns' width.
    return min(60, sum(2 if ord(ch) > 0x2E80 else 1 for ch in text))
