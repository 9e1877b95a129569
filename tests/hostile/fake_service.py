"""A tiny HTTP server on 127.0.0.1 that gives one fixed answer to every request, counting them.

Stands in for a broken or hostile Label Studio: the answer is the same bytes for every path and
method, so a client that pages by itself can be shown to stop.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class FakeService:
    url: str
    requests: list[str] = field(default_factory=list)


@contextmanager
def fake_service(answer: Any, *, status: int = 200) -> Iterator[FakeService]:
    body = answer if isinstance(answer, bytes) else json.dumps(answer).encode("utf-8")
    service = FakeService(url="")

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            service.requests.append(f"{self.command} {self.path}")
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _answer

        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    service.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
