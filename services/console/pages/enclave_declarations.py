"""Talent programme declarations (帮助申报省、市、区人才工程): the high-level talents'
declarations for province, city and district programmes in one list (filtered by level,
outcome and date, paged, exported) with the form that files one; each one's page records
its outcome (approved or rejected, with the date), corrects and voids it. The machinery is
enclave_records' and enclave_record's."""

from __future__ import annotations

from services.console.clients.incubation import Declaration
from services.console.pages import page_router
from services.console.pages.enclave_lists import Column
from services.console.pages.enclave_picks import picks
from services.console.pages.enclave_record import RecordKind
from services.console.pages.enclave_record import _mount as mount_record
from services.console.pages.enclave_records import Field as F
from services.console.pages.enclave_records import _dated, _page
from services.console.pages.enclave_records import _mount as mount_page
from services.console.pages.enclave_team import own_words
from services.console.pages.lists import N_

router = page_router()

PATH = "/enclave/declarations"

DECLARING = F("talent_id", N_("High-level talent"), "high_level_talent")

DECLARATIONS = _page(
    "enclave.declarations",
    PATH,
    "declarations",
    Declaration,
    N_("Talent programme declarations"),
    columns=(
        Column(
            N_("Talent"),
            lambda d: d.talent_name,
            link=lambda d: f"/enclave/talents/{d.talent_id}",
        ),
        Column(N_("Programme"), lambda d: d.programme, link=lambda d: f"{PATH}/{d.id}"),
        Column(N_("Programme level"), lambda d: d.level, label="programme_level"),
        Column(N_("Declared on"), lambda d: d.declared_on),
        Column(N_("Declaration outcome"), lambda d: d.outcome, label="declaration_outcome"),
        Column(N_("Outcome known on"), lambda d: d.outcome_on),
        Column(N_("Note"), lambda d: d.note),
    ),
    filters=_dated(
        (
            F("level", N_("Programme level"), "programme_level"),
            F("outcome", N_("Declaration outcome"), "declaration_outcome"),
        )
    ),
    fields=(
        DECLARING,
        F("programme", N_("Programme")),
        F("level", N_("Programme level"), "programme_level"),
        F("declared_on", N_("Declared on"), "date"),
        F("note", N_("Note"), "textarea"),
    ),
    add=N_("File the declaration"),
    extra=lambda services: {"picks": picks(services, (DECLARING,))},
)

DECLARATION = RecordKind(
    PATH,
    "declarations",
    Declaration,
    "declaration",
    N_("Talent programme declaration"),
    lambda d: f"{d.talent_name} · {d.programme}",
    facts=(F("talent_name", N_("Talent")),),
    editable=(
        F("outcome", N_("Declaration outcome"), "declaration_outcome"),
        F("outcome_on", N_("Outcome known on"), "date"),
        F("programme", N_("Programme")),
        F("level", N_("Programme level"), "programme_level"),
        F("declared_on", N_("Declared on"), "date"),
        DECLARING,
        F("note", N_("Note"), "textarea"),
    ),
    nullable=frozenset({"outcome_on"}),
)

own_words(
    {
        "talent_id": N_("Choose a standing high-level talent: only they declare."),
        "outcome_on": N_(
            "An approved or rejected declaration needs the date its outcome was known, "
            "not before the declaration; a pending one has none."
        ),
    },
    {"programme": N_("This talent has declared for this programme already.")},
)

mount_page(router, DECLARATIONS)
mount_record(router, DECLARATION)
