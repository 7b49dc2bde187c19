"""Administration: user accounts (list, add, disable, enable, reset password), audit log."""

from __future__ import annotations

from typing import Annotated

from enclave_shared.auth import Role
from enclave_shared.deps import RuntimeDep, SessionDep
from enclave_shared.errors import DomainError
from fastapi import Depends, Form, Query, Request, Response

from services.console import identity
from services.console.deps import page_for
from services.console.identity import Site
from services.console.pages import page_router
from services.console.pages.lists import FormFields
from services.console.sessions import SignedIn, client_address
from services.console.web import redirect, render

router = page_router()

UsersPage = Annotated[SignedIn, Depends(page_for("admin.users"))]
AuditPage = Annotated[SignedIn, Depends(page_for("admin.audit"))]
AUDIT_PAGE_SIZE = 100
CHOOSE_ROLE = "Choose a role."
CHOOSE_SITE = "Choose a site."


async def _users_page(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    status_code: int = 200,
    **context: object,
) -> Response:
    users = await identity.list_users(session)
    values = {"users": users, "now": runtime.clock(), **context}
    return render(request, "admin/users.html", values, status_code=status_code)


@router.get("/admin/users")
async def users(
    request: Request, session: SessionDep, runtime: RuntimeDep, _signed: UsersPage
) -> Response:
    """Every account, and the form to add one."""
    return await _users_page(request, session, runtime)


class UserFields(FormFields):
    """The form that adds an account (the password is never shown again)."""

    username: str = ""
    display_name: str = ""
    role: str = ""
    site: str = ""
    enterprise_id: str = ""
    password: str = ""


@router.post("/admin/users")
async def add_user(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    signed: UsersPage,
    fields: Annotated[UserFields, Form()],
) -> Response:
    """Add an account; a refused field is shown beside it, with what was typed kept."""
    values = fields.values()
    del values["password"]
    role, site = fields.role, fields.site
    errors: dict[str, str] = {}
    if role not in {r.value for r in Role}:
        errors["role"] = CHOOSE_ROLE
    if site and site not in {s.value for s in Site}:
        errors["site"] = CHOOSE_SITE
    if not errors:
        try:
            await identity.add_user(
                session,
                username=fields.username,
                role=Role(role),
                password=fields.password,
                now=runtime.clock(),
                display_name=fields.display_name,
                site=Site(site) if site else None,
                enterprise_id=fields.enterprise_id,
                actor=signed.user.username,
                address=client_address(request),
            )
            await session.commit()
            return redirect(request, "/admin/users")
        except DomainError as exc:
            await session.rollback()
            errors[exc.field or "username"] = exc.message
    return await _users_page(
        request, session, runtime, status_code=422, errors=errors, values=values
    )


@router.post("/admin/users/{username}/active")
async def set_active(
    request: Request,
    username: str,
    session: SessionDep,
    runtime: RuntimeDep,
    signed: UsersPage,
    active: Annotated[str, Form()] = "",
) -> Response:
    """Disable (active=0) or enable (active=1) an account."""
    await identity.set_active(
        session,
        username=username,
        active=active == "1",
        now=runtime.clock(),
        actor=signed.user.username,
        address=client_address(request),
    )
    await session.commit()
    return redirect(request, "/admin/users")


@router.post("/admin/users/{username}/password")
async def reset_password(
    request: Request,
    username: str,
    session: SessionDep,
    runtime: RuntimeDep,
    signed: UsersPage,
    password: Annotated[str, Form()] = "",
) -> Response:
    """Give an account a new password (it also lifts a lockout)."""
    try:
        await identity.set_password(
            session,
            username=username,
            password=password,
            now=runtime.clock(),
            actor=signed.user.username,
            address=client_address(request),
        )
    except DomainError as exc:
        await session.rollback()
        return await _users_page(
            request, session, runtime, status_code=422, password_errors={username: exc.message}
        )
    await session.commit()
    return redirect(request, "/admin/users")


@router.get("/admin/audit")
async def audit(
    request: Request,
    session: SessionDep,
    _signed: AuditPage,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> Response:
    """The audit log, newest first."""
    entries, total = await identity.audit_log(session, limit=AUDIT_PAGE_SIZE, offset=offset)
    context = {"entries": entries, "total": total, "offset": offset, "page_size": AUDIT_PAGE_SIZE}
    return render(request, "admin/audit.html", context)
