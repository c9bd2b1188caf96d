"""The one error type the services raise; the API exception handler turns it into JSON."""

from typing import Any


class ApplicationError(Exception):
    """A problem with the request that the client can fix: answered with a 4xx, never a 500."""

    status_code = 400
    default_code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, detail: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.detail = detail


class NotFound(ApplicationError):
    status_code = 404
    default_code = "not_found"


class Conflict(ApplicationError):
    """The write lost a race or contradicts the current state (a duplicate, a stale version)."""

    status_code = 409
    default_code = "conflict"


class PayloadTooLarge(ApplicationError):
    status_code = 413
    default_code = "too_large"


class PermissionDenied(ApplicationError):
    status_code = 403
    default_code = "permission_denied"
