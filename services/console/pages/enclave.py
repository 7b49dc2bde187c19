"""The Shenzhen enclave's projects: the filtered list and its export, a project's page (its
stages on a timeline, its intake case once it is in Shangrao), a new project with the fields
of its path only, and the stage moves its stage allows. The other enclave pages are in
enclave_backlog, enclave_people and enclave_records; what they share is in enclave_lists."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request, Response

from services.console import labels
from services.console.clients import FieldError, Services, ServiceUnavailable, gather
from services.console.clients.base import ServiceRefused
from services.console.clients.incubation import BacklogItem, Project, Talent
from services.console.clients.intake import CaseSummary
from services.console.deps import ServicesDep, allow, form_value, page_for
from services.console.menu import ENCLAVE
from services.console.pages import audit, enclave_record, page_router
from services.console.pages.enclave_lists import (
    VOID_COLUMN,
    Column,
    Listing,
    Writer,
    can_write,
    export,
    form_errors,
    list_page,
)
from services.console.pages.enclave_records import options as record_options
from services.console.pages.lists import N_
from services.console.sessions import SignedIn
from services.console.web import error_page, language, redirect, render

router = page_router()

ProjectsPage = Annotated[SignedIn, Depends(page_for("enclave.projects"))]
ProjectPage = Annotated[SignedIn, Depends(allow(*ENCLAVE))]
WriterDep = Annotated[SignedIn, Writer]

PATHS = ("order", "menu", "directed", "delivery")
# The fields each path's form has beside the ones all paths share (title, chain, team, …).
PATH_FIELDS: dict[str, tuple[str, ...]] = {
    "order": ("demand_id",),
    "menu": ("menu_item_id",),
    "directed": ("enterprise", "enterprise_tag", "layout_category"),
    "delivery": (),
}
COMMON_FIELDS = ("title", "industry_chain", "description", "registered_on")
# Each move the project page may offer: its route, the date field, the stages it starts from.
MOVES: dict[str, tuple[str, tuple[str, ...]]] = {
    "incubation": ("started_on", ("proposed",)),
    "maturity": ("matured_on", ("proposed", "incubating")),
    "drop": ("dropped_on", ("proposed", "incubating", "matured")),
}
PROJECT_NOT_FOUND = N_("No such project.")

PROJECTS = Listing(
    page="/enclave/projects",
    resource="projects",
    shape=Project,
    columns=(
        Column(N_("Title"), lambda p: p.title, link=lambda p: f"/enclave/projects/{p.id}"),
        Column(N_("Path"), lambda p: p.path, label="path"),
        Column(N_("Stage"), lambda p: p.stage, label="project_stage"),
        Column(N_("Industry chain"), lambda p: p.industry_chain, label="industry_chain"),
        Column(N_("Enterprise"), lambda p: p.enterprise),
        Column(N_("Registered on"), lambda p: p.registered_on),
        Column(N_("Matured on"), lambda p: p.matured_on),
        Column(N_("Transferred on"), lambda p: p.transferred_on),
        VOID_COLUMN,
    ),
    filters=(
        "path",
        "stage",
        "industry_chain",
        "from",
        "to",
        "matured_from",
        "matured_to",
        "transferred_from",
        "transferred_to",
        "include_void",
    ),
    title=N_("Projects"),
)


def chain_options(chains: list[str] | None, lang: str) -> list[tuple[str, str]]:
    """The configured industry chains as (code, label) for a select."""
    return [(c, labels.label(c, "industry_chain", lang)) for c in chains or []]


@router.get("/enclave/projects")
async def projects(request: Request, services: ServicesDep, signed: ProjectsPage) -> Response:
    """Projects, filtered by path, stage, chain and registration dates."""
    return await list_page(
        request,
        services,
        signed,
        PROJECTS,
        "enclave/projects.html",
        calls={"chains": services.incubation.industry_chains()},
        chain_options=chain_options,
    )


@router.get("/enclave/projects/export.xlsx")
async def projects_export(
    request: Request, services: ServicesDep, _signed: ProjectsPage
) -> Response:
    """The filtered projects as an Excel workbook."""
    return await export(request, services, PROJECTS)


async def _new_form(
    request: Request,
    services: Services,
    values: dict[str, str],
    *,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    template: str = "enclave/project_new.html",
    talent_ids: list[str] | None = None,
) -> Response:
    path = values.get("path") or "directed"
    values["path"] = path if path in PATHS else "directed"
    calls: dict[str, Any] = {"chains": services.incubation.industry_chains()}
    if template == "enclave/project_new.html":
        # The enclave's standing talents, to pick the team's members among (by id).
        calls["talents"] = services.incubation.every("talents", Talent, {})
    if values["path"] in ("order", "menu"):
        kind = "demand" if values["path"] == "order" else "menu_item"
        calls["items"] = services.incubation.every(
            "backlog", BacklogItem, {"kind": kind, "taken": "false"}
        )
    gathered = await gather(calls)
    context = {
        "values": values,
        "errors": errors or {},
        "paths": PATHS,
        "fields": PATH_FIELDS[values["path"]],
        "chains": chain_options(gathered.values["chains"], language(request)),
        "items": gathered.values.get("items") or [],
        "talents": gathered.values.get("talents") or [],
        "chosen_talents": talent_ids or [],
        "unavailable": gathered.unavailable,
    }
    return render(request, template, context, status_code=status_code)


@router.get("/enclave/projects/new")
async def new_project(request: Request, services: ServicesDep, _signed: WriterDep) -> Response:
    """The new-project form, with the fields of the chosen path."""
    values = {name: request.query_params.get(name, "") for name in ("path", *PATH_FIELDS)}
    return await _new_form(request, services, values)


@router.get("/enclave/projects/new/fields")
async def new_project_fields(
    request: Request, services: ServicesDep, _signed: WriterDep
) -> Response:
    """The path's own fields (htmx swaps them in when the path select changes)."""
    values = {"path": request.query_params.get("path", "")}
    return await _new_form(request, services, values, template="enclave/_project_fields.html")


@router.post("/enclave/projects/new")
async def create_project(request: Request, services: ServicesDep, _signed: WriterDep) -> Response:
    """Register the project; a refused field is shown beside it, what was typed kept."""
    form = await request.form()
    path = form_value(form, "path")
    names = ("path", *COMMON_FIELDS, "team_members", *PATH_FIELDS.get(path, ()))
    values = {name: form_value(form, name) for name in names}
    talent_ids = [t for t in form.getlist("team_talent_ids") if isinstance(t, str) and t]
    body: dict[str, Any] = {k: v for k, v in values.items() if k != "team_members"}
    body["team_members"] = _names(values["team_members"])
    body["team_talent_ids"] = talent_ids
    try:
        project = await services.incubation.post("projects", Project, body)
    except FieldError as exc:
        return await _new_form(
            request,
            services,
            values,
            errors=form_errors(exc),
            status_code=422,
            talent_ids=talent_ids,
        )
    except ServiceUnavailable:
        return await _new_form(request, services, values, status_code=503, talent_ids=talent_ids)
    return redirect(request, f"/enclave/projects/{project.id}")


def _names(text: str) -> list[str]:
    """Team members typed one a line or separated by commas."""
    parts = text.replace("，", ",").replace("、", ",").replace("\n", ",").split(",")
    return [p.strip() for p in parts if p.strip()]


async def _project_page(
    request: Request,
    services: Services,
    signed: SignedIn,
    project_id: str,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    correction: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    gathered = await gather(
        {
            "project": services.incubation.get(f"projects/{project_id}", Project),
            # A zone officer's or the district leader's token reads the case; an
            # operator's is refused, and the page shows what incubation knows.
            "cases": services.intake._get("/api/v1/cases", project_id=project_id, limit=1),
            "trail": audit.trail(services.incubation, "project", project_id, language(request)),
            "chains": services.incubation.industry_chains(),
        }
    )
    project: Project | None = gathered.values["project"]
    refusal = gathered.refused.get("project")
    if isinstance(refusal, ServiceRefused) and refusal.status == 404:
        return error_page(request, 404, PROJECT_NOT_FOUND)
    cases = gathered.values["cases"]
    case = CaseSummary.model_validate(cases[0]) if isinstance(cases, list) and cases else None
    talent_ids = project.team_talent_ids if project is not None else []
    team = await gather({t: services.incubation.get(f"talents/{t}", Talent) for t in talent_ids})
    moves = []
    if project is not None and can_write(signed) and project.voided_at is None:
        moves = [m for m, (_field, starts) in MOVES.items() if project.stage in starts]
    context = {
        "project": project,
        "kind": enclave_record.PROJECT,
        "data": {"chains": gathered.values["chains"]},
        "options": record_options,
        "can_correct": project is not None and can_write(signed) and project.voided_at is None,
        "timeline": _timeline(project) if project else [],
        # The team's enclave talents by id: their names where incubation gives them.
        "team_talents": team.values,
        "case": case,
        "trail": gathered.values["trail"],
        "moves": moves,
        "errors": errors or {},
        "values": values or {},
        "correction": correction
        or (enclave_record.current_values(enclave_record.PROJECT, project) if project else {}),
        "unavailable": [u for u in gathered.unavailable if project or u != "intake"],
    }
    if project is None and not gathered.unavailable:
        return error_page(request, 404, PROJECT_NOT_FOUND)
    return render(request, "enclave/project.html", context, status_code=status_code)


def _timeline(project: Project) -> list[dict[str, Any]]:
    """The project's stages in order, each with its date (None for one not reached)."""
    steps = [
        ("proposed", project.registered_on),
        ("incubating", project.incubation_started_on),
        ("matured", project.matured_on),
        ("transferred", project.transferred_on),
    ]
    if project.dropped_on is not None:
        reached = [s for s in steps if s[1] is not None]
        steps = [*reached, ("dropped", project.dropped_on)]
    return [
        {"stage": stage, "on": on, "current": stage == project.stage, "done": on is not None}
        for stage, on in steps
    ]


@router.get("/enclave/projects/{project_id}")
async def project(
    request: Request, project_id: str, services: ServicesDep, signed: ProjectPage
) -> Response:
    """A project: its stages on a timeline, its case in Shangrao, the moves it allows."""
    return await _project_page(request, services, signed, project_id)


async def _project_or_none(services: Services, project_id: str) -> Project | None:
    try:
        return await services.incubation.get(f"projects/{project_id}", Project)
    except ServiceRefused:
        return None


@router.post("/enclave/projects/{project_id}/correct")
async def correct_project(
    request: Request, project_id: str, services: ServicesDep, signed: WriterDep
) -> Response:
    """Correct the project's title, description, team, chain, layout or registration date."""
    return await _project_form(request, services, signed, project_id, enclave_record.correct)


@router.post("/enclave/projects/{project_id}/void")
async def void_project(
    request: Request, project_id: str, services: ServicesDep, signed: WriterDep
) -> Response:
    """Void a project entered by mistake (reason and confirmation)."""
    return await _project_form(request, services, signed, project_id, enclave_record.void_action)


async def _project_form(
    request: Request,
    services: Services,
    signed: SignedIn,
    project_id: str,
    action: enclave_record.Action,
) -> Response:
    """Run the correction's or the void's form on the project: back to its page when done,
    the page with the errors (and the correction typed) when refused."""
    project = await _project_or_none(services, project_id)
    if project is None:
        return error_page(request, 404, PROJECT_NOT_FOUND)
    errors, typed = await action(request, services, enclave_record.PROJECT, project)
    if errors:
        return await _project_page(
            request, services, signed, project_id, errors=errors, correction=typed, status_code=422
        )
    return redirect(request, f"/enclave/projects/{project_id}")


@router.post("/enclave/projects/{project_id}/{move}")
async def move_project(
    request: Request, project_id: str, move: str, services: ServicesDep, signed: WriterDep
) -> Response:
    """Start incubation, mature or drop the project (the service refuses a wrong stage)."""
    if move not in MOVES:
        return error_page(request, 404)
    form = await request.form()
    date_field = MOVES[move][0]
    values = {date_field: form_value(form, date_field), "reason": form_value(form, "reason")}
    body = {date_field: values[date_field]}
    if move == "drop":
        body["reason"] = values["reason"]
    try:
        await services.incubation.post(f"projects/{project_id}/{move}", Project, body)
    except FieldError as exc:
        return await _project_page(
            request,
            services,
            signed,
            project_id,
            errors=form_errors(exc),
            values=values,
            status_code=422,
        )
    except ServiceUnavailable:
        return await _project_page(request, services, signed, project_id, status_code=503)
    return redirect(request, f"/enclave/projects/{project_id}")
