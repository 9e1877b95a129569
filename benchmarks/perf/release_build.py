"""Release build and verify throughput on N synthetic articles (not a test; prints figures).

    .venv/bin/python benchmarks/perf/release_build.py 10000 50000

Reports articles/second for `build_release` (documents config: Parquet shards, card, manifest,
croissant) and for `verify_release`, and the peak resident memory of the process.
"""

from __future__ import annotations

import hashlib
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from warta.article import Article, RemovedSpan
from warta.corpus.build import build_release
from warta.corpus.verify import verify_release

WORDS = "pemerintah rusia nato ukraina pertemuan jenewa diplomasi pasukan perbatasan keamanan".split()


def synthetic(n: int, seed: int = 0) -> list[Article]:
    rng = random.Random(seed)
    articles = []
    for i in range(n):
        paragraphs = [" ".join(rng.choices(WORDS, k=rng.randint(20, 60))).capitalize() + "." for _ in range(rng.randint(4, 12))]
        junk = "Baca juga: berita lain"
        raw = "Judul " + str(i) + "\n\n" + "\n\n".join(paragraphs) + "\n" + junk + "\n"
        start = raw.index(junk)
        articles.append(
            Article(
                id=f"{i:016x}",
                source_file=f"{i:06d}.txt",
                raw=raw,
                raw_sha256=hashlib.sha256(raw.encode()).hexdigest(),
                text="\n\n".join(paragraphs),
                title=f"Judul {i}",
                removed=[RemovedSpan(start, start + len(junk), "related-link", junk)],
                story_id=f"story-{i // 3}",
                split=rng.choice(["train", "train", "train", "validation", "test"]),
            )
        )
    return articles


def main(sizes: list[int]) -> None:
    for n in sizes:
        articles = synthetic(n)
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            build_release(articles, Path(tmp) / "r", version="1.0.0")
            t1 = time.perf_counter()
            report = verify_release(Path(tmp) / "r")
            t2 = time.perf_counter()
            assert report.ok, report.problems[:3]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"N={n:>7}: build {n / (t1 - t0):8.0f} articles/s ({t1 - t0:6.1f} s), "
              f"verify {n / (t2 - t1):8.0f} articles/s ({t2 - t1:6.1f} s), peak RSS {peak:7.0f} MiB")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000])
