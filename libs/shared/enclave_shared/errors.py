"""Business-rule errors, raised by handlers and mapped to HTTP in one place (app.py)."""


class DomainError(Exception):
    """A request or event that breaks a business rule; `status` is its HTTP status."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The thing named does not exist (or the caller may not see it)."""

    status = 404


class Conflict(DomainError):
    """The move is not allowed from the current state (wrong stage, frozen, duplicate)."""

    status = 409


class Invalid(DomainError):
    """The input is well-formed but breaks a rule (dates backwards, weights not summing)."""

    status = 422


class Forbidden(DomainError):
    """The caller's role may not do this."""

    status = 403
