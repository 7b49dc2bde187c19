"""The console's pages: one router module per area, each with its templates/<area>/ folder.

To add an area: a module here whose router is `page_router()` (it refuses any POST without
the CSRF token), its templates in templates/<area>/, its menu items in menu.py, and its
router in ROUTERS below."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from services.console.deps import csrf_protect


def page_router() -> APIRouter:
    """A router for console pages: HTML only, every state-changing request CSRF-checked."""
    return APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
