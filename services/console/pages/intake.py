"""The console's intake pages (being built: see menu.py for the pages this area owes)."""

from __future__ import annotations

from services.console.pages import page_router

router = page_router()
