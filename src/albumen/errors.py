"""One exception hierarchy: every error a user can cause maps to a code and an HTTP status."""

from __future__ import annotations

from typing import Any


class AlbumenError(Exception):
    code = "error"
    status_code = 500

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}

    def to_dict(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class NotFound(AlbumenError):
    code = "not_found"
    status_code = 404


class StoredFileMissing(NotFound):
    """A file the database refers to is not in storage (lost in a crash, a partial restore,
    or removed by hand): named, never answered with a bare server error."""

    code = "file_missing"


class InvalidInput(AlbumenError):
    code = "invalid_input"
    status_code = 422


class OverLimit(AlbumenError):
    """A request asks for more than the configured limits allow (the limit is named)."""

    code = "over_limit"
    status_code = 400


class Conflict(AlbumenError):
    code = "conflict"
    status_code = 409


class Unauthorized(AlbumenError):
    """No valid credentials (log in, or send a bearer token or API key)."""

    code = "unauthorized"
    status_code = 401


class Cancelled(AlbumenError):
    """Work stopped because someone cancelled it (a video's web copy)."""

    code = "cancelled"
    status_code = 409


class Forbidden(AlbumenError):
    code = "forbidden"
    status_code = 403


class RateLimited(AlbumenError):
    code = "rate_limited"
    status_code = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, details={"retry_after": retry_after})
        self.retry_after = retry_after


class QuotaExceeded(AlbumenError):
    code = "quota_exceeded"
    status_code = 413


class RejectedFile(InvalidInput):
    """An upload or import that albumen will not store (wrong type, empty, too big, bomb…)."""

    code = "rejected_file"


class UnsupportedMediaType(RejectedFile):
    code = "unsupported_media_type"
    status_code = 415


class TooLarge(RejectedFile):
    code = "too_large"
    status_code = 413


class MediaDecodeError(AlbumenError):
    """A stored file that cannot be processed; recorded on the asset, never retried blindly."""

    code = "decode_failed"
    status_code = 422


class ServiceUnavailable(AlbumenError):
    code = "unavailable"
    status_code = 503
