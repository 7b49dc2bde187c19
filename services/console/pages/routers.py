"""Every page router of the console, in the order they are mounted."""

from __future__ import annotations

from fastapi import APIRouter

from services.console.pages import (
    admin,
    assessment,
    auth,
    enclave,
    enterprise,
    home,
    hotline,
    intake,
)

ROUTERS: list[APIRouter] = [
    auth.router,
    home.router,
    enclave.router,
    intake.router,
    hotline.router,
    assessment.router,
    enterprise.router,
    admin.router,
]
