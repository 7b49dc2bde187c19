"""一轴, party-building with the new village sages: the party organisations built on the
sage bodies (filtered by how they were formed and date, paged, exported, the form that
records one) and the sages with their tie to the enclave (filtered by tie and date, the
form that adds one); each record's page corrects and voids it. The machinery is
enclave_records' and enclave_record's. (The campaigns 我是党员我带头 and 我为家乡做点事 are
kinds of activity, on the activities page.)"""

from __future__ import annotations

from services.console.clients.incubation import PartyOrg, Sage
from services.console.pages import page_router
from services.console.pages.enclave_lists import Column
from services.console.pages.enclave_record import RecordKind
from services.console.pages.enclave_record import _mount as mount_record
from services.console.pages.enclave_records import Field as F
from services.console.pages.enclave_records import _dated, _page
from services.console.pages.enclave_records import _mount as mount_page
from services.console.pages.enclave_team import own_words
from services.console.pages.lists import N_

router = page_router()

ORGS_PATH = "/enclave/party-orgs"
SAGES_PATH = "/enclave/sages"

ORG_FIELDS = (
    F("name", N_("Party organisation")),
    F("body", N_("Sage body it is built on")),
    F("formation", N_("How it was formed"), "formation"),
    F("members", N_("Party members"), "number"),
    F("formed_on", N_("Formed on"), "date"),
    F("note", N_("Note"), "textarea"),
)
SAGE_FIELDS = (
    F("name", N_("Name")),
    F("body", N_("Sage body")),
    F("tie", N_("Tie to the enclave"), "tie"),
    F("joined_on", N_("Joined on"), "date"),
    F("note", N_("Note"), "textarea"),
)

PARTY_ORGS = _page(
    "enclave.party",
    ORGS_PATH,
    "party-orgs",
    PartyOrg,
    N_("Party organisations on the sage bodies"),
    columns=(
        Column(N_("Party organisation"), lambda o: o.name, link=lambda o: f"{ORGS_PATH}/{o.id}"),
        Column(N_("Sage body it is built on"), lambda o: o.body),
        Column(N_("How it was formed"), lambda o: o.formation, label="formation"),
        Column(N_("Party members"), lambda o: o.members),
        Column(N_("Formed on"), lambda o: o.formed_on),
    ),
    filters=_dated((F("formation", N_("How it was formed"), "formation"),)),
    fields=ORG_FIELDS,
    add=N_("Record the party organisation"),
    # A name recorded twice: these pages' own words (the list pages' are an enterprise's).
    name_taken=N_("A party organisation of this name is recorded already."),
)

SAGES = _page(
    "enclave.sages",
    SAGES_PATH,
    "sages",
    Sage,
    N_("New village sages"),
    columns=(
        Column(N_("Name"), lambda s: s.name, link=lambda s: f"{SAGES_PATH}/{s.id}"),
        Column(N_("Sage body"), lambda s: s.body),
        Column(N_("Tie to the enclave"), lambda s: s.tie, label="tie"),
        Column(N_("Joined on"), lambda s: s.joined_on),
        Column(N_("Note"), lambda s: s.note),
    ),
    filters=_dated((F("tie", N_("Tie to the enclave"), "tie"),)),
    fields=SAGE_FIELDS,
    add=N_("Add the sage"),
    name_taken=N_("This sage is recorded in this body already."),
)

PARTY_ORG = RecordKind(
    ORGS_PATH,
    "party-orgs",
    PartyOrg,
    "party_org",
    N_("Party organisation"),
    lambda o: o.name,
    facts=(),
    editable=ORG_FIELDS,
)
SAGE = RecordKind(
    SAGES_PATH, "sages", Sage, "sage", N_("New village sage"), lambda s: s.name, (), SAGE_FIELDS
)

own_words(
    {
        "members": N_(
            "A standalone organisation has 3 party members or more; fewer are formed "
            "regionally or by industry."
        )
    }
)
for _spec in (PARTY_ORGS, SAGES):
    mount_page(router, _spec)
for _kind in (PARTY_ORG, SAGE):
    mount_record(router, _kind)
