"""The compiled parts of warta: the MinHash signature loop (``warta.corpus._minhash``) and the
scan for story terms (``warta.corpus._terms``).

Everything else is in ``pyproject.toml``. Both extensions are optional: where no C compiler is
found the build goes on without them, and ``warta.corpus.dedup`` and ``warta.corpus.stories``
compute the same values in Python and NumPy (slower).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "warta.corpus._minhash",
            sources=["src/warta/corpus/_minhash.c"],
            depends=["src/warta/corpus/_word.h"],
            extra_compile_args=["-O3"],
            optional=True,
        ),
        Extension(
            "warta.corpus._terms",
            sources=["src/warta/corpus/_terms.c"],
            depends=["src/warta/corpus/_word.h"],
            extra_compile_args=["-O3"],
            optional=True,
        ),
    ]
)
