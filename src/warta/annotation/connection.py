"""Connecting to a Label Studio server, with failures turned into one-line :class:`ServiceError`\\ s.

The URL and API key come from ``--url`` / ``--api-key`` or ``LABEL_STUDIO_URL`` /
``LABEL_STUDIO_API_KEY``. The key lives only in memory: it is never written to a file, a log or an
error message (:func:`redact` scrubs it from anything the server or the HTTP stack says back).

Both kinds of Label Studio key work: a personal access token (a JWT, refreshed by the SDK) and a
legacy token (which 1.23 accepts only when the organisation allows it, e.g. a server started with
``LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN=true``).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from warta.errors import ServiceError

if TYPE_CHECKING:
    from label_studio_sdk import LabelStudio

URL_ENV = "LABEL_STUDIO_URL"
API_KEY_ENV = "LABEL_STUDIO_API_KEY"
DEFAULT_TIMEOUT = 300.0

_KEY_HINT = (
    f"copy the access token from Label Studio (Account & Settings) into {API_KEY_ENV} or --api-key; "
    "a legacy token also needs legacy tokens enabled for the organisation"
)


@dataclass(frozen=True)
class Connection:
    """Where the server is and how to authenticate. ``repr`` never shows the key."""

    url: str
    api_key: str = field(repr=False)
    timeout: float = DEFAULT_TIMEOUT

    def redact(self, message: str) -> str:
        return redact(message, self.api_key)


def redact(message: str, secret: str) -> str:
    return message.replace(secret, "<api-key>") if secret else message


def resolve(
    url: str | None = None, api_key: str | None = None, timeout: float = DEFAULT_TIMEOUT
) -> Connection:
    """The connection from explicit values, else the environment; missing values are errors."""
    url = (url or os.environ.get(URL_ENV) or "").strip()
    api_key = (api_key or os.environ.get(API_KEY_ENV) or "").strip()
    if not url:
        raise ServiceError(
            "no Label Studio URL given",
            hint=f"set {URL_ENV} (e.g. http://localhost:8080) or pass --url",
        )
    if not url.startswith(("http://", "https://")):
        raise ServiceError(
            f"Label Studio URL {url!r} is not an http(s) URL", hint=f"fix {URL_ENV} or --url"
        )
    if not api_key:
        raise ServiceError("no Label Studio API key given", hint=_KEY_HINT)
    return Connection(url=url.rstrip("/"), api_key=api_key, timeout=timeout)


@contextlib.contextmanager
def service_errors(connection: Connection, doing: str) -> Iterator[None]:
    """Turn SDK and HTTP failures inside the block into a :class:`ServiceError` for ``doing``."""
    import httpx
    from label_studio_sdk.core.api_error import ApiError

    try:
        yield
    except ApiError as exc:
        raise _api_error(connection, doing, exc) from None
    except (
        httpx.ConnectError,
        httpx.RemoteProtocolError,
        httpx.ReadError,
        httpx.WriteError,
    ) as exc:
        raise ServiceError(
            connection.redact(
                f"cannot reach Label Studio at {connection.url} while {doing} ({type(exc).__name__})"
            ),
            hint=f"start the server (label-studio start) or point {URL_ENV} / --url at it, then re-run",
        ) from None
    except httpx.TimeoutException:
        raise ServiceError(
            f"Label Studio at {connection.url} did not answer within {connection.timeout:g} s while {doing}",
            hint="check the server is healthy; for large projects use a smaller --batch-size",
        ) from None
    except httpx.HTTPError as exc:
        raise ServiceError(
            connection.redact(
                f"HTTP error talking to Label Studio at {connection.url} while {doing}: {exc}"
            ),
            hint="check the URL and that the server is healthy",
        ) from None


def _api_error(connection: Connection, doing: str, exc: Any) -> ServiceError:
    status = getattr(exc, "status_code", None)
    body = getattr(exc, "body", None)
    if status in (401, 403):
        return ServiceError(
            f"Label Studio at {connection.url} rejected the API key (HTTP {status}) while {doing}",
            hint=_KEY_HINT,
        )
    detail = _detail(body)
    return ServiceError(
        connection.redact(
            f"Label Studio at {connection.url} refused the request while {doing} (HTTP {status}): {detail}"
        ),
        hint="see the server's log for details",
    )


def _detail(body: Any) -> str:
    """The server's own explanation, in one line."""
    if isinstance(body, dict):
        errors = body.get("validation_errors")
        if errors:
            return "; ".join(
                f"{k}: {' '.join(map(str, v)) if isinstance(v, list) else v}"
                for k, v in errors.items()
            )
        return str(body.get("detail") or body)
    text = str(body) if body is not None else "no details"
    return " ".join(text.split())[:300]


def connect(connection: Connection) -> LabelStudio:
    """An SDK client for ``connection``, checked with one request so that a wrong URL or key fails here."""
    from label_studio_sdk import LabelStudio

    with service_errors(connection, "checking the connection"):
        client = LabelStudio(
            base_url=connection.url, api_key=connection.api_key, timeout=connection.timeout
        )
        client.users.whoami()
    return client


def wait_for_server(
    url: str | None = None, *, timeout: float = 60.0, interval: float = 0.5
) -> float:
    """Poll ``GET <url>/health`` until Label Studio answers ``{"status": "UP"}``; returns the seconds waited.

    For scripts that start the server and go on (its first start runs migrations for ~25 s).
    No API key is needed. Not answering within ``timeout`` is a :class:`ServiceError` (exit 5).
    """
    import time

    import httpx

    url = (url or os.environ.get(URL_ENV) or "").strip().rstrip("/")
    if not url:
        raise ServiceError(
            "no Label Studio URL given", hint=f"set {URL_ENV} (e.g. http://localhost:8080) or pass --url"
        )
    if not url.startswith(("http://", "https://")):
        raise ServiceError(f"Label Studio URL {url!r} is not an http(s) URL", hint=f"fix {URL_ENV} or --url")
    started = time.monotonic()
    last = "no answer"
    while True:
        try:
            response = httpx.get(f"{url}/health", timeout=min(5.0, max(timeout, 0.1)))
            if response.status_code == 200 and response.json().get("status") == "UP":
                return time.monotonic() - started
            last = f"HTTP {response.status_code}"
        except (httpx.HTTPError, ValueError, AttributeError) as exc:
            last = type(exc).__name__
        if time.monotonic() - started + interval > timeout:
            raise ServiceError(
                f"Label Studio at {url} did not answer within {timeout:g} s (last: {last})",
                hint="check that the server started (see its log file) and that the URL is right",
            )
        time.sleep(interval)
