"""Exports read back with openpyxl: the headers and rows given, Chinese intact."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from services.console.exports import Sheet, xlsx_response


def test_an_export_holds_its_sheets_headers_and_rows():
    response = xlsx_response(
        "项目列表.xlsx",
        [
            Sheet(
                "项目",
                ["编号", "名称", "日期"],
                [["p1", "黑滑石", date(2021, 3, 10)], ["p2", None, None]],
            ),
            Sheet("a title longer than excel's thirty-one characters", ["x"], []),
        ],
    )
    assert response.media_type.endswith("spreadsheetml.sheet")
    assert "filename*=UTF-8''%E9%A1%B9%E7%9B%AE" in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.body))
    assert book.sheetnames == ["项目", "a title longer than excel's thi"]
    rows = [[c.value for c in row] for row in book["项目"].iter_rows()]
    assert rows[0] == ["编号", "名称", "日期"]
    assert rows[1][:2] == ["p1", "黑滑石"] and rows[1][2].date() == date(2021, 3, 10)
    assert rows[2] == ["p2", None, None]
    assert book["项目"].freeze_panes == "A2"
