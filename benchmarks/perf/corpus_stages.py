"""Where the corpus build spends its CPU per article: each per-article step timed alone.

Usage::

    .venv/bin/python benchmarks/perf/corpus_stages.py --n 4000

Generates N synthetic scrapes (:func:`warta.corpus.synthetic.generate`, or reuses ``--raw``), then
times, on the same articles, each step of pass 1 of ``warta corpus build`` (read, clean, story
terms, exact key, MinHash signature, documents row) and the Parquet encoding of the release rows at
the writer settings of :mod:`warta.corpus.parquet`. CPU time (process time), best of ``--repeat``
runs, in µs per article, and each step's share of the sum; then the compiled steps against the
code they replaced (the MinHash signature against datasketch, story terms against the Python
path). This is the table to read before optimising: the end-to-end figure of ``corpus_scale.py``
is the sum of these plus the global plan and the spill.
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


def best_of(repeat: int, fn: Callable[[Any], Any], items: Sequence[Any]) -> float:
    """Best CPU seconds of ``repeat`` passes of ``fn`` over ``items``."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for item in items:
            fn(item)
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=4000, help="articles to generate (default 4000)")
    parser.add_argument("--raw", type=Path, help="reuse this folder of scrapes (generated if missing)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()

    import pyarrow as pa
    import pyarrow.parquet as pq

    from warta.corpus.build import document_row
    from warta.corpus.clean import clean
    from warta.corpus.fingerprint import Fingerprinter, exact_key64
    from warta.corpus.ingest import article_from_raw
    from warta.corpus.parquet import WRITER_OPTIONS, arrow_schema
    from warta.corpus.readers import iter_raw, list_raw_files, raw_root
    from warta.corpus.settings import load_settings
    from warta.corpus.stories import event_date, story_terms
    from warta.corpus.synthetic import generate
    from warta.features import documents_features

    raw = args.raw or Path(tempfile.mkdtemp(prefix="warta-stages-"))
    if not raw.exists() or not any(raw.iterdir()):
        generate(raw, args.n, seed=args.seed)
    files = list_raw_files(raw)
    settings = load_settings(None)
    real_root = raw_root(raw)

    start = time.process_time()
    docs = list(iter_raw(raw, files=files, real_root=real_root))
    read = time.process_time() - start
    articles = [article_from_raw(doc, settings) for doc in docs]
    fingerprinter = Fingerprinter(settings)
    rows = [document_row(a) for a in articles]
    schema = arrow_schema(documents_features())
    table = pa.Table.from_pylist(rows, schema=schema)

    def encode(_: object) -> None:
        pq.write_table(table, io.BytesIO(), **WRITER_OPTIONS)

    r = args.repeat
    cleaning = best_of(r, lambda d: clean(d.raw, title=d.title, outlet=d.outlet, timezone=settings.timezone), docs)
    steps = {
        "read (files -> documents)": read,
        "clean": cleaning,
        "rest of article_from_raw": max(0.0, best_of(r, lambda d: article_from_raw(d, settings), docs) - cleaning),
        "event date": best_of(r, event_date, articles),
        "story terms": best_of(r, lambda a: story_terms("\n".join([a.text, *a.captions])), articles),
        "exact-duplicate key": best_of(r, lambda a: exact_key64(a.text), articles),
        "MinHash signature": best_of(r, lambda a: fingerprinter.signature(a.text), articles),
        "documents row": best_of(r, document_row, articles),
        "rows -> Arrow": best_of(r, lambda _: pa.Table.from_pylist(rows, schema=schema), [None]),
        f"Parquet zstd-{WRITER_OPTIONS['compression_level']} (release)": best_of(r, encode, [None]),
    }
    n = len(docs)
    total = sum(steps.values())
    print(f"{n:,} articles from {len(files):,} files; CPU µs per article (best of {r})")
    for name, seconds in steps.items():
        print(f"  {name:<32} {1e6 * seconds / n:8.1f}  {100 * seconds / total:5.1f} %")
    print(f"  {'sum':<32} {1e6 * total / n:8.1f}  -> at most {n / total:,.0f} articles per CPU-second")
    # The signature three ways on the same texts (not in the sum): the build's path, the NumPy
    # fallback used where the C loop was not compiled, and datasketch itself (the reference).
    dedup = fingerprinter.dedup
    ways = {
        "compiled (the build)": steps["MinHash signature"],
        "NumPy fallback": best_of(r, lambda a: dedup.numpy_signature(a.text), articles),
        "datasketch update_batch": best_of(r, lambda a: dedup.reference_signature(a.text), articles),
    }
    print("MinHash signature, CPU µs per article (ratio to datasketch)")
    for name, seconds in ways.items():
        print(f"  {name:<32} {1e6 * seconds / n:8.1f}  {ways['datasketch update_batch'] / seconds:5.1f}x")
    # Story terms two ways: the compiled scan (the build) and the Python path used without it.
    from warta.corpus import stories

    compiled, stories._terms = stories._terms, None  # as where the extension was not built
    try:
        python_path = best_of(r, lambda a: story_terms("\n".join([a.text, *a.captions])), articles)
    finally:
        stories._terms = compiled
    terms = {"compiled (the build)": steps["story terms"], "Python token path": python_path}
    print("story terms, CPU µs per article (ratio to the Python path)")
    for name, seconds in terms.items():
        print(f"  {name:<32} {1e6 * seconds / n:8.1f}  {terms['Python token path'] / seconds:5.1f}x")


if __name__ == "__main__":
    main()
