"""The enclave's records: cooperation agreements, activities, 531 training (with progress
against its targets) and HQ-economy enterprises. Each is a filtered list with its export
and a form; one template shows them all from the fields described here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel

from services.console import i18n, labels
from services.console.clients import FieldError, Services, ServiceUnavailable
from services.console.clients.incubation import (
    Activity,
    Agreement,
    HqEnterprise,
    IncubationStats,
    Training,
)
from services.console.deps import ServicesDep, form_value, page_for
from services.console.pages import page_router
from services.console.pages.enclave_lists import (
    VOID_COLUMN,
    Column,
    Listing,
    Writer,
    export,
    form_errors,
    list_page,
)
from services.console.pages.enclave_picks import PICKS
from services.console.pages.lists import N_
from services.console.sessions import SignedIn
from services.console.web import redirect

router = page_router()


@dataclass(frozen=True)
class Field:
    """A form field or filter: its name, label (message id), and kind of input.

    `kind` is text, date, number, textarea, yesno, chain, or a labels.py kind (a select)."""

    name: str
    label: str
    kind: str = "text"


@dataclass(frozen=True)
class RecordPage:
    """A records page: the menu item, the list, its filters, the form's fields."""

    key: str
    heading: str
    listing: Listing
    filters: tuple[Field, ...]
    fields: tuple[Field, ...]
    add: str  # the form's button (message id)
    extra: Callable[[Services], dict[str, Any]] | None = None
    name_taken: str | None = None  # a 409 on the name, in this page's words (message id)


FROM_TO = (Field("from", N_("From")), Field("to", N_("Until")))


ACTIVITY_FIELDS = (
    Field("title", N_("Title")),
    Field("kind", N_("Kind"), "activity_kind"),
    Field("held_on", N_("Held on"), "date"),
    Field("attendance", N_("Attendance"), "number"),
    Field("place", N_("Place")),
)
"""An activity's fields: the form that records one, and the record's correction."""
TRAINING_FIELDS = (
    Field("track", N_("Track"), "training_track"),
    Field("count", N_("People who completed it"), "number"),
    Field("completed_on", N_("Completed on"), "date"),
    Field("note", N_("Note"), "textarea"),
)
"""A training record's fields: the form that records one, and the record's correction."""
HQ_FIELDS = (
    Field("name", N_("Name")),
    Field("industry_chain", N_("Industry chain"), "chain"),
    Field("registered_on", N_("Registered on"), "date"),
    Field("agreement_id", N_("Its GBA agreement (id)")),
    Field("note", N_("Note"), "textarea"),
)
"""An HQ-economy enterprise's fields: the form that registers one, and its correction."""


def _dated(filters: tuple[Field, ...]) -> tuple[Field, ...]:
    return (*filters, *(Field(f.name, f.label, "date") for f in FROM_TO))


def _page(key: str, path: str, resource: str, shape: type[BaseModel], title: str, **kw: Any) -> Any:
    columns = kw.pop("columns")
    filters = kw.pop("filters")
    listing = Listing(
        page=path,
        resource=resource,
        shape=shape,
        columns=(*columns, VOID_COLUMN),
        filters=(*(f.name for f in filters), "include_void"),
        title=title,
    )
    return RecordPage(key=key, heading=title, listing=listing, filters=filters, **kw)


def _with_stats(services: Services) -> dict[str, Any]:
    """The enclave's figures, which the agreements' and the training's pages show."""
    return {"stats": services.incubation.stats()}


AGREEMENTS: RecordPage = _page(
    "enclave.agreements",
    "/enclave/agreements",
    "agreements",
    Agreement,
    N_("Agreements"),
    columns=(
        Column(N_("Partner"), lambda a: a.partner, link=lambda a: f"/enclave/agreements/{a.id}"),
        Column(N_("Kind"), lambda a: a.kind, label="agreement_kind"),
        Column(N_("In the Greater Bay Area"), lambda a: a.in_gba),
        Column(N_("Signed on"), lambda a: a.signed_on),
        Column(
            N_("Project"),
            lambda a: a.project_id,
            link=lambda a: f"/enclave/projects/{a.project_id}" if a.project_id else "",
        ),
        Column(N_("Note"), lambda a: a.note),
    ),
    filters=_dated(
        (
            Field("kind", N_("Kind"), "agreement_kind"),
            Field("in_gba", N_("In the Greater Bay Area"), "yesno"),
        )
    ),
    fields=(
        Field("partner", N_("Partner")),
        Field("kind", N_("Kind"), "agreement_kind"),
        Field("in_gba", N_("In the Greater Bay Area"), "yesno"),
        Field("signed_on", N_("Signed on"), "date"),
        Field("project_id", N_("Project id (if any)")),
        Field("note", N_("Note"), "textarea"),
    ),
    add=N_("Record the agreement"),
    extra=_with_stats,
)

ACTIVITIES: RecordPage = _page(
    "enclave.activities",
    "/enclave/activities",
    "activities",
    Activity,
    N_("Activities"),
    columns=(
        Column(N_("Title"), lambda a: a.title, link=lambda a: f"/enclave/activities/{a.id}"),
        Column(N_("Kind"), lambda a: a.kind, label="activity_kind"),
        Column(N_("Held on"), lambda a: a.held_on),
        Column(N_("Attendance"), lambda a: a.attendance),
        Column(N_("Place"), lambda a: a.place),
    ),
    filters=_dated((Field("kind", N_("Kind"), "activity_kind"),)),
    fields=ACTIVITY_FIELDS,
    add=N_("Record the activity"),
)

TRAINING: RecordPage = _page(
    "enclave.training",
    "/enclave/training",
    "trainings",
    Training,
    N_("531 training"),
    columns=(
        Column(
            N_("Track"),
            lambda t: t.track,
            label="training_track",
            link=lambda t: f"/enclave/training/{t.id}",
        ),
        Column(N_("People"), lambda t: t.count),
        Column(N_("Completed on"), lambda t: t.completed_on),
        Column(N_("Note"), lambda t: t.note),
    ),
    filters=_dated((Field("track", N_("Track"), "training_track"),)),
    fields=TRAINING_FIELDS,
    add=N_("Record the completions"),
    extra=_with_stats,
)

HQ: RecordPage = _page(
    "enclave.hq",
    "/enclave/hq-enterprises",
    "hq-enterprises",
    HqEnterprise,
    N_("HQ-economy enterprises"),
    columns=(
        Column(N_("Name"), lambda e: e.name, link=lambda e: f"/enclave/hq-enterprises/{e.id}"),
        Column(N_("Industry chain"), lambda e: e.industry_chain, label="industry_chain"),
        Column(N_("Registered on"), lambda e: e.registered_on),
        Column(N_("Note"), lambda e: e.note),
    ),
    filters=_dated(()),
    fields=HQ_FIELDS,
    add=N_("Register the enterprise"),
    extra=lambda services: {"chains": services.incubation.industry_chains()},
)

PAGES = (AGREEMENTS, ACTIVITIES, TRAINING, HQ)


def options(field: Field, data: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """The choices of a select field."""
    gettext = i18n.translations(lang).gettext
    if field.kind == "yesno":
        return [("true", gettext("Yes")), ("false", gettext("No"))]
    if field.kind == "chain":
        return [(c, labels.label(c, "industry_chain", lang)) for c in data.get("chains") or []]
    if field.kind in PICKS:  # records to choose from (enclave_picks)
        return list((data.get("picks") or {}).get(field.kind) or [])
    return labels.choices(field.kind, lang)


def training_chart(stats: IncubationStats | None, lang: str) -> dict[str, Any] | None:
    """The 531 progress: each track's completions as a share of its target."""
    if stats is None or not stats.training:
        return None
    gettext = i18n.translations(lang).gettext
    tracks = [t for t in labels.LABELS["training_track"] if t in stats.training]
    shares = [
        round(100 * stats.training[t].completed / stats.training[t].target, 1)
        if stats.training[t].target
        else 0
        for t in tracks
    ]
    return {
        "tooltip": {},
        "grid": {"left": 110, "right": 30},
        "xAxis": {"type": "value", "max": max([100, *shares]), "name": "%"},
        "yAxis": {
            "type": "category",
            "data": [labels.label(t, "training_track", lang) for t in tracks],
        },
        "series": [
            {
                "type": "bar",
                "name": gettext("Share of the target reached"),
                "data": shares,
                "label": {"show": True, "position": "right", "formatter": "{c}%"},
            }
        ],
    }


async def _show(
    request: Request,
    services: Services,
    signed: SignedIn,
    spec: RecordPage,
    *,
    status_code: int = 200,
    **context: Any,
) -> Response:
    calls = spec.extra(services) if spec.extra else {}
    return await list_page(
        request,
        services,
        signed,
        spec.listing,
        "enclave/records.html",
        calls=calls,
        status_code=status_code,
        spec=spec,
        options=options,
        training_chart=training_chart,
        **context,
    )


def _mount(target: APIRouter, spec: RecordPage) -> None:
    """The page's three routes: the list, its export, the form's POST."""
    reader = Depends(page_for(spec.key))
    path = spec.listing.page

    async def show(request: Request, services: ServicesDep, signed: SignedIn = reader) -> Response:
        return await _show(request, services, signed, spec)

    async def export_(
        request: Request, services: ServicesDep, _signed: SignedIn = reader
    ) -> Response:
        return await export(request, services, spec.listing)

    async def add(request: Request, services: ServicesDep, signed: SignedIn = Writer) -> Response:
        form = await request.form()
        values = {f.name: form_value(form, f.name) for f in spec.fields}
        try:
            await services.incubation.post(spec.listing.resource, spec.listing.shape, values)
        except FieldError as exc:
            errors = form_errors(exc)
            if spec.name_taken and exc.status == 409 and exc.field == "name":
                errors = {"name": spec.name_taken}
            return await _show(
                request, services, signed, spec, status_code=422, errors=errors, values=values
            )
        except ServiceUnavailable:
            return await _show(request, services, signed, spec, status_code=503, values=values)
        return redirect(request, path)

    show.__doc__ = f"{spec.heading}: the filtered list and the form."
    target.add_api_route(path, show, methods=["GET"])
    target.add_api_route(path + "/export.xlsx", export_, methods=["GET"])
    target.add_api_route(path, add, methods=["POST"])


for _spec in PAGES:
    _mount(router, _spec)
