"""warta: an annotated corpus of Indonesian news and the toolkit that builds, annotates and scores it.

Data flows one way: raw files -> :class:`warta.article.Article` -> release (a Hugging Face dataset
folder) -> Label Studio -> annotation records -> gold -> labeled release -> scores -> leaderboard.
The package root holds what several stages share (data classes, the label schema, release reading);
the stages live in :mod:`warta.corpus`, :mod:`warta.annotation` and :mod:`warta.benchmarks`, and
none of them imports another.
"""

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("warta")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"

__all__ = ["__version__"]
