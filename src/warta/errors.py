"""One exception family for everything a user can get wrong.

The CLI turns a :class:`WartaError` into one line (``error: <message>``, then ``hint: <hint>``) and
the exit code of its class, never a traceback. Library callers catch the class they care about.
"""

from __future__ import annotations


class WartaError(Exception):
    """Base class: a problem the user can fix. ``hint`` says how."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} ({self.hint})"


class InputError(WartaError):
    """A raw file, submission or annotation export that cannot be read as asked."""

    exit_code = 2


class SchemaError(WartaError):
    """The label schema (or another config file) is invalid."""

    exit_code = 2


class ReleaseError(WartaError):
    """A release folder is missing, incomplete, tampered with or inconsistent."""

    exit_code = 3


class GoldError(WartaError):
    """Gold annotations do not match the text they are anchored to."""

    exit_code = 3


class OutputExistsError(WartaError):
    """A write would overwrite a release, gold file or non-empty folder."""

    exit_code = 4


class ServiceError(WartaError):
    """An external service (Label Studio, the Hub) is unreachable or refused the request."""

    exit_code = 5
