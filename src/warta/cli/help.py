"""How ``--help`` reads: click-style names (``PATH``, ``TEXT``), no value shown for a flag, and
docstrings re-flowed so a paragraph wraps at the terminal's width, not where the source broke it.

Every ``typer.Typer`` of the CLI is created with ``cls=Group``. When typer builds the click
command tree, :class:`Group` gives its commands and their parameters the small subclasses below
(methods only, no state), so the help of every command, at any depth, renders the same way.
"""

from __future__ import annotations

import inspect
from typing import Any, get_args

from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

#: Click's names for the types the CLI uses; anything else shows its own name in capitals.
_TYPE_NAMES = {"str": "TEXT", "int": "INTEGER", "float": "FLOAT", "Path": "PATH", "bool": "BOOLEAN"}


def reflow(text: str | None) -> str | None:
    """``text`` with each paragraph on one line (rich wraps it), paragraphs kept apart."""
    if not text:
        return text
    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(" ".join(p.split()) if not p.startswith("\b") else p for p in paragraphs)


def _type_name(param: TyperArgument | TyperOption) -> str:
    descriptor = param.type_descriptor
    if descriptor.is_choice and descriptor.choices:
        return "[" + "|".join(str(getattr(c, "value", c)) for c in descriptor.choices) + "]"
    annotation = descriptor.annotation
    if descriptor.is_list and get_args(annotation):
        annotation = get_args(annotation)[0]
    name = getattr(annotation, "__name__", str(annotation))
    if descriptor.is_path:
        name = "Path"
    return _TYPE_NAMES.get(name, name.upper())


class Option(TyperOption):
    """A flag shows no value; an option shows click's type name (``INTEGER``, not ``<int range>``)."""

    def display_type_rich(self, ctx: Any) -> str | None:
        if self.is_flag or self.count:
            return None
        if self.metavar is not None:
            return self.metavar
        name = _type_name(self)
        return f"{name}..." if self.nargs != 1 or self.multiple else name

    def _get_number_range_help_str(self) -> str | None:
        return None  # said in the help text instead (see _tidy_params): the type column stays narrow


class Argument(TyperArgument):
    """A positional argument reads ``PATH`` in the usage line and in errors, as in click."""

    @property
    def display_name_raw(self) -> str:
        return self.metavar if self.metavar is not None else (self.name or "").upper()

    def _usage_display_name(self) -> str:
        name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
        return name + ("..." if self.nargs != 1 else "")

    def display_type_rich(self, ctx: Any) -> str | None:
        return None  # the name already says it (PATH, OLD, NEW)


def _tidy_params(command: Any) -> None:
    for param in command.params:
        if type(param) is TyperOption:
            bounds = param._get_number_range_help_str()
            param.__class__ = Option
            if bounds:
                param.help = f"{param.help or ''} [{bounds}]".strip()
        elif type(param) is TyperArgument:
            param.__class__ = Argument


class Command(TyperCommand):
    """A command whose help option is a flag without a value."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None and type(option) is TyperOption:
            option.__class__ = Option
        return option


class Group(TyperGroup):
    """A command group that tidies its own help and that of the commands it holds."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.help = reflow(self.help)
        _tidy_params(self)
        for command in self.commands.values():
            if type(command) is TyperCommand:
                command.__class__ = Command
            if isinstance(command, (Command, Group)):
                command.help = reflow(command.help)
                _tidy_params(command)

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None and type(option) is TyperOption:
            option.__class__ = Option
        return option
