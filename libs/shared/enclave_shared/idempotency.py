"""`Idempotency-Key` on POST (IETF httpapi draft): a retry returns the first answer and
creates nothing again.

The key is recorded in the same transaction as the state change the request made (the
session's commit writes it, as it writes the outbox), so a request is never applied twice:
a retry finds the key, and two requests racing with one key cannot both commit. The answer
is kept beside the key once sent. A request that changed nothing (refused, say) leaves no
key, and its retry is simply run again. Keys are per caller (the token's role and subject)
and live 24 hours; the same key with another request is a 422.
"""

from __future__ import annotations

import hashlib
import json
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from sqlalchemy import event as sa_event
from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from enclave_shared.auth import decode_token
from enclave_shared.db import SQLITE_BEGIN, IdempotentRequest, utcnow
from enclave_shared.outbox import OutboxSyncSession
from enclave_shared.problems import send_problem

KEY_HEADER = "idempotency-key"
REPLAYED_HEADER = "idempotent-replayed"
LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 200
_KEPT_HEADERS = ("location", "x-total-count")


@dataclass
class _Claim:
    caller: str
    key: str
    fingerprint: str
    staged: bool = False  # written by a commit in progress
    written: bool = False  # committed with the state change


_claim: ContextVar[_Claim | None] = ContextVar("idempotency_claim", default=None)


@sa_event.listens_for(OutboxSyncSession, "before_commit")
def _write_key(session: OutboxSyncSession) -> None:
    claim = _claim.get()
    if claim is None or claim.written or claim.staged or session.in_nested_transaction():
        return
    session.execute(
        insert(IdempotentRequest).values(
            caller=claim.caller, key=claim.key, fingerprint=claim.fingerprint, created_at=utcnow()
        )
    )
    claim.staged = True


@sa_event.listens_for(OutboxSyncSession, "after_commit")
def _key_written(session: OutboxSyncSession) -> None:
    claim = _claim.get()
    if claim is not None and claim.staged:
        claim.staged, claim.written = False, True


@sa_event.listens_for(OutboxSyncSession, "after_rollback")
def _key_dropped(session: OutboxSyncSession) -> None:
    claim = _claim.get()
    if claim is not None:
        claim.staged = False


class Idempotency:
    """Plain ASGI middleware for POSTs that carry an Idempotency-Key."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        key = headers.get(KEY_HEADER)
        if key is None:
            await self.app(scope, receive, send)
            return
        if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
            await send_problem(send, 422, f"Idempotency-Key has 1 to {MAX_KEY_LENGTH} characters")
            return
        state = scope["app"].state
        caller = _caller(headers, state.jwt_public_key)
        if caller is None:  # no valid token: the route refuses it, nothing is kept
            await self.app(scope, receive, send)
            return
        try:
            body = await _whole_body(receive)
        except HTTPException as exc:  # the body limit (http.py), met while reading it here
            await send_problem(send, exc.status_code, str(exc.detail))
            return
        fingerprint = _fingerprint(scope, body)
        engine: AsyncEngine = state.runtime.engine
        if await _answer_kept(engine, send, caller, key, fingerprint):
            return
        claim = _Claim(caller, key, fingerprint)
        token = _claim.set(claim)
        response = _Buffered()
        try:
            await self.app(scope, _replaying(body), response.send)
        finally:
            _claim.reset(token)
        if not claim.written and await _answer_kept(engine, send, caller, key, fingerprint):
            return  # another request with this key committed first: its answer, not ours
        if claim.written and response.status < 500:
            await _keep(engine, claim, response)
        await response.flush(send)


class _Buffered:
    """The app's answer held back until the key is settled (POST answers are small)."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.status = 500
        self.headers: list[tuple[bytes, bytes]] = []
        self.body = b""

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            self.body += message.get("body", b"")
        self.messages.append(message)

    async def flush(self, send: Send) -> None:
        for message in self.messages:
            await send(message)


def _caller(headers: Headers, public_key: str) -> str | None:
    scheme, _, credentials = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credentials:
        return None
    try:
        principal = decode_token(public_key, credentials)
    except jwt.InvalidTokenError:
        return None
    return f"{principal.role.value}:{principal.sub or ''}"


async def _whole_body(receive: Receive) -> bytes:
    body = b""
    while True:
        message = await receive()
        body += bytes(message.get("body", b""))
        if not message.get("more_body", False):
            return body


def _replaying(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def _fingerprint(scope: Scope, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (scope["method"].encode(), scope["path"].encode(), scope["query_string"], body):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


async def _answer_kept(
    engine: AsyncEngine, send: Send, caller: str, key: str, fingerprint: str
) -> bool:
    """Answer from what the key holds, if it holds anything; False if the key is new."""
    async with engine.connect() as conn:
        await conn.execution_options(**{SQLITE_BEGIN: "BEGIN"})  # a read: no write lock
        row = (
            await conn.execute(
                select(IdempotentRequest).where(
                    IdempotentRequest.caller == caller,
                    IdempotentRequest.key == key,
                    IdempotentRequest.created_at > utcnow() - LIFETIME,
                )
            )
        ).first()
    if row is None:
        return False
    if row.fingerprint != fingerprint:
        await send_problem(send, 422, "this Idempotency-Key was used with another request")
    elif row.status is None:
        await send_problem(
            send,
            409,
            "a request with this Idempotency-Key was applied but its answer is not kept yet "
            "(it is still running, or the service stopped before answering): look it up",
        )
    else:
        kept = [(k.encode(), v.encode()) for k, v in json.loads(row.headers or "{}").items()]
        await send(
            {
                "type": "http.response.start",
                "status": row.status,
                "headers": [
                    (b"content-type", (row.content_type or "application/json").encode()),
                    (REPLAYED_HEADER.encode(), b"true"),
                    *kept,
                ],
            }
        )
        await send({"type": "http.response.body", "body": row.body or b""})
    return True


async def _keep(engine: AsyncEngine, claim: _Claim, response: _Buffered) -> None:
    headers = {k.decode(): v.decode() for k, v in response.headers}
    kept = {name: headers[name] for name in _KEPT_HEADERS if name in headers}
    async with engine.begin() as conn:
        await conn.execute(
            update(IdempotentRequest)
            .where(IdempotentRequest.caller == claim.caller, IdempotentRequest.key == claim.key)
            .values(
                status=response.status,
                content_type=headers.get("content-type"),
                headers=json.dumps(kept),
                body=response.body,
            )
        )


def expired_before(now: datetime) -> datetime:
    """Keys created before this are forgotten (and pruned)."""
    return now - LIFETIME
