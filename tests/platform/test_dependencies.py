"""Every dependency of every service route is async: FastAPI runs a plain `def` dependency
(or a class's __init__) in a worker thread, a hand-off there and back per dependency per
request, which the HTTP path cannot afford (the bench's HTTP arm)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
from enclave_shared.app import create_app
from enclave_shared.launcher import SERVICES, load_spec
from enclave_shared.settings import ServiceSettings
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute


def is_async_dependency(call: Callable[..., Any]) -> bool:
    """Awaited on the event loop by FastAPI: a coroutine or async generator function, or an
    instance whose __call__ is one (HTTPBearer). A class is called in a thread."""
    if inspect.isclass(call):
        return False
    for candidate in (call, getattr(call, "__call__", None)):  # noqa: B004
        if inspect.iscoroutinefunction(candidate) or inspect.isasyncgenfunction(candidate):
            return True
    return False


def _routes(routes: Iterable[BaseRoute]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        included = getattr(route, "original_router", None)  # an included router
        if included is not None:
            yield from _routes(included.routes)


def _sync_dependencies(dependant: Dependant) -> Iterator[str]:
    for sub in dependant.dependencies:
        if sub.call is not None and not is_async_dependency(sub.call):
            yield f"{sub.call.__module__}.{getattr(sub.call, '__qualname__', sub.call)}"
        yield from _sync_dependencies(sub)


@pytest.mark.parametrize("service", [name for name in SERVICES if name != "console"])
def test_every_dependency_of_every_route_is_async(service):
    app = create_app(load_spec(service), ServiceSettings(service=service))
    routes = list(_routes(app.routes))
    assert len(routes) > 5  # the service's routes were found, not only the platform's
    found = {
        f"{route.path}: {name}" for route in routes for name in _sync_dependencies(route.dependant)
    }
    assert not found, sorted(found)
