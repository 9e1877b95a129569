"""The compiled parts of warta: the MinHash signature loop (``warta.corpus._minhash``), the
scan for story terms (``warta.corpus._terms``) and the story links of a date window
(``warta.corpus._links``).

Everything else is in ``pyproject.toml``. The extensions are optional: where no C compiler is
found the build goes on without them, and ``warta.corpus.dedup`` and ``warta.corpus.stories``
compute the same values in Python and NumPy (slower).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            f"warta.corpus.{name}",
            sources=[f"src/warta/corpus/{name}.c"],
            depends=["src/warta/corpus/_word.h"],
            extra_compile_args=["-O3"],
            optional=True,
        )
        for name in ("_minhash", "_terms", "_links")
    ]
)
