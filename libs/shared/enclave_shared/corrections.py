"""Corrections and voiding: every record staff enter can be corrected (`PATCH`, the changed
fields only, with a reason) or voided (`DELETE`, with a reason). Nothing is hard-deleted: a
void record stays, marked, out of lists and figures unless asked for (`?include_void=true`).

A service's table takes the `Voidable` columns; its `XCorrection` body subclasses
`Correction`; its handler calls `correct(row, body, what)` for the (before, after) of the
fields that changed, or `void(row, reason, now, what)`, and records the record's
`….corrected.v1` / `….voided.v1` event (payload bases `Corrected` and `Voided` in
`enclave_shared.events`) in the same transaction:

    before, after = correct(talent, body, "talent")
    session.record(
        TalentCorrected(talent_id=talent.id, reason=body.reason, before=before, after=after)
    )

A kind of record whose correction and voiding need nothing else is described once as a
`Correctable` (how to find the row, its events, its rules); `correct_record` and
`void_record` are then its handlers, and `correction_routes` adds its `PATCH` and `DELETE`
routes to a router, and its `GET` of one record too where the kind says how a read finds
its row (`read`) and the call names the readers' role (`reader`).
"""

# No `from __future__ import annotations` here: `correction_routes` builds its endpoints'
# signatures from the types it is given, which FastAPI must read as objects, not strings.

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Annotated, Any, ClassVar, Generic, TypeVar

from fastapi import APIRouter, Body, Depends, Query
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import to_jsonable_python
from sqlalchemy import ColumnElement, Index, Text, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from enclave_shared.db import UTCDateTime
from enclave_shared.deps import ClockDep, SessionDep
from enclave_shared.deps import IncludeVoid as IncludeVoid  # re-exported for older imports
from enclave_shared.errors import Conflict, Invalid
from enclave_shared.events import Corrected, Voided
from enclave_shared.outbox import OutboxSession

Reason = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
    Field(description="why: kept with the change, in its event and the audit trail"),
]


class Voidable:
    """Columns of a record that can be voided: when and why (both empty while it stands)."""

    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, default=None)
    void_reason: Mapped[str | None] = mapped_column(Text, nullable=True, default=None)


def standing(model: Any, include_void: bool = False) -> list[ColumnElement[bool]]:
    """WHERE clauses keeping a list or a figure to records not voided (none with
    `include_void`): every list and count of a voidable table applies them."""
    return [] if include_void else [model.voided_at.is_(None)]


def standing_once(name: str, *columns: str) -> Index:
    """A unique index over the standing rows only (voided_at IS NULL, on SQLite and
    PostgreSQL alike): what a handler checks before a write, held by the database when two
    writes pass that check at the same time; a voided row frees its values again."""
    where = text("voided_at IS NULL")
    return Index(name, *columns, unique=True, sqlite_where=where, postgresql_where=where)


@asynccontextmanager
async def held(session: OutboxSession, index: Index, conflict: Conflict) -> AsyncIterator[None]:
    """Run a handler's check and its write inside, then write them to the database at once:
    a concurrent request's row holding `index` (a `standing_once`) is answered with
    `conflict`, the check's own 409 naming its field."""
    try:
        yield
        await session.flush()
    except IntegrityError as exc:
        if not _breaks(exc, index):
            raise
        raise conflict from None


def _breaks(exc: IntegrityError, index: Index) -> bool:
    # PostgreSQL names the index it refused the write for, SQLite the index's columns.
    message = str(exc.orig)
    columns = ", ".join(f"{index.table.name}.{column.name}" for column in index.columns)  # type: ignore[union-attr]
    return f'"{index.name}"' in message or message.endswith(f"UNIQUE constraint failed: {columns}")


class Correction(BaseModel):
    """Base of a `PATCH` body: the fields to correct (each optional) and a reason.

    A field left out is not touched; a field given as null is cleared, for the fields
    named in `nullable` only (others answer 422)."""

    model_config = ConfigDict(extra="forbid")

    nullable: ClassVar[frozenset[str]] = frozenset()

    reason: Reason

    @model_validator(mode="after")
    def _not_cleared(self) -> "Correction":
        for name in self.model_fields_set - {"reason"} - self.nullable:
            if getattr(self, name) is None:
                raise ValueError(f"{name} cannot be cleared, only corrected")
        return self

    def changes(self) -> dict[str, Any]:
        """The fields given, by name (the reason apart)."""
        given = {name: getattr(self, name) for name in self.model_fields_set - {"reason"}}
        if not given:
            raise Invalid("name at least one field to correct besides the reason")
        return given


def ensure_standing(row: Voidable, what: str) -> None:
    """409 for a change to a void record."""
    if row.voided_at is not None:
        raise Conflict(f"{what} {getattr(row, 'id', '')} is void: {row.void_reason}".strip())


def correct(
    row: Voidable, correction: Correction, what: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Apply a correction to a row: the (before, after) of each field that changed, as JSON
    values for the event. 422 when nothing changes, 409 when the record is void. The
    handler checks its rules on the row afterwards (the session rolls back if they fail)."""
    ensure_standing(row, what)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, value in correction.changes().items():
        old = getattr(row, name)
        if old == value:
            continue
        before[name] = to_jsonable_python(old)
        after[name] = to_jsonable_python(value)
        if isinstance(value, Enum) and not isinstance(old, Enum):
            value = value.value  # a code kept in a text column stays a plain code
        setattr(row, name, value)
    if not after:
        raise Invalid(f"nothing to correct: the {what} already has these values")
    return before, after


def void(row: Voidable, reason: str, now: datetime, what: str) -> None:
    """Mark a record void: 422 without a reason, 409 if it already is void."""
    if not reason.strip():
        raise Invalid(
            'a reason is required to void a record (?reason=… or {"reason": …})', field="reason"
        )
    ensure_standing(row, what)
    row.voided_at = now
    row.void_reason = reason.strip()


class VoidBody(BaseModel):
    """The body of a `DELETE`: why the record is void."""

    model_config = ConfigDict(extra="forbid")

    reason: Reason


async def _void_reason(
    reason: Annotated[
        str | None,
        Query(min_length=1, max_length=500, description="why the record is void (or in the body)"),
    ] = None,
    body: Annotated[VoidBody | None, Body()] = None,
) -> str:
    # A missing reason is refused by `void`, once the route has checked who asks and
    # found the record: never a 422 before a 401, 403 or 404.
    if body is not None:
        return body.reason
    return (reason or "").strip()


VoidReason = Annotated[str, Depends(_void_reason)]


R = TypeVar("R", bound=Voidable)


@dataclass(frozen=True)
class Correctable(Generic[R]):
    """How one kind of record is corrected and voided.

    `load(session, id)` finds the row (locked where the service locks it) or raises 404;
    `read(session, id)`, where given, finds it for a read (unlocked, whatever its state) or
    raises the same 404; `precheck(row, body)` refuses a correction before anything
    changes; `check(session, row, after, context)` checks the record's rules on the
    corrected row (`context`: what the route's context dependency gave, e.g. the settings);
    `after_void(session, row)` is what else a void does."""

    what: str
    corrected: type[Corrected]
    voided: type[Voided]
    load: Callable[[OutboxSession, str], Awaitable[R]]
    precheck: Callable[[R, Correction], None] | None = None
    check: Callable[[OutboxSession, R, dict[str, Any], Any], Awaitable[None]] | None = None
    after_void: Callable[[OutboxSession, R], Awaitable[None]] | None = None
    read: Callable[[OutboxSession, str], Awaitable[R]] | None = None


def _subject(kind: Correctable[Any], row: Any) -> dict[str, Any]:
    return {kind.corrected.subject_field: row.id}


async def correct_record(
    session: OutboxSession, kind: Correctable[R], row: R, body: Correction, context: Any = None
) -> None:
    """Correct a row of the kind, check its rules and record its `….corrected.v1`."""
    if kind.precheck is not None:
        kind.precheck(row, body)
    before, after = correct(row, body, kind.what)
    if kind.check is not None:
        await kind.check(session, row, after, context)
    session.record(
        kind.corrected.model_validate(
            {**_subject(kind, row), "reason": body.reason, "before": before, "after": after}
        )
    )


async def void_record(
    session: OutboxSession, kind: Correctable[R], row: R, reason: str, now: datetime
) -> None:
    """Void a row of the kind and record its `….voided.v1` (and what else a void does)."""
    void(row, reason, now, kind.what)
    session.record(kind.voided.model_validate({**_subject(kind, row), "reason": reason}))
    if kind.after_void is not None:
        await kind.after_void(session, row)


def _endpoint(
    run: Callable[..., Awaitable[Any]], name: str, params: dict[str, Any], returns: Any
) -> Callable[..., Awaitable[Any]]:
    # An endpoint whose parameters (path parameter, body, dependencies) are the ones given:
    # FastAPI reads them from the signature.
    async def endpoint(**kwargs: Any) -> Any:
        return await run(**kwargs)

    endpoint.__name__ = endpoint.__qualname__ = name
    endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(key, inspect.Parameter.KEYWORD_ONLY, annotation=value)
            for key, value in params.items()
        ],
        return_annotation=returns,
    )
    return endpoint


def correction_routes(
    router: APIRouter,
    path: str,
    kind: Correctable[Any],
    *,
    name: str,
    body: type[Correction],
    public: type[BaseModel],
    user: Any,
    context: Any = None,
    docs: tuple[str, str],
    reader: Any = None,
    read_doc: str | None = None,
) -> None:
    """Add `PATCH path` (correct, `body`) and `DELETE path` (void, a reason) for a kind of
    record to a router, answering the row as `public`. `path` ends with the id's parameter
    (`/talents/{talent_id}`); `user` is the routes' role dependency; `context`, an optional
    dependency handed to the kind's `check`; `docs`, the two routes' descriptions.

    With `reader` (the readers' role dependency) and `read_doc` (its description), `GET
    path` comes first, `get_<name>`: one record as `public`, found by the kind's `read` —
    the route a module would otherwise write by hand, to the same operation."""
    param = path.rsplit("{", 1)[1].rstrip("}")
    if reader is not None:
        _read_route(router, path, param, kind, name=name, public=public, user=reader, doc=read_doc)

    async def correct_it(session: OutboxSession, **kwargs: Any) -> Any:
        row = await kind.load(session, kwargs[param])
        await correct_record(session, kind, row, kwargs["body"], kwargs.get("context"))
        await session.commit()
        return public.model_validate(row)

    async def void_it(session: OutboxSession, **kwargs: Any) -> Any:
        row = await kind.load(session, kwargs[param])
        await void_record(session, kind, row, kwargs["reason"], kwargs["clock"]())
        await session.commit()
        return public.model_validate(row)

    correcting: dict[str, Any] = {param: str, "body": body, "session": SessionDep}
    if context is not None:
        correcting["context"] = context
    correcting["_user"] = user
    voiding = {
        param: str,
        "reason": VoidReason,
        "session": SessionDep,
        "clock": ClockDep,
        "_user": user,
    }
    for method, verb, params, run, doc in (
        ("PATCH", "correct", correcting, correct_it, docs[0]),
        ("DELETE", "void", voiding, void_it, docs[1]),
    ):
        router.add_api_route(
            path,
            _endpoint(run, f"{verb}_{name}", params, public),
            methods=[method],
            response_model=public,
            description=doc,
        )


def _read_route(
    router: APIRouter,
    path: str,
    param: str,
    kind: Correctable[Any],
    *,
    name: str,
    public: type[BaseModel],
    user: Any,
    doc: str | None,
) -> None:
    # `GET path`: the record the kind's `read` finds, as `public`.
    read, what = kind.read, kind.what
    if read is None or not doc:
        raise TypeError(f"a GET of one {what} needs the kind's read and a read_doc")

    async def read_it(session: OutboxSession, **kwargs: Any) -> Any:
        return public.model_validate(await read(session, kwargs[param]))

    params = {param: str, "session": SessionDep, "_user": user}
    router.add_api_route(
        path,
        _endpoint(read_it, f"get_{name}", params, public),
        methods=["GET"],
        response_model=public,
        description=doc,
    )
