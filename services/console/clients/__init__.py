"""One small typed client per service, called with the signed-in user's token.

A service that cannot be reached raises ServiceUnavailable (the page shows a banner naming
it; other parts of the page keep working). A 4xx naming a `field` raises FieldError (the
form shows it beside that field); any other refusal raises ServiceRefused.

Each service's client and the shapes it reads live in a module of their own
(`clients/<service>.py`); the errors, `gather` and `Services` are here and in base.py."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from services.console.clients.assessment import AssessmentClient
from services.console.clients.base import (
    FieldError,
    Gathered,
    ServiceClient,
    ServiceError,
    ServiceRefused,
    ServiceUnavailable,
    gather,
)
from services.console.clients.hotline import HotlineClient
from services.console.clients.incubation import IncubationClient
from services.console.clients.intake import IntakeClient

__all__ = [
    "AssessmentClient",
    "FieldError",
    "Gathered",
    "HotlineClient",
    "IncubationClient",
    "IntakeClient",
    "ServiceClient",
    "ServiceError",
    "ServiceRefused",
    "ServiceUnavailable",
    "Services",
    "gather",
]


@dataclass
class Services:
    """The four clients, for one signed-in user."""

    incubation: IncubationClient
    intake: IntakeClient
    hotline: HotlineClient
    assessment: AssessmentClient

    @classmethod
    def for_token(cls, http: httpx.AsyncClient, urls: Mapping[str, str], token: str) -> Services:
        """The clients, calling each service's base URL with this token."""
        return cls(
            incubation=IncubationClient(http, urls["incubation"], token),
            intake=IntakeClient(http, urls["intake"], token),
            hotline=HotlineClient(http, urls["hotline"], token),
            assessment=AssessmentClient(http, urls["assessment"], token),
        )
