"""Outbox and inbox rows are pruned once old: the topics hold the history.

An outbox row is kept until published and then for the retention; an inbox row for the
retention (an event re-delivered later than that would no longer be recognised, so the
retention is far longer than any redelivery: a rebalance, a restart, a replay). The
embedded profile keeps every row: its broker forgets, and the outbox then sends the whole
history again, which only the inbox makes safe.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

from enclave_shared.db import IdempotentRequest, InboxEvent, OutboxEvent
from enclave_shared.idempotency import expired_before

log = logging.getLogger(__name__)

PRUNE_EVERY_S = 3600.0


async def prune(engine: AsyncEngine, *, now: datetime, keep_days: int) -> tuple[int, int]:
    """Delete published outbox rows and inbox rows older than `keep_days` (none when it is
    0) and idempotency keys past their lifetime; return how many outbox and inbox rows
    were deleted."""
    cutoff = now - timedelta(days=keep_days)
    async with engine.begin() as conn:
        await conn.execute(
            delete(IdempotentRequest).where(IdempotentRequest.created_at < expired_before(now))
        )
        if keep_days <= 0:
            return 0, 0
        outbox = await conn.execute(
            delete(OutboxEvent).where(
                OutboxEvent.published_at.is_not(None), OutboxEvent.published_at < cutoff
            )
        )
        inbox = await conn.execute(delete(InboxEvent).where(InboxEvent.processed_at < cutoff))
    counts = (int(outbox.rowcount or 0), int(inbox.rowcount or 0))
    if any(counts):
        log.info("pruned %d outbox and %d inbox rows older than %s", *counts, cutoff.date())
    return counts
