"""Checks on the raw command line, made once in :func:`warta.cli.main` for every command.

A lone surrogate (what Python makes of bytes that are not UTF-8 in ``argv``, or a ``"\\ud800"``
passed in-process) cannot be written to a file or a terminal, and a NUL cannot be in a file name or
a label: both are refused as bad input (exit 2) before any command runs, naming the argument.
"""

from __future__ import annotations

from warta.errors import InputError
from warta.paths import describe


def check_arguments(args: list[str]) -> None:
    """Refuse any argument that holds a lone surrogate or a NUL."""
    for position, value in enumerate(args, start=1):
        if not isinstance(value, str):
            continue
        bad = "\x00" in value
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            bad = True
        if bad:
            before = args[position - 2] if position > 1 else ""
            name = f"the value of {before}" if before.startswith("-") else f"argument {position}"
            raise InputError(
                f"{name}, {describe(value)}, is not valid text "
                "(a lone surrogate, bytes that are not UTF-8, or a NUL)",
                hint="pass text options and paths as valid UTF-8 without NUL characters",
            )
