"""The ``warta`` command: a thin layer over the library.

Every subcommand parses arguments, calls one library function and renders its result. A
:class:`warta.errors.WartaError` becomes ``error: ...`` (and ``hint: ...``) on stderr with the error
class's exit code; no traceback reaches the user. Exit codes: 0 success, 1 generic failure or a
check that found problems, 2 bad input or usage, 3 release/gold inconsistency, 4 refusing to
overwrite, 5 unreachable service, 70 internal error (a bug: rerun with ``WARTA_DEBUG=1`` for the
traceback), 130 interrupted. An operating-system error (a read-only or full disk, a folder where a
file was expected) is one line naming the path, exit 1.
"""

from __future__ import annotations

import os
import sys
import traceback

import typer

from warta import __version__
from warta.cli.annotate import app as annotate_app
from warta.cli.arguments import check_arguments
from warta.cli.bench import app as bench_app
from warta.cli.corpus import app as corpus_app
from warta.cli.demo import demo
from warta.cli.help import Group
from warta.errors import WartaError
from warta.memory import prefer_lean_pool

app = typer.Typer(
    cls=Group,
    name="warta",
    help="Annotated Indonesian news: build the corpus, annotate it in Label Studio, score systems on it.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(corpus_app, name="corpus")
app.add_typer(annotate_app, name="annotate")
app.add_typer(bench_app, name="bench")
app.command("demo")(demo)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"warta {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """Annotated Indonesian news: corpus, annotation and benchmarks."""


INTERNAL_ERROR = 70


def report_error(error: WartaError) -> int:
    typer.secho(f"error: {_printable(error.message)}", err=True, fg="red")
    if error.hint:
        typer.echo(f"hint: {_printable(error.hint)}", err=True)
    return error.exit_code


def _printable(text: str) -> str:
    """Messages quote user input: keep control characters and lone surrogates from reaching the terminal."""
    safe = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return "".join(ch if ch.isprintable() or ch == "\t" else ch.encode("unicode_escape").decode("ascii") for ch in safe)


def report_os_error(error: OSError) -> int:
    where = error.filename if error.filename is not None else "a file"
    reason = error.strerror or type(error).__name__
    typer.secho(f"error: {_printable(str(where))}: {_printable(reason)}", err=True, fg="red")
    if error.filename2 is not None:
        typer.echo(f"hint: while working on {_printable(str(error.filename2))}", err=True)
    else:
        typer.echo("hint: check that the path exists, is of the right kind, is writable and its disk is not full", err=True)
    return 1


def report_internal(error: BaseException, argv: list[str]) -> int:
    """The safety net: a bug is one line and exit 70, with the traceback one variable away."""
    command = " ".join(a for a in argv[:2] if not a.startswith("-")) or "warta"
    if _debug():
        traceback.print_exception(error)
    message = str(error).splitlines()[0][:200] if str(error) else ""
    typer.secho(
        f"error: internal error in {_printable(command)}: {type(error).__name__}: {_printable(message)}", err=True, fg="red"
    )
    typer.echo("hint: this is a bug in warta; rerun with WARTA_DEBUG=1 for the traceback and report it", err=True)
    return INTERNAL_ERROR


def _debug() -> bool:
    return os.environ.get("WARTA_DEBUG", "").lower() in {"1", "true", "yes"}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns (and exits with) the exit code."""
    prefer_lean_pool()  # before anything loads pyarrow
    command = typer.main.get_command(app)
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        check_arguments(args)
        result = command.main(args=argv, prog_name="warta", standalone_mode=False)
    except WartaError as error:
        code = report_error(error)
    except typer.Abort:
        typer.echo("interrupted", err=True)
        code = 130
    except typer.TyperException as error:  # usage errors from the command-line parser
        if hasattr(error, "show"):
            error.show()
        else:
            typer.echo(f"error: {error}", err=True)
        code = error.exit_code
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        code = 130
    except OSError as error:
        if _debug():
            traceback.print_exception(error)
        code = report_os_error(error)
    except Exception as error:  # noqa: BLE001 - the safety net; every known class has its own message
        code = report_internal(error, args)
    else:
        code = result if isinstance(result, int) else 0
    if argv is None:
        sys.exit(code)
    return code
