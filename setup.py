"""The one compiled part of warta: the MinHash signature loop (``warta.corpus._minhash``).

Everything else is in ``pyproject.toml``. The extension is optional: where no C compiler is found
the build goes on without it, and ``warta.corpus.dedup`` computes the same values with NumPy
(slower).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "warta.corpus._minhash",
            sources=["src/warta/corpus/_minhash.c"],
            extra_compile_args=["-O3"],
            optional=True,
        )
    ]
)
