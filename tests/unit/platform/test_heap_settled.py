"""Once a service has started, the heap that lives as long as the process is set aside from
the collector (enclave_shared.http.RequestContext on the lifespan)."""

from __future__ import annotations

import gc

from enclave_shared.http import RequestContext
from fastapi import FastAPI


async def test_startup_freezes_the_heap_and_raises_the_young_threshold():
    app = RequestContext(FastAPI(), service="sample", max_body_bytes=1024)
    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    sent: list[str] = []

    async def receive():
        return next(messages)

    async def send(message):
        sent.append(message["type"])

    try:
        await app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send)
        assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == 10_000
    finally:
        gc.unfreeze()  # the rest of the suite collects as before
