"""The dispatch as files: the 通报 as a Word document, filled into the template
`templates/dispatch/dispatch.docx` with python-docx (its styles, letterhead and page set-up
are the template's: an office replaces the file to change them), and as an .xlsx workbook
(exports.py). Both are made from the same sections as the page (dispatch.py)."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.text.paragraph import Paragraph

from services.console import labels
from services.console.dispatch import N_, Dispatch, departments, red_cases
from services.console.dispatch_sections import Section, sections
from services.console.exports import Sheet, workbook_bytes

TEMPLATE = Path(__file__).parent / "templates" / "dispatch" / "dispatch.docx"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY_MARK = "{{body}}"


def title(d: Dispatch, t: Callable[[str], str]) -> str:
    """The document's title: the month's dispatch."""
    return t(N_("Dispatch of the talent enclave, %(year)s-%(month)02d")) % {
        "year": d.month.year,
        "month": d.month.month,
    }


def _red_rows(d: Dispatch, lang: str) -> list[list[Any]]:
    return [
        [
            r.title,
            r.enterprise,
            labels.label(r.path, "path", lang),
            r.responsible_unit or "—",
            r.red_since,
            r.days_red,
        ]
        for r in red_cases(d)
    ]


def _department_rows(d: Dispatch) -> list[list[Any]]:
    keys = ("opened", "resolved", "resolved_in_time", "escalated")
    return [
        [
            row["department"],
            *(row["month"][k] for k in keys),
            *(row["year"][k] for k in keys),
        ]
        for row in departments(d)
    ]


def _headers(t: Callable[[str], str]) -> dict[str, list[str]]:
    figures = [
        t(N_("Number opened")),
        t(N_("Number resolved")),
        t(N_("Within the limit")),
        t(N_("Escalated")),
    ]
    return {
        "red": [
            t(N_("Project")),
            t(N_("Enterprise")),
            t(N_("Path")),
            t(N_("Responsible body")),
            t(N_("Red since")),
            t(N_("Days red")),
        ],
        "departments": [
            t(N_("Department")),
            *(f"{t(N_('This month'))}·{f}" for f in figures),
            *(f"{t(N_('Year to date'))}·{f}" for f in figures),
        ],
    }


def xlsx_bytes(d: Dispatch, lang: str, t: Callable[[str], str]) -> bytes:
    """The dispatch as a workbook: the figures, the red cases, the hotline's departments."""
    parts = sections(d, lang, t)
    rows: list[list[Any]] = []
    for section in parts:
        rows.append([section.title, section.columns[0], section.columns[1]])
        rows.extend([line.label, line.month, line.year] for line in section.lines)
    heads = _headers(t)
    return workbook_bytes(
        [
            Sheet(t(N_("Dispatch")), [title(d, t), d.month.isoformat()[:7], ""], rows),
            Sheet(t(N_("Red for more than 30 days")), heads["red"], _red_rows(d, lang)),
            Sheet(t(N_("Hotline by department")), heads["departments"], _department_rows(d)),
        ]
    )


def _table(
    doc: DocxDocument, anchor: Paragraph, headers: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)
    anchor._p.addprevious(table._tbl)


def _heading(doc: DocxDocument, anchor: Paragraph, text: str) -> None:
    anchor.insert_paragraph_before(text, style="Heading 2")


def _fill(paragraph: Paragraph, values: dict[str, str]) -> None:
    text = paragraph.text
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    if text != paragraph.text:
        style = paragraph.style
        for run in paragraph.runs[1:]:
            run._r.getparent().remove(run._r)
        if paragraph.runs:
            paragraph.runs[0].text = text
        else:
            paragraph.add_run(text)
        paragraph.style = style


def docx_bytes(d: Dispatch, lang: str, t: Callable[[str], str]) -> bytes:
    """The dispatch as a Word document (通报) from the template."""
    doc = Document(str(TEMPLATE))
    values = {
        "title": title(d, t),
        "period": t(N_("%(start)s to %(end)s; the year to date from %(year)s-01-01"))
        % {"start": d.month.isoformat(), "end": d.last_day.isoformat(), "year": d.month.year},
    }
    anchor = None
    for paragraph in doc.paragraphs:
        if paragraph.text.strip() == BODY_MARK:
            anchor = paragraph
        else:
            _fill(paragraph, values)
    if anchor is None:
        raise ValueError(f"the template {TEMPLATE.name} has no {BODY_MARK} paragraph")
    if d.unavailable:
        anchor.insert_paragraph_before(
            t(N_("Not read (the service did not answer): %(services)s"))
            % {"services": ", ".join(labels.label(s, "service", lang) for s in d.unavailable)}
        )
    section: Section
    for section in sections(d, lang, t):
        _heading(doc, anchor, section.title)
        _table(
            doc,
            anchor,
            ["", *section.columns],
            [[line.label, line.month, line.year] for line in section.lines],
        )
    heads = _headers(t)
    _heading(doc, anchor, t(N_("Cases red for more than 30 days")))
    red = _red_rows(d, lang)
    if red:
        _table(doc, anchor, heads["red"], red)
    else:
        anchor.insert_paragraph_before(t(N_("None.")))
    _heading(doc, anchor, t(N_("Hotline by department")))
    _table(doc, anchor, heads["departments"], _department_rows(d))
    anchor._p.getparent().remove(anchor._p)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
