"""R&D centres in Shenzhen (科技研发中心): local enterprises' R&D centres and Shenzhen R&D
institutions in one list (filtered by kind, chain and date, paged, exported) with the form
that registers one and the figures above it (the institutions whose results reached
Guangfeng); each one's page links it to the projects whose results it transfers, corrects
and voids it. The machinery is enclave_records' and enclave_record's."""

from __future__ import annotations

from fastapi import Depends, Request, Response

from services.console.clients.incubation import RdCentre, RdFigures
from services.console.deps import ServicesDep, page_for
from services.console.pages import page_router
from services.console.pages.enclave_lists import Column, list_page
from services.console.pages.enclave_picks import picks
from services.console.pages.enclave_record import RecordKind
from services.console.pages.enclave_record import _mount as mount_record
from services.console.pages.enclave_records import Field as F
from services.console.pages.enclave_records import _dated, _page, options
from services.console.pages.enclave_records import _mount as mount_page
from services.console.pages.enclave_team import own_words
from services.console.pages.lists import N_
from services.console.sessions import SignedIn

router = page_router()

PATH = "/enclave/rd-centres"
HOSTED_BY = F("centre_id", N_("Centre (if the enclave hosts it)"), "centre")

RD_CENTRES = _page(
    "enclave.rd",
    PATH,
    "rd-centres",
    RdCentre,
    N_("R&D centres in Shenzhen"),
    columns=(
        Column(N_("R&D centre"), lambda r: r.name, link=lambda r: f"{PATH}/{r.id}"),
        Column(N_("Set up by"), lambda r: r.kind, label="rd_centre_kind"),
        Column(N_("Industry chain"), lambda r: r.industry_chain, label="industry_chain"),
        Column(
            N_("Hosted in the centre"),
            lambda r: r.centre_id,
            link=lambda r: f"/enclave/centres/{r.centre_id}" if r.centre_id else "",
        ),
        Column(N_("In the enclave since"), lambda r: r.since),
        Column(N_("Projects whose results it transfers"), lambda r: r.project_ids),
    ),
    filters=_dated(
        (
            F("kind", N_("Set up by"), "rd_centre_kind"),
            F("industry_chain", N_("Industry chain"), "chain"),
        )
    ),
    fields=(
        F("kind", N_("Set up by"), "rd_centre_kind"),
        F("name", N_("R&D centre")),
        F("industry_chain", N_("Industry chain"), "chain"),
        HOSTED_BY,
        F("since", N_("In the enclave since"), "date"),
        F("note", N_("Note"), "textarea"),
    ),
    add=N_("Register the R&D centre"),
    extra=lambda services: {
        "chains": services.incubation.industry_chains(),
        "figures": services.incubation.get("rd-centres/figures", RdFigures),
        "picks": picks(services, (HOSTED_BY,)),
    },
)

RD_CENTRE = RecordKind(
    PATH,
    "rd-centres",
    RdCentre,
    "rd_centre",
    N_("R&D centre"),
    lambda r: r.name,
    facts=(),
    editable=(
        F("kind", N_("Set up by"), "rd_centre_kind"),
        F("name", N_("R&D centre")),
        F("industry_chain", N_("Industry chain"), "chain"),
        HOSTED_BY,
        F("since", N_("In the enclave since"), "date"),
        F("project_ids", N_("Projects whose results it transfers (ids)"), "ids"),
        F("note", N_("Note"), "textarea"),
    ),
    nullable=frozenset({"centre_id"}),
)

Reader = Depends(page_for(RD_CENTRES.key))

own_words({"project_ids": N_("No project has this id, or it is void.")})


@router.get(PATH)
async def rd_centres(
    request: Request, services: ServicesDep, signed: SignedIn = Reader
) -> Response:
    """The R&D centres (filtered), their figures, the form."""
    assert RD_CENTRES.extra is not None
    return await list_page(
        request,
        services,
        signed,
        RD_CENTRES.listing,
        "enclave/rd_centres.html",
        calls=RD_CENTRES.extra(services),
        spec=RD_CENTRES,
        options=options,
    )


# The page above comes first and shows the figures; the export and the form's POST are these.
mount_page(router, RD_CENTRES)
mount_record(router, RD_CENTRE)
