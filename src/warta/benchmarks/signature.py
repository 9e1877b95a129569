"""Score signatures in the spirit of sacreBLEU's: everything that changes the numbers, in one string.

A signature is an ordered list of ``key:value`` fields joined by ``|``::

    task:ner|metric:span-f1|scheme:strict|avg:micro|boot:1000@seed12345|warta:1.0.0|data:1.0.0@abcdef123456

Two results are comparable only if their signatures agree on everything except the system. The
``data`` field is the release version and the first 12 hex digits of the SHA-256 of the release's
``manifest.json`` (:attr:`warta.release.Release.manifest_sha256`), which pins every gold file.
Fields that do not apply (a tokenizer for NER) are left out rather than written as ``none``.
"""

from __future__ import annotations

from dataclasses import dataclass

from warta.errors import InputError

#: Field order of the string form; unknown fields are rejected so that signatures stay comparable.
FIELD_ORDER = (
    "task",
    "metric",
    "scheme",
    "mode",
    "avg",
    "tok",
    "stem",
    "refs",
    "ent",
    "boot",
    "warta",
    "data",
)

HASH_DIGITS = 12


@dataclass(frozen=True)
class Signature:
    """An ordered mapping of signature fields; ``str()`` gives the sacreBLEU-style string."""

    fields: tuple[tuple[str, str], ...]

    def as_dict(self) -> dict[str, str]:
        return dict(self.fields)

    def __str__(self) -> str:
        return "|".join(f"{key}:{value}" for key, value in self.fields)

    @classmethod
    def parse(cls, text: str) -> Signature:
        fields: list[tuple[str, str]] = []
        for part in text.split("|"):
            key, sep, value = part.partition(":")
            if not sep or key not in FIELD_ORDER:
                raise InputError(f"not a warta signature field: {part!r} in {text!r}")
            fields.append((key, value))
        return cls(tuple(fields))


def make_signature(
    *,
    task: str,
    metric: str,
    warta_version: str,
    dataset_version: str,
    manifest_sha256: str,
    scheme: str | None = None,
    mode: str | None = None,
    avg: str | None = None,
    tokenizer: str | None = None,
    stemmer: str | None = None,
    references: str | None = None,
    entities: str | None = None,
    resamples: int | None = None,
    seed: int | None = None,
) -> Signature:
    """Build a signature; ``None`` fields are omitted. ``boot`` is ``<resamples>@seed<seed>``."""
    values: dict[str, str | None] = {
        "task": task,
        "metric": metric,
        "scheme": scheme,
        "mode": mode,
        "avg": avg,
        "tok": tokenizer,
        "stem": stemmer,
        "refs": references,
        "ent": entities,
        "boot": None if resamples is None else f"{resamples}@seed{seed}",
        "warta": warta_version,
        "data": f"{dataset_version}@{manifest_sha256[:HASH_DIGITS]}",
    }
    for key, value in values.items():
        if value is not None and ("|" in value or "\n" in value):
            raise InputError(f"signature field {key}={value!r} must not contain '|' or a newline")
    return Signature(tuple((k, v) for k in FIELD_ORDER if (v := values[k]) is not None))
