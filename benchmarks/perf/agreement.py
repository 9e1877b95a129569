"""Agreement speed on synthetic annotations (not a test; prints figures and ratios).

    .venv/bin/python benchmarks/perf/agreement.py 200 1000

For N documents annotated by three annotators: the time of ``compute_agreement`` without and with
1000 bootstrap resamples, and of warta's metric functions against their references on the same
inputs (scikit-learn ``cohen_kappa_score``, ``krippendorff.alpha``, statsmodels ``fleiss_kappa``),
plus a plain bootstrap loop over scikit-learn for comparison with the vectorised one.
"""

from __future__ import annotations

import random
import sys
import time
import warnings

import numpy as np

from warta.annotation.agreement import compute_agreement
from warta.annotation.agreement.alpha import krippendorff_alpha_nominal
from warta.annotation.agreement.kappa import cohen_kappa, fleiss_kappa
from warta.annotation.agreement.units import group_by_article, token_labels
from warta.annotation.records import AnnotationRecord, EntityAnnotation, RegionStance, TargetStance
from warta.fsutil import sha256_text

WORDS = [
    "pemerintah",
    "menolak",
    "bertemu",
    "pasukan",
    "perbatasan",
    "keamanan",
    "di",
    "pada",
    "dan",
    "bahwa",
]
NAMES = {
    "Rusia": "GPE",
    "NATO": "ORG",
    "Ukraina": "GPE",
    "Putin": "PER",
    "Zelenskyy": "PER",
    "Senin": "DATE",
    "Donbas": "LOC",
}


def synthetic(n: int, seed: int = 0) -> list[AnnotationRecord]:
    rng = random.Random(seed)
    records = []
    for d in range(n):
        tokens = [
            rng.choice(list(NAMES)) if rng.random() < 0.15 else rng.choice(WORDS)
            for _ in range(rng.randint(200, 400))
        ]
        text = " ".join(tokens)
        for a, name in enumerate(("ann-1", "ann-2", "ann-3")):
            entities, stance, position = [], [], 0
            for i, token in enumerate(tokens):
                if token in NAMES and rng.random() < 0.9:
                    label = NAMES[token] if rng.random() < 0.9 else "LOC"
                    entities.append(
                        EntityAnnotation(f"r{i}", position, position + len(token), label, token)
                    )
                    if label in ("PER", "ORG", "GPE") and rng.random() < 0.3:
                        stance.append(
                            RegionStance(
                                f"r{i}",
                                "nato_enlargement",
                                rng.choice(["FAVOR", "AGAINST", "AGAINST", "NONE"]),
                            )
                        )
                position += len(token) + 1
            records.append(
                AnnotationRecord(
                    d,
                    f"doc{d:05d}",
                    text,
                    sha256_text(text),
                    name,
                    3 * d + a,
                    entities=entities,
                    stance=stance,
                    document_stance=[
                        TargetStance("nato_enlargement", rng.choice(["NONE", "AGAINST"]))
                    ],
                )
            )
    return records


def timed(function, repeat: int = 1) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        function()
    return (time.perf_counter() - start) / repeat


def bench(n: int) -> None:
    import krippendorff
    from sklearn.metrics import cohen_kappa_score

    try:
        from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss
    except ImportError:
        statsmodels_fleiss = None
    warnings.simplefilter("ignore")
    records = synthetic(n)
    plain = timed(lambda: compute_agreement(records, resamples=0, detail=False))
    detailed = timed(lambda: compute_agreement(records, resamples=0))
    boot = timed(lambda: compute_agreement(records, resamples=1000))
    from warta.annotation.agreement.html import agreement_page

    report = compute_agreement(records, resamples=1000)
    grouped = group_by_article(records)
    page = timed(lambda: agreement_page(report, grouped))
    docs = list(group_by_article(records).values())
    labels = [token_labels(d.text, [d.spans(x) for x in d.annotators]) for d in docs]
    a = [t for doc in labels for t in doc[0]]
    b = [t for doc in labels for t in doc[1]]
    ours, reference = (
        timed(lambda: cohen_kappa(a, b), 3),
        timed(lambda: cohen_kappa_score(a, b), 3),
    )
    print(f"{n} documents, {len(a)} tokens per annotator")
    print(
        f"  compute_agreement: {plain:.2f} s without bootstrap or page figures, {detailed:.2f} s with the page "
        f"figures (per label, per document, alpha_u, confusion), {boot:.2f} s with them and 1000 resamples; "
        f"HTML page {page:.2f} s, {len(agreement_page(report, grouped)) / 1e6:.1f} MB"
    )
    print(
        f"  Cohen's κ over tokens: warta {ours * 1000:.1f} ms, scikit-learn {reference * 1000:.1f} ms (ratio {reference / ours:.1f}×)"
    )
    items = [r for doc in labels for r in zip(*doc)]
    ours = timed(lambda: fleiss_kappa(items), 3)
    if statsmodels_fleiss is not None:
        categories = sorted({x for item in items for x in item})
        table = np.array([[item.count(c) for c in categories] for item in items], dtype=float)
        reference = timed(lambda: statsmodels_fleiss(table, method="fleiss"), 3)
        print(
            f"  Fleiss' κ: warta {ours * 1000:.1f} ms from ratings, statsmodels {reference * 1000:.1f} ms from a ready table"
        )
    rng = np.random.default_rng(0)
    units = [
        [None if rng.random() < 0.3 else int(rng.integers(0, 3)) for _ in range(3)]
        for _ in range(len(docs) * 20)
    ]
    matrix = np.array(
        [[np.nan if u[r] is None else u[r] for u in units] for r in range(3)], dtype=float
    )
    ours = timed(lambda: krippendorff_alpha_nominal(units), 3)
    reference = timed(
        lambda: krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"), 3
    )
    print(
        f"  Krippendorff's α ({len(units)} units): warta {ours * 1000:.1f} ms, krippendorff {reference * 1000:.1f} ms (ratio {reference / ours:.2f}×)"
    )
    per_doc = [(doc[0], doc[1]) for doc in labels]
    draws = np.random.default_rng(1).integers(0, len(per_doc), size=(20, len(per_doc)))

    def loop() -> None:
        for row in draws:
            cohen_kappa_score(
                [t for i in row for t in per_doc[i][0]], [t for i in row for t in per_doc[i][1]]
            )

    naive = timed(loop) / 20 * 1000
    print(
        f"  1000-resample bootstrap of token κ as a plain scikit-learn loop: ~{naive:.1f} s (estimated from 20); "
        f"all figures of compute_agreement with 1000 resamples: {boot:.2f} s"
    )


def main(sizes: list[int]) -> None:
    for n in sizes:
        bench(n)


if __name__ == "__main__":
    main([int(x) for x in sys.argv[1:]] or [200])
