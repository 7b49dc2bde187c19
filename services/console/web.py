"""The console's web frame: templates (full page or htmx fragment), error pages, static
files, cookies and security headers, wired onto the platform app."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import httpx
from enclave_shared.errors import DomainError
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.console import formatting, i18n, labels
from services.console.clients.base import form_key
from services.console.config import ConsoleSettings
from services.console.deps import ConsoleState, CsrfRefused, PageForbidden, SignInRequired
from services.console.menu import menu_for
from services.console.sessions import (
    Keys,
    SignedIn,
    csrf_token,
    set_csrf_cookie,
    set_session_cookies,
)

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

SECURITY_HEADERS = {
    # Everything is served from here (no CDN); no inline script, no framing.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def _lang_of(ctx: Context) -> str:
    lang = ctx.get("lang")
    return lang if isinstance(lang, str) else i18n.DEFAULT


@pass_context
def _label(ctx: Context, code: object, kind: str) -> str:
    return labels.label(code, kind, _lang_of(ctx))


@pass_context
def _choices(ctx: Context, kind: str) -> list[tuple[str, str]]:
    return labels.choices(kind, _lang_of(ctx))


REFUSED = "Not accepted: %(reason)s"
"""How a refusal the console has no words of its own for is shown: the service's reason."""


@pass_context
def _refusal(ctx: Context, message: str) -> str:
    """A field's error in the user's language: the console's words for it, or a sentence in
    that language carrying the service's own reason (kept: it names what to change)."""
    gettext = ctx["_"]
    shown = str(gettext(message))
    if shown != message or _lang_of(ctx) != "zh-CN" or _has_chinese(message):
        return shown
    return str(gettext(REFUSED)) % {"reason": message}


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        date=formatting.as_date,
        datetime=formatting.as_datetime,
        amount=formatting.amount,
        wan=formatting.wan,
        percent=formatting.percent,
        label=_label,
        refusal=_refusal,
    )
    env.globals.update(choices=_choices, languages=i18n.LANGUAGES, new_form_key=form_key)
    return env


templates = _environment()


def language(request: Request) -> str:
    """The request's language (zh-CN unless the cookie says English)."""
    return i18n.chosen(request.cookies.get(i18n.LANG_COOKIE))


def gettext_for(request: Request) -> Any:
    """The request's gettext function."""
    return i18n.translations(language(request)).gettext


def is_fragment_request(request: Request) -> bool:
    """An htmx request for part of a page (not a boosted link or a history restore)."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    """A page: the whole document, or only its main part to an htmx request."""
    signed: SignedIn | None = getattr(request.state, "signed_in", None)
    lang = language(request)
    values: dict[str, Any] = {
        "request": request,
        "signed": signed,
        "menu": menu_for(signed.role) if signed else [],
        "lang": lang,
        "html_lang": "zh-CN" if lang == "zh-CN" else "en",
        "_": i18n.translations(lang).gettext,
        "csrf_token": csrf_token(request),
        "fragment": is_fragment_request(request),
        "unavailable": [],
        "errors": {},
        "values": {},
        "path": request.url.path,
    }
    values.update(context or {})
    html = templates.get_template(template).render(values)
    response = HTMLResponse(html, status_code=status_code)
    response.headers["Vary"] = "HX-Request, Cookie"
    return response


def redirect(request: Request, url: str) -> Response:
    """Go to another page: a 303, or htmx's own redirect header to an htmx request."""
    if request.headers.get("HX-Request") == "true":
        return Response(status_code=200, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def error_page(request: Request, status: int, message: str | None = None) -> HTMLResponse:
    """The error page for a status, in the user's language."""
    template = "errors/403.html" if status == 403 else "errors/error.html"
    return render(request, template, {"status": status, "message": message}, status_code=status)


assets = APIRouter()


@assets.get("/static/{path:path}", include_in_schema=False)
async def static_file(path: str) -> Response:
    """A vendored or own static file (no CDN: the sites' networks have no internet)."""
    target = (STATIC / path).resolve()
    if not target.is_file() or STATIC.resolve() not in target.parents:
        raise StarletteHTTPException(404)
    return FileResponse(target, headers={"Cache-Control": "public, max-age=3600"})


def install(app: FastAPI) -> FastAPI:
    """Add the console's web frame to an app made by the platform's create_app."""
    i18n.load_all()
    app.include_router(assets)
    _wrap_lifespan(app)
    _add_cookie_middleware(app)
    _add_error_pages(app)
    return app


def _wrap_lifespan(app: FastAPI) -> None:
    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        async with inner(app) as state:
            settings = app.state.runtime.settings
            assert isinstance(settings, ConsoleSettings)
            keys = Keys(signing=settings.signing_key(), verifying=settings.verifying_key())
            timeout = httpx.Timeout(settings.service_timeout_s)
            async with httpx.AsyncClient(timeout=timeout) as http:
                app.state.console = ConsoleState(settings=settings, keys=keys, http=http)
                yield state

    app.router.lifespan_context = lifespan


def _add_cookie_middleware(app: FastAPI) -> None:
    @app.middleware("http")
    async def console_cookies(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        signed: SignedIn | None = getattr(request.state, "signed_in", None)
        ended = getattr(request.state, "signed_out", False)
        if signed is not None and not ended and "set-cookie" not in response.headers:
            # The idle timeout slides: every answered request carries a fresh token.
            settings = app.state.console.settings
            set_session_cookies(
                response, request, sid=signed.login.id, token=signed.token, settings=settings
            )
        set_csrf_cookie(response, request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def _add_error_pages(app: FastAPI) -> None:
    @app.exception_handler(SignInRequired)
    async def sign_in_required(request: Request, _exc: SignInRequired) -> Response:
        target = "/login"
        if request.method == "GET" and request.url.path != "/":
            target = f"/login?next={request.url.path}"
        return redirect(request, target)

    @app.exception_handler(PageForbidden)
    async def page_forbidden(request: Request, _exc: PageForbidden) -> Response:
        return error_page(request, 403)

    @app.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, _exc: CsrfRefused) -> Response:
        _ = gettext_for(request)
        return error_page(request, 403, _("The form had expired. Reload the page and try again."))

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        return error_page(request, exc.status, exc.message)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, _exc: RequestValidationError) -> Response:
        _ = gettext_for(request)
        return error_page(request, 422, _("The request was not understood."))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error_page(request, exc.status_code)
