"""Speed of the paired permutation test on the NER metric set (every metric of ``bench score --task ner``).

    .venv/bin/python benchmarks/perf/significance.py                 # both benchmarks below
    .venv/bin/python benchmarks/perf/significance.py exact --documents 20
    .venv/bin/python benchmarks/perf/significance.py randomisation --documents 10000 --trials 10000

* ``exact``: all ``2^n`` swaps of ``n`` documents (default 20, the largest n enumerated), every NER
  metric recomputed from the swapped column sums; the strict micro F1 p-value is checked against
  ``scipy.stats.permutation_test(..., permutation_type="samples", n_resamples=np.inf)`` (exit code 1
  if they differ).
* ``randomisation``: approximate randomisation over ``n`` documents (default 10,000) with ``T``
  trials (default 10,000), every NER metric.

Inputs are seeded synthetic articles scored by :func:`warta.benchmarks.scoring.score_task` (two
systems that perturb the gold spans differently), so the statistics have the real columns. Times
are CPU seconds of the test alone (scoring excluded), the best of ``--repeat`` runs; each run's wall
time is printed too (the machine may be shared).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from typing import Any

import numpy as np

TYPES = ["PER", "ORG", "GPE", "LOC", "DATE"]
WORDS = ["dan", "yang", "di", "ke", "dari", "pada", "untuk", "dengan", "tidak", "akan", "itu", "ini"]
NAMES = ["Jakarta", "Rusia", "NATO", "Joko", "Widodo", "Senin", "Eropa", "Ukraina", "Moskow", "Budi"]


def synthetic_rows(n: int, seed: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from warta.spans import EntitySpan

    rng = random.Random(seed)
    rows, systems = [], [{}, {}]
    for i in range(n):
        parts, entities, pos = [], [], 0
        for _ in range(rng.randint(20, 40)):
            if rng.random() < 0.2:
                word, label = rng.choice(NAMES), rng.choice(TYPES)
                entities.append({"start": pos, "end": pos + len(word), "label": label})
            else:
                word = rng.choice(WORDS)
            parts.append(word)
            pos += len(word) + 1
        text = " ".join(parts)
        row_id = f"d{i:06d}"
        rows.append({"id": row_id, "text": text, "entities": entities, "tokens": None, "ner_tags": None})
        for k, system in enumerate(systems):
            predicted = []
            for e in entities:
                r = rng.random()
                if r < 0.1 + 0.05 * k:
                    continue  # missed
                label = rng.choice(TYPES) if r > 0.95 - 0.03 * k else e["label"]
                predicted.append(EntitySpan(e["start"], e["end"], label))
            system[row_id] = predicted
    return rows, systems


def statistics(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    from warta.benchmarks.scoring import ScoreOptions, metric_functions, score_task

    rows, (a, b) = synthetic_rows(n, seed)
    options = ScoreOptions(resamples=0)
    ra = score_task("ner", rows, a, options=options, dataset_version="perf", manifest_sha256="0" * 64)
    rb = score_task("ner", rows, b, options=options, dataset_version="perf", manifest_sha256="0" * 64)
    columns = ra["per_document"]["columns"]
    functions = metric_functions("ner", columns)
    functions = {name: functions[name] for name in ra["metrics"]}
    return np.asarray(ra["per_document"]["values"], float), np.asarray(rb["per_document"]["values"], float), functions


def best_wall(fn: Any, repeat: int) -> tuple[float, Any]:
    """Best CPU seconds of this process over ``repeat`` runs (wall time also printed once)."""
    best, result = float("inf"), None
    for _ in range(max(1, repeat)):
        start, wall = time.process_time(), time.perf_counter()
        result = fn()
        best = min(best, time.process_time() - start)
        print(f"  (run: {time.perf_counter() - wall:.2f} s wall, {time.process_time() - start:.2f} s CPU)")
    return best, result


def exact(documents: int, repeat: int, check: bool) -> bool:
    from warta.benchmarks.significance import paired_permutation_all

    a, b, functions = statistics(documents, seed=1)
    seconds, results = best_wall(lambda: paired_permutation_all(a, b, functions), repeat)
    strict = results["strict.micro.f1"]
    print(f"exact         n={documents:<6} 2^{documents} = {strict.permutations:,} swaps x {len(functions)} metrics: "
          f"{seconds:8.2f} s   (strict.micro.f1 p = {strict.p_value:.6f}, exact: {strict.exact})")
    if not check:
        return True
    import scipy.stats

    fn = functions["strict.micro.f1"]

    def statistic(x: np.ndarray, y: np.ndarray, axis: int) -> np.ndarray:
        sx, sy = x.sum(axis=-1), y.sum(axis=-1)  # (..., columns, documents) -> column sums
        return np.nan_to_num(fn(sx, None)) - np.nan_to_num(fn(sy, None))

    start = time.process_time()
    reference = scipy.stats.permutation_test(
        (a.T, b.T), statistic, permutation_type="samples", n_resamples=np.inf, vectorized=True, axis=-1,
        batch=1 << 14,
    ).pvalue
    elapsed = time.process_time() - start
    equal = abs(reference - strict.p_value) <= 1e-12
    print(f"  scipy.stats.permutation_test (strict.micro.f1 only): {elapsed:8.2f} s   p = {reference:.6f}   "
          f"equal: {'yes' if equal else 'NO'}")
    return equal


def randomisation(documents: int, trials: int, repeat: int) -> bool:
    from warta.benchmarks.significance import paired_permutation_all

    a, b, functions = statistics(documents, seed=2)
    seconds, results = best_wall(lambda: paired_permutation_all(a, b, functions, trials=trials), repeat)
    strict = results["strict.micro.f1"]
    print(f"randomisation n={documents:<6} {trials:,} trials x {len(functions)} metrics: {seconds:8.2f} s   "
          f"(strict.micro.f1 p = {strict.p_value:.6f}, exact: {strict.exact})")
    return not strict.exact


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("which", nargs="?", default="all", choices=["all", "exact", "randomisation"])
    parser.add_argument("--documents", type=int, default=None)
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-check", action="store_true", help="skip the scipy cross-check of the exact test")
    args = parser.parse_args(argv)
    ok = True
    if args.which in ("all", "exact"):
        ok &= exact(args.documents or 20, args.repeat, not args.no_check)
    if args.which in ("all", "randomisation"):
        ok &= randomisation(args.documents or 10_000, args.trials, args.repeat)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
