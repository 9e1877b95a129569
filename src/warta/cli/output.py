"""Tables on a terminal fit its width; in a pipe or a file they print every value whole.

rich renders to a non-terminal at 80 columns (or ``$COLUMNS``) and cuts cells to fit
(``Gaze… tagg…``), which loses values a script or a log needs. :func:`print_table` measures the
table's natural width and, off a terminal, prints it at that width instead.
"""

from __future__ import annotations

from typing import Any

#: Widest line a table is measured for (a guard against runaway cells, far above any real table).
MAX_WIDTH = 100_000


def print_table(console: Any, table: Any) -> None:
    """Print ``table`` (any rich renderable) on ``console``, uncut when it is not a terminal."""
    from rich.console import Console
    from rich.measure import Measurement

    if console.is_terminal:
        console.print(table)
        return
    natural = Measurement.get(console, console.options.update_width(MAX_WIDTH), table).maximum
    if natural <= console.width:
        console.print(table)
        return
    wide = Console(file=console.file, width=natural, highlight=False, no_color=console.no_color, color_system=None)
    wide.print(table)
