"""Stable pseudonyms for annotators, so records and gold never carry an email address.

A pseudonym is ``"ann-"`` + the first 8 hex digits of HMAC-SHA256(key, normalised email). Chosen
over a stored email -> pseudonym table because there is nothing to leak or to keep in sync: the
same key always gives the same pseudonym, and without the key a pseudonym cannot be tested against
a guessed email (a plain hash could). A curator who holds the key and knows the team's emails can
still tell who is who (:func:`Pseudonymizer.table`).

The key is a private file kept outside the repository and every release: by default
``$XDG_CONFIG_HOME/warta/pseudonym.key`` (``~/.config/warta/pseudonym.key``), or the path in
``WARTA_PSEUDONYM_KEY_FILE`` / ``--key-file``. It is created (32 random bytes, mode 0600) on first
use; share it among the curators of one project to get the same pseudonyms everywhere, and keep it:
a new key gives every annotator a new pseudonym.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from warta.errors import InputError
from warta.inputs import read_bytes

KEY_FILE_ENV = "WARTA_PSEUDONYM_KEY_FILE"
PREFIX = "ann-"
DIGITS = 8


def default_key_path() -> Path:
    explicit = os.environ.get(KEY_FILE_ENV)
    if explicit:
        return Path(explicit)
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "warta" / "pseudonym.key"


def load_or_create_key(path: str | Path | None = None) -> bytes:
    """The key in ``path`` (default: :func:`default_key_path`), created with mode 0600 if absent."""
    source = Path(path) if path is not None else default_key_path()
    if not os.path.lexists(source):
        source.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(source, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32) + "\n")
    hint = f"give --key-file (or {KEY_FILE_ENV}) the path of the key file the curators share"
    data = read_bytes(source, max_bytes=4096, what="pseudonym key file")
    try:
        key = bytes.fromhex(data.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        raise InputError(f"{source}: not a warta pseudonym key (expected hex digits)", hint=hint) from None
    if len(key) < 16:
        raise InputError(f"{source}: pseudonym key too short ({len(key)} bytes, need at least 16)")
    return key


def normalise_identity(identity: str) -> str:
    return identity.strip().lower()


class Pseudonymizer:
    """Maps an annotator's identity (email) to a pseudonym; remembers what it has seen to detect collisions."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._seen: dict[str, str] = {}

    def __call__(self, identity: str) -> str:
        normal = normalise_identity(identity)
        digest = hmac.new(self._key, normal.encode("utf-8"), hashlib.sha256).hexdigest()
        pseudonym = PREFIX + digest[:DIGITS]
        other = self._seen.setdefault(pseudonym, normal)
        if other != normal:
            raise InputError(
                f"two annotators share the pseudonym {pseudonym}",
                hint=f"create a new key file ({KEY_FILE_ENV}) and pull again",
            )
        return pseudonym

    def table(self, identities: Iterable[str]) -> dict[str, str]:
        """identity -> pseudonym, for a curator who must reach an annotator (never stored by warta)."""
        return {identity: self(identity) for identity in identities}
