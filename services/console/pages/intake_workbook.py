"""A case's ledger (一企一台账) as one workbook: the case, its stages, its progress, the
"three ones" and the hotline's tickets, a sheet each."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response

from services.console import formatting, labels
from services.console.clients.intake import Ledger
from services.console.exports import Sheet, xlsx_response
from services.console.web import gettext_for, language


def ledger_workbook(context: dict[str, Any], request: Request) -> Response:
    """The ledger of `context` (a ledger_context's, read) as an .xlsx download named after
    its case."""
    _ = gettext_for(request)
    title = _("Ledger of") + f" {context['ledger'].case.title}.xlsx"
    return xlsx_response(title, ledger_sheets(context, request))


def ledger_sheets(context: dict[str, Any], request: Request) -> list[Sheet]:
    """The ledger as worksheets: the case, stages, progress, three ones, tickets."""
    _ = gettext_for(request)
    lang = language(request)
    ledger: Ledger = context["ledger"]
    case = ledger.case

    def lab(code: object, kind: str) -> str:
        return labels.label(code, kind, lang)

    facts = [
        (_("Project"), case.title),
        (_("Enterprise name"), case.enterprise or ""),
        (_("Path"), lab(case.path, "path")),
        (_("Intake outcome"), lab(case.outcome, "outcome")),
        (_("Industrial chain"), lab(case.industry_chain, "industry_chain")),
        (_("Colour"), lab(case.color, "color")),
        (_("Case opened on"), case.opened_on),
        (_("Signed on"), case.signed_on),
        (_("Construction started"), case.construction_started_on),
        (_("Production started"), case.production_started_on),
        (_("Days from signing to construction"), case.days_to_construction),
        (_("Responsible unit"), ledger.responsible.unit or ""),
        (_("Responsible person"), ledger.responsible.person or ""),
        (_("Contact details"), ledger.responsible.contact or ""),
    ]
    sheets = [
        Sheet(_("Case facts"), [_("Ledger item"), _("Ledger value")], facts),
        Sheet(
            _("Stages of the case"),
            [_("Ledger stage"), _("Stage status"), _("Entry date"), _("Stage requirements")],
            [
                (
                    lab(s.stage, "case_stage"),
                    lab(s.status, "stage_status"),
                    s.done_on,
                    "；".join(s.requirements),
                )
                for s in ledger.stages
            ],
        ),
        Sheet(
            _("Work progress"),
            [_("Entry date"), _("Ledger stage"), _("Work progress"), _("Entry recorded by")],
            [
                (p.happened_on, lab(p.stage, "case_stage"), p.text, p.recorded_by or "")
                for p in ledger.progress
            ],
        ),
        Sheet(
            _("Three ones"),
            [_("Three-ones meeting"), _("Period starts"), _("Meeting due on"), _("Meeting status")],
            [
                (lab(s.kind, "meeting_kind"), s.start, s.due_on, lab(s.status, "meeting_status"))
                for s in context["schedule"]
            ],
        ),
    ]
    if context["tickets"] is not None:
        sheets.append(
            Sheet(
                _("Tickets about the case"),
                [_("Hotline ticket"), _("Category"), _("Status"), _("Opened"), _("Details")],
                [
                    (
                        t.id,
                        t.category,
                        lab(t.status, "ticket_status"),
                        formatting.as_date(t.opened_at),
                        t.description,
                    )
                    for t in context["tickets"]
                ],
            )
        )
    return sheets
