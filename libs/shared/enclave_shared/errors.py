"""The platform's errors: business rules refused, mapped to HTTP in one place (app.py), and
events a handler refuses (dead-lettered by the consumer)."""

from collections.abc import Mapping


class DomainError(Exception):
    """A request or event that breaks a business rule; `status` is its HTTP status."""

    status = 400

    def __init__(
        self, message: str, *, field: str | None = None, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.headers = dict(headers or {})


class Unauthorized(DomainError):
    """No valid credentials: no token, a bad signature, expired."""

    status = 401

    def __init__(self, message: str) -> None:
        super().__init__(message, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(DomainError):
    """The caller is known, but its role may not do this."""

    status = 403


class NotFound(DomainError):
    """The thing named does not exist (or the caller may not see it)."""

    status = 404


class Conflict(DomainError):
    """The move is not allowed from the current state (wrong stage, frozen, duplicate)."""

    status = 409


class Invalid(DomainError):
    """The input is well-formed but breaks a rule (dates backwards, weights not summing)."""

    status = 422


class EventRefused(Exception):
    """An event handler refuses an event it cannot apply (it is dead-lettered with this
    message); a DomainError raised by a handler is refused the same way."""
