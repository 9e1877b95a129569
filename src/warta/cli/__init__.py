"""The ``warta`` command: a thin layer over the library.

Every subcommand parses arguments, calls one library function and renders its result. A
:class:`warta.errors.WartaError` becomes ``error: ...`` (and ``hint: ...``) on stderr with the error
class's exit code; no traceback reaches the user. Exit codes: 0 success, 1 generic failure or a
check that found problems, 2 bad input or usage, 3 release/gold inconsistency, 4 refusing to
overwrite, 5 unreachable service, 130 interrupted.
"""

from __future__ import annotations

import sys

import typer

from warta import __version__
from warta.cli.annotate import app as annotate_app
from warta.cli.bench import app as bench_app
from warta.cli.corpus import app as corpus_app
from warta.cli.demo import demo
from warta.cli.help import Group
from warta.errors import WartaError

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


def report_error(error: WartaError) -> int:
    typer.secho(f"error: {error.message}", err=True, fg="red")
    if error.hint:
        typer.echo(f"hint: {error.hint}", err=True)
    return error.exit_code


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns (and exits with) the exit code."""
    command = typer.main.get_command(app)
    try:
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
    else:
        code = result if isinstance(result, int) else 0
    if argv is None:
        sys.exit(code)
    return code
