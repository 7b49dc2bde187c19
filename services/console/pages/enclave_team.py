"""有团队 / 有场所: the advisory group and the operating team (one list, filtered by team), the
three centres (a list, the form that opens one), and each centre's page: its facts, the
projects, R&D centres and team members it hosts, the form that hosts a project, its
correction and void. The lists, forms and record pages are enclave_records' and
enclave_record's machinery; this module describes the kinds and adds the centre's page."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request, Response

from services.console.clients import FieldError, Services, ServiceUnavailable, gather
from services.console.clients.incubation import Centre, Hosting, Project, RdCentre, TeamMember
from services.console.deps import ServicesDep, form_value, page_for
from services.console.pages import page_router
from services.console.pages.enclave_lists import (
    CONFLICT_MESSAGES,
    FIELD_MESSAGES,
    Column,
    Writer,
    _shown,
    can_write,
    form_errors,
)
from services.console.pages.enclave_picks import picks
from services.console.pages.enclave_record import (
    NOT_FOUND,
    RecordKind,
    current_values,
    record_context,
)
from services.console.pages.enclave_record import _mount as mount_record
from services.console.pages.enclave_records import Field as F
from services.console.pages.enclave_records import _dated, _page
from services.console.pages.enclave_records import _mount as mount_page
from services.console.pages.lists import N_
from services.console.sessions import SignedIn
from services.console.web import error_page, language, redirect, render

router = page_router()

TEAM_PATH = "/enclave/team"
CENTRES_PATH = "/enclave/centres"
HOSTINGS_PATH = "/enclave/hostings"
HOSTED_SHOWN = 50  # the hosted projects and members a centre's page lists


def _centre_link(row: Any) -> str:
    return f"{CENTRES_PATH}/{row.centre_id}" if row.centre_id else ""


WORKS_IN = F("centre_id", N_("Centre (if they work in one)"), "centre")
MEMBER_FIELDS = (
    F("team", N_("Team"), "team"),
    F("name", N_("Name")),
    F("role", N_("Who they are (title or role)")),
    F("organisation", N_("Organisation (required for the advisory group)")),
    F("since", N_("Member since"), "date"),
    WORKS_IN,
)

CENTRE_FIELDS = (
    F("kind", N_("Kind of centre"), "centre_kind"),
    F("name", N_("Centre name")),
    F("address", N_("Address")),
    F("area_m2", N_("Area (m²)"), "number"),
    F("opened_on", N_("Opened on"), "date"),
)
"""A centre's fields: the form that opens one, and its correction."""

TEAM = _page(
    "enclave.team",
    TEAM_PATH,
    "team-members",
    TeamMember,
    N_("Advisory group and operating team"),
    columns=(
        Column(N_("Name"), lambda m: m.name, link=lambda m: f"{TEAM_PATH}/{m.id}"),
        Column(N_("Team"), lambda m: m.team, label="team"),
        Column(N_("Who they are (title or role)"), lambda m: m.role),
        Column(N_("Organisation"), lambda m: m.organisation),
        Column(N_("Member since"), lambda m: m.since),
        Column(N_("Centre"), lambda m: m.centre_id, link=_centre_link),
    ),
    filters=_dated((F("team", N_("Team"), "team"),)),
    fields=MEMBER_FIELDS,
    add=N_("Add the member"),
    extra=lambda services: {"picks": picks(services, MEMBER_FIELDS)},
)

CENTRES = _page(
    "enclave.centres",
    CENTRES_PATH,
    "centres",
    Centre,
    N_("The three centres"),
    columns=(
        Column(N_("Centre name"), lambda c: c.name, link=lambda c: f"{CENTRES_PATH}/{c.id}"),
        Column(N_("Kind of centre"), lambda c: c.kind, label="centre_kind"),
        Column(N_("Address"), lambda c: c.address),
        Column(N_("Area (m²)"), lambda c: c.area_m2),
        Column(N_("Opened on"), lambda c: c.opened_on),
    ),
    filters=(F("kind", N_("Kind of centre"), "centre_kind"),),
    fields=CENTRE_FIELDS,
    add=N_("Open the centre"),
)

TEAM_MEMBER = RecordKind(
    TEAM_PATH,
    "team-members",
    TeamMember,
    "member",
    N_("Team member"),
    lambda m: m.name,
    facts=(),
    editable=(
        F("team", N_("Team"), "team"),
        F("name", N_("Name")),
        F("role", N_("Who they are (title or role)")),
        F("organisation", N_("Organisation")),
        F("since", N_("Member since"), "date"),
        WORKS_IN,
    ),
    nullable=frozenset({"organisation", "centre_id"}),
)
CENTRE = RecordKind(
    CENTRES_PATH,
    "centres",
    Centre,
    "centre",
    N_("Centre"),
    lambda c: c.name,
    facts=(),
    editable=CENTRE_FIELDS,
)
HOSTING = RecordKind(
    HOSTINGS_PATH,
    "hostings",
    Hosting,
    "hosting",
    N_("Hosted project"),
    lambda h: h.project_id,
    facts=(F("project_id", N_("Project id")),),
    editable=(F("centre_id", N_("Centre"), "centre"), F("since", N_("Hosted since"), "date")),
)
HOST_FIELDS = (F("project_id", N_("Project"), "project"), F("since", N_("Hosted since"), "date"))

# What a centre's page lists: (section id, heading, its columns).
HOSTED: tuple[tuple[str, str, tuple[Column, ...]], ...] = (
    (
        "hostings",
        N_("Projects hosted here"),
        (
            # (hosting, project or None if it could not be read)
            Column(
                N_("Project"),
                lambda hp: hp[1].title if hp[1] else hp[0].project_id,
                link=lambda hp: f"/enclave/projects/{hp[0].project_id}",
            ),
            Column(
                N_("Hosted since"),
                lambda hp: hp[0].since,
                link=lambda hp: f"{HOSTINGS_PATH}/{hp[0].id}",
            ),
        ),
    ),
    (
        "rd_centres",
        N_("R&D centres hosted here"),
        (
            Column(
                N_("R&D centre"), lambda r: r.name, link=lambda r: f"/enclave/rd-centres/{r.id}"
            ),
            Column(N_("Set up by"), lambda r: r.kind, label="rd_centre_kind"),
            Column(N_("Industry chain"), lambda r: r.industry_chain, label="industry_chain"),
            Column(N_("In the enclave since"), lambda r: r.since),
        ),
    ),
    (
        "members",
        N_("Team members working here"),
        (
            Column(N_("Name"), lambda m: m.name, link=lambda m: f"{TEAM_PATH}/{m.id}"),
            Column(N_("Team"), lambda m: m.team, label="team"),
            Column(N_("Who they are (title or role)"), lambda m: m.role),
            Column(N_("Member since"), lambda m: m.since),
        ),
    ),
)

Reader = Depends(page_for(CENTRES.key))


def own_words(fields: dict[str, str], conflicts: dict[str, str] | None = None) -> None:
    """The refusals of a record's fields in the user's words (422s, and 409s), kept where
    the list and record pages look for them; a field they already name keeps its words."""
    for messages, mine in ((FIELD_MESSAGES, fields), (CONFLICT_MESSAGES, conflicts or {})):
        for field, message in mine.items():
            messages.setdefault(field, message)


own_words(
    {
        "organisation": N_("Name the organisation an advisory group member comes from."),
        "centre_id": N_("No centre has this id."),
        "since": N_("The date cannot be before the project's registration."),
        "area_m2": N_("Enter a whole number, 1 or more."),
    },
    {
        "kind": N_("The enclave has a centre of this kind already."),
        "project_id": N_("Another centre hosts this project: move it from there."),
    },
)

# The lists first: their /export.xlsx is not a record id.
for _spec in (TEAM, CENTRES):
    mount_page(router, _spec)


async def _centre_page(
    request: Request,
    services: Services,
    signed: SignedIn,
    centre_id: str,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    row, context = await record_context(request, services, CENTRE, centre_id)
    if row is None:
        return error_page(request, 404 if not context["unavailable"] else 503, NOT_FOUND)
    here = {"centre_id": centre_id}
    hosted = await gather(
        {
            "hostings": services.incubation.page(
                "hostings", Hosting, here, limit=HOSTED_SHOWN, offset=0
            ),
            "members": services.incubation.page(
                "team-members", TeamMember, here, limit=HOSTED_SHOWN, offset=0
            ),
            "rd_centres": services.incubation.page(
                "rd-centres", RdCentre, here, limit=HOSTED_SHOWN, offset=0
            ),
            "picks": picks(services, HOST_FIELDS),
        }
    )
    hostings: list[Hosting] = (hosted.values["hostings"] or ([], 0))[0]
    projects = await gather(
        {
            h.project_id: services.incubation.get(f"projects/{h.project_id}", Project)
            for h in hostings
        }
    )
    items: dict[str, list[Any]] = {
        "hostings": [(h, projects.values.get(h.project_id)) for h in hostings],
        "rd_centres": (hosted.values["rd_centres"] or ([], 0))[0],
        "members": (hosted.values["members"] or ([], 0))[0],
    }
    lang = language(request)
    context.update(
        errors=errors or {},
        values=values or {},
        values_now=current_values(CENTRE, row),
        can_write=can_write(signed) and row.voided_at is None,
        hosted=[
            (
                key,
                heading,
                [c.header for c in columns],
                [
                    [(_shown(c, r, lang), c.link(r) if c.link else None) for c in columns]
                    for r in items[key]
                ],
            )
            for key, heading, columns in HOSTED
        ],
        host_fields=HOST_FIELDS,
        host_data={"picks": hosted.values["picks"]},
    )
    return render(request, "enclave/centre.html", context, status_code=status_code)


@router.get(CENTRES_PATH + "/{record_id}")
async def centre(
    request: Request, record_id: str, services: ServicesDep, signed: SignedIn = Reader
) -> Response:
    """A centre: its facts, the projects and members it hosts, its correction and void."""
    return await _centre_page(request, services, signed, record_id)


@router.post(CENTRES_PATH + "/{record_id}/host")
async def host(
    request: Request, record_id: str, services: ServicesDep, signed: SignedIn = Writer
) -> Response:
    """Host a project in the centre."""
    form = await request.form()
    values = {f.name: form_value(form, f.name) for f in HOST_FIELDS}
    try:
        await services.incubation.post("hostings", Hosting, {**values, "centre_id": record_id})
    except FieldError as exc:
        return await _centre_page(
            request,
            services,
            signed,
            record_id,
            errors=form_errors(exc),
            values=values,
            status_code=422,
        )
    except ServiceUnavailable:
        return await _centre_page(request, services, signed, record_id, status_code=503)
    return redirect(request, f"{CENTRES_PATH}/{record_id}")


@router.get(HOSTINGS_PATH)
async def hostings(request: Request, _signed: SignedIn = Reader) -> Response:
    """The hosted projects are listed on their centres' pages."""
    return redirect(request, CENTRES_PATH)


# The centre's own GET above comes first and shows it; its correction and void are these.
for _kind in (TEAM_MEMBER, CENTRE, HOSTING):
    mount_record(router, _kind)
