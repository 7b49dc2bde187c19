"""Every page router of the console, in the order they are mounted."""

from __future__ import annotations

from fastapi import APIRouter

from services.console.pages import admin, auth, home

ROUTERS: list[APIRouter] = [auth.router, home.router, admin.router]
