"""Who may do what, route by route: every role × site (and no site) on every route of the
four services, the expected answer generated from the route's own rule (`Require`), not a
hand list. A route outside the rule answers 403 naming what was missing; a route inside it
never answers 403 for the role or the site (nor a 5xx, whatever the empty request)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any

import pytest
from enclave_shared import audit
from enclave_shared.app import ServiceSpec
from enclave_shared.auth import (
    READ_METHODS,
    SITE_EXEMPT,
    Require,
    Role,
    Site,
    current_principal,
)
from fastapi.routing import APIRoute

from services.assessment.main import SPEC as ASSESSMENT
from services.hotline.main import SPEC as HOTLINE
from services.incubation.main import SPEC as INCUBATION
from services.intake.main import SPEC as INTAKE
from tests.support import run_service

SPECS = [INCUBATION, INTAKE, HOTLINE, ASSESSMENT]
PUBLIC_PREFIXES = ("/open311", "/public")  # read by anyone, by the standard or the wall
PUBLIC = {("hotline", "/api/v1/categories")}  # the hotline's categories, as Open311 shows
AUTH_REFUSAL = re.compile(
    r"^(role \w+ may not do this|site \w+ may not write|the token names no site)"
)
SIGNED_IN = Require(frozenset(Role))  # a route for any signed-in caller (`CurrentUser`)
SAMPLES: dict[Any, str] = {int: "2021", datetime.date: "2021-05-01"}


def routes(spec: ServiceSpec) -> Iterator[APIRoute]:
    for router in [*spec.routers, audit.router]:
        for route in router.routes:
            if isinstance(route, APIRoute):
                yield route


def rule_of(route: APIRoute) -> Require | None:
    """The route's access rule, found in its dependency tree."""
    calls, pending = [], list(route.dependant.dependencies)
    while pending:
        dependency = pending.pop()
        calls.append(dependency.call)
        pending.extend(dependency.dependencies)
    rules = [call for call in calls if isinstance(call, Require)]
    if rules:
        return rules[0]
    return SIGNED_IN if current_principal in calls else None


def url_of(route: APIRoute) -> str:
    """The route's path with a well-typed value for each path parameter."""
    url = route.path
    for param in route.dependant.path_params:
        value = SAMPLES.get(param.field_info.annotation, "no-such-id")
        url = url.replace("{" + param.name + "}", value)
    return url


def admitted(rule: Require, spec: ServiceSpec, method: str, role: Role, site: Site | None) -> bool:
    reading = method in READ_METHODS
    if role not in rule.roles and not (role is Role.DISTRICT_LEADER and reading):
        return False
    return reading or not spec.sites or role in SITE_EXEMPT or site in spec.sites


def test_every_route_has_a_rule_or_is_public() -> None:
    unruled = [
        f"{spec.name} {route.path}"
        for spec in SPECS
        for route in routes(spec)
        if rule_of(route) is None
        and not route.path.startswith(PUBLIC_PREFIXES)
        and (spec.name, route.path) not in PUBLIC
    ]
    assert unruled == []


@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
async def test_each_role_and_site_on_each_route(make_settings: Any, spec: ServiceSpec) -> None:
    settings = await make_settings(spec.name, settings_class=spec.settings_class)
    wrong: list[str] = []
    checked = 0
    async with run_service(spec, settings) as svc:
        for route in routes(spec):
            rule = rule_of(route)
            if rule is None:
                continue
            url = url_of(route)
            for method in sorted(route.methods):
                for role in Role:
                    for site in [*Site, None]:
                        headers = svc.auth(role, sub="matrix-user", site=site)
                        answer = await svc.client.request(method, url, headers=headers)
                        checked += 1
                        detail = (
                            answer.json().get("detail", "") if answer.status_code == 403 else ""
                        )
                        refused = answer.status_code == 403 and bool(AUTH_REFUSAL.match(detail))
                        expected = not admitted(rule, spec, method, role, site)
                        if refused != expected or answer.status_code >= 500:
                            wrong.append(
                                f"{method} {url} as {role.value}@{site}: "
                                f"{answer.status_code} {detail!r} (refusal expected: {expected})"
                            )
    assert checked > 100
    assert wrong == []
