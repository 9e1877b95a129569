"""Speed of warta's metrics against the reference implementations, on the same synthetic inputs.

    .venv/bin/python benchmarks/perf/metrics.py all          # seqeval, nervaluate, rouge
    .venv/bin/python benchmarks/perf/metrics.py seqeval --sentences 20000
    .venv/bin/python benchmarks/perf/metrics.py nervaluate --sentences 20000
    .venv/bin/python benchmarks/perf/metrics.py rouge --pairs 5000

Each benchmark builds seeded synthetic inputs, scores them with warta and with the reference
(seqeval 1.2.2 default and strict IOB2, per type, micro and macro, which takes seqeval one call per
average; nervaluate 1.2.1, all four schemas overall and per type;
rouge_score 0.1.2 with ROUGE-1/2/L/Lsum and its BootstrapAggregator), checks that the numbers are
equal (exit code 1 if not) and prints the time ratio. Goals: >= 20x seqeval and nervaluate, >= 10x
rouge_score with bootstrap. Times are CPU seconds of this process (less sensitive than wall time to
other work on a shared machine), the best of ``--repeat`` runs (the reference runs once unless
``--repeat-reference`` is given, it is slow).

For ROUGE, three warta timings are printed: (1) scoring plus :func:`rouge_score_bootstrap`, the
replica of rouge_score's BootstrapAggregator whose low/mid/high are checked bit for bit against it
(it must draw the same legacy random numbers and add in the same order, so it cannot be much faster
than the aggregator itself); (2) scoring plus warta's own seeded bootstrap, which is what
``warta bench score`` runs; (3) the same with the Indonesian tokenizer. Under (1), the best times of
its two phases, scoring and bootstrap, are printed for both sides.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

TYPES = ["PER", "ORG", "GPE", "LOC", "DATE"]
GOALS = {"seqeval": 20.0, "nervaluate": 20.0, "rouge": 10.0}


def best_time(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(max(1, repeat)):
        start = time.process_time()
        result = fn()
        best = min(best, time.process_time() - start)
    return best, result


def report(name: str, ours: float, theirs: float, equal: bool) -> bool:
    ratio = theirs / ours if ours > 0 else float("inf")
    goal = GOALS[name.split()[0]]
    status = "ok" if ratio >= goal else f"below the {goal:.0f}x goal"
    print(f"{name:<28} warta {ours * 1000:9.1f} ms   reference {theirs * 1000:10.1f} ms   "
          f"{ratio:7.1f}x   equal: {'yes' if equal else 'NO'}   ({status})")
    return equal


# ----------------------------------------------------------------------------- synthetic NER data


def synthetic_entities(sentences: int, seed: int) -> tuple[list[list[tuple[int, int, str]]], list[list[tuple[int, int, str]]], list[int]]:
    """Gold and predicted token spans (start, end exclusive, type) per sentence, one-to-one overlaps."""
    rng = random.Random(seed)
    gold_docs, pred_docs, lengths = [], [], []
    while len(gold_docs) < sentences:
        length = rng.randint(8, 30)
        gold, pos = [], 0
        while True:
            pos += rng.randint(1, 6)
            size = rng.choice([1, 1, 1, 2, 2, 3, 4])
            if pos + size > length:
                break
            gold.append((pos, pos + size, rng.choice(TYPES)))
            pos += size
        pred = []
        for s, e, t in gold:
            r = rng.random()
            if r < 0.70:
                pred.append((s, e, t))
            elif r < 0.78:
                pred.append((s, max(s + 1, e + rng.choice([-1, 1])), t))
            elif r < 0.84:
                pred.append((max(0, s - 1), e, t))
            elif r < 0.92:
                pred.append((s, e, rng.choice(TYPES)))
        if rng.random() < 0.15:
            s = rng.randrange(length)
            pred.append((s, min(length, s + rng.randint(1, 2)), rng.choice(TYPES)))
        pred.sort()
        # keep nervaluate's results well defined: no overlapping predictions, no prediction
        # overlapping two gold entities (see warta.benchmarks.metrics.ner_spans)
        if any(a[1] > b[0] for a, b in itertools.pairwise(pred)) or any(e > length for _, e, _ in pred):
            continue
        if any(sum(min(e, pe) > max(s, ps) for s, e, _ in gold) > 1 for ps, pe, _ in pred):
            continue
        gold_docs.append(gold)
        pred_docs.append(pred)
        lengths.append(length)
    return gold_docs, pred_docs, lengths


def to_tags(spans: list[tuple[int, int, str]], length: int) -> list[str]:
    tags = ["O"] * length
    for s, e, t in spans:
        tags[s] = f"B-{t}"
        for i in range(s + 1, e):
            tags[i] = f"I-{t}"
    return tags


def bench_seqeval(args: argparse.Namespace) -> bool:
    from seqeval.metrics import sequence_labeling, v1
    from seqeval.scheme import IOB2

    from warta.benchmarks.metrics.iob import score_iob

    gold_spans, pred_spans, lengths = synthetic_entities(args.sentences, args.seed)
    gold = [to_tags(g, n) for g, n in zip(gold_spans, lengths)]
    pred = [to_tags(p, n) for p, n in zip(pred_spans, lengths)]
    # a conlleval-style corruption: some predictions start with I- (lenient and strict differ)
    rng = random.Random(args.seed + 1)
    for tags in pred:
        for i, t in enumerate(tags):
            if t.startswith("B-") and rng.random() < 0.05:
                tags[i] = "I-" + t[2:]
    ok = True
    for mode in ("default", "strict"):

        def ours(mode: str = mode) -> Any:
            ev = score_iob(gold, pred, mode=mode, labels=TYPES)
            return ev.per_type(), ev.micro(), ev.macro()

        def reference(mode: str = mode) -> Any:
            # the same numbers warta reports: per type, micro and macro (one call per average)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if mode == "default":
                    return [sequence_labeling.precision_recall_fscore_support(gold, pred, average=a) for a in (None, "micro", "macro")]
                return [v1.precision_recall_fscore_support(gold, pred, average=a, scheme=IOB2) for a in (None, "micro", "macro")]

        t_ours, (per_type, micro, macro) = best_time(ours, args.repeat)
        t_ref, (per, ref_micro, ref_macro) = best_time(reference, args.repeat_reference)
        p, r, f, support = per
        equal = all(
            (per_type[label].precision or 0) == p[i]
            and (per_type[label].recall or 0) == r[i]
            and (per_type[label].f1 or 0) == f[i]
            and per_type[label].n_gold == support[i]
            for i, label in enumerate(sorted(per_type))
        )
        equal = equal and ((micro.precision or 0), (micro.recall or 0), (micro.f1 or 0)) == tuple(ref_micro[:3])
        equal = equal and tuple(x or 0 for x in macro) == tuple(ref_macro[:3])
        ok &= report(f"seqeval {mode} ({len(gold)} sent.)", t_ours, t_ref, equal)
    return ok


def bench_nervaluate(args: argparse.Namespace) -> bool:
    from nervaluate import Evaluator

    from warta.benchmarks.metrics.ner_spans import SCHEMAS, score_spans
    from warta.spans import EntitySpan

    gold_spans, pred_spans, _ = synthetic_entities(args.sentences, args.seed)
    gold = [[EntitySpan(s, e, t) for s, e, t in doc] for doc in gold_spans]
    pred = [[EntitySpan(s, e, t) for s, e, t in doc] for doc in pred_spans]
    gold_nv = [[{"label": t, "start": s, "end": e - 1} for s, e, t in doc] for doc in gold_spans]
    pred_nv = [[{"label": t, "start": s, "end": e - 1} for s, e, t in doc] for doc in pred_spans]

    def ours() -> Any:
        ev = score_spans(gold, pred, labels=TYPES)
        return {s: (ev.counts(s), {t: ev.counts(s, t) for t in TYPES}) for s in SCHEMAS}

    def reference() -> Any:
        return Evaluator(gold_nv, pred_nv, tags=TYPES, loader="dict").evaluate()

    t_ours, mine = best_time(ours, args.repeat)
    t_ref, theirs = best_time(reference, args.repeat_reference)
    names = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}

    def same(c: Any, r: Any) -> bool:
        return (c.cor, c.inc, c.par, c.mis, c.spu) == (r.correct, r.incorrect, r.partial, r.missed, r.spurious) and (
            c.f1 or 0
        ) == r.f1

    equal = all(
        same(mine[s][0], theirs["overall"][names[s]])
        and all(same(mine[s][1][t], theirs["entities"][t][names[s]]) for t in TYPES)
        for s in SCHEMAS
    )
    return report(f"nervaluate ({len(gold)} sent.)", t_ours, t_ref, equal)


# ----------------------------------------------------------------------------- synthetic summaries

WORDS = ["pemerintah", "presiden", "menteri", "luar", "negeri", "rusia", "ukraina", "nato", "amerika", "serikat", "eropa", "perang", "pasukan", "perbatasan", "pertemuan", "keamanan", "sanksi", "ekonomi", "rakyat", "jakarta", "indonesia", "mengatakan", "bahwa", "akan", "tidak", "dengan", "untuk", "dalam", "pada", "yang", "dan", "di", "ke", "dari", "ini", "itu", "telah", "sudah", "masih", "anak-anak", "100.000", "1,5", "persen", "rupiah", "kafé", "señor", "jum'at", "tahun", "2022", "januari", "senin", "dewan", "kementerian", "pertahanan", "militer", "diplomasi", "perundingan", "kesepakatan", "wilayah", "timur", "barat"]


def synthetic_summaries(pairs: int, seed: int) -> tuple[list[str], list[str]]:
    """Reference summaries of 2-4 sentences of 10-22 words, and a perturbed prediction for each.

    Words follow a Zipf distribution (frequency ~ 1/rank) over the Indonesian words above, most
    frequent first, and 5,000 further word forms, roughly the statistics of natural text.
    """
    rng = random.Random(seed)
    vocabulary = WORDS + [f"{rng.choice(WORDS)[:4]}{i}" for i in range(5000)]
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocabulary))))
    references, predictions = [], []
    for _ in range(pairs):
        sentences = []
        for _ in range(rng.randint(2, 4)):
            words = rng.choices(vocabulary, cum_weights=cumulative, k=rng.randint(10, 22))
            words[0] = words[0].capitalize()
            sentences.append(" ".join(words) + rng.choice([".", ".", "!", "?"]))
        references.append("\n".join(sentences))
        predicted = []
        for sentence in sentences:
            words = sentence.split()
            kept = [
                w if rng.random() < 0.75 else rng.choices(vocabulary, cum_weights=cumulative)[0]
                for w in words
                if rng.random() < 0.85
            ]
            if rng.random() < 0.3:
                rng.shuffle(kept)
            predicted.append(" ".join(kept) + ",")
        if rng.random() < 0.5:
            rng.shuffle(predicted)
        predictions.append("\n".join(predicted))
    return references, predictions


def bench_rouge(args: argparse.Namespace) -> bool:
    from rouge_score import rouge_scorer, scoring

    from warta.benchmarks.bootstrap import bootstrap_intervals, rouge_score_bootstrap
    from warta.benchmarks.metrics.rouge import ROUGE_TYPES, RougeScorer

    references, predictions = synthetic_summaries(args.pairs, args.seed)
    types = list(ROUGE_TYPES)

    # best CPU seconds of each phase (scoring, bootstrap) over the runs, for the breakdown
    phases = {"warta": [float("inf")] * 2, "reference": [float("inf")] * 2}

    def note(side: str, start: float, middle: float) -> None:
        best = phases[side]
        best[0] = min(best[0], middle - start)
        best[1] = min(best[1], time.process_time() - middle)

    def reference() -> Any:
        start = time.process_time()
        scorer = rouge_scorer.RougeScorer(types)
        aggregator = scoring.BootstrapAggregator()
        for ref, pred in zip(references, predictions):
            aggregator.add_scores(scorer.score(ref, pred))
        middle = time.process_time()
        np.random.seed(args.seed)
        result = aggregator.aggregate()
        note("reference", start, middle)
        return result

    def ours() -> Any:
        start = time.process_time()
        ev = RougeScorer(types, tokenizer="rouge_score").score_corpus([[r] for r in references], predictions)
        middle = time.process_time()
        state = np.random.RandomState(args.seed)
        result = {t: rouge_score_bootstrap(ev.statistics[:, 3 * i : 3 * i + 3], random_state=state) for i, t in enumerate(types)}
        note("warta", start, middle)
        return result

    def ours_seeded() -> Any:
        ev = RougeScorer(types, tokenizer="rouge_score").score_corpus([[r] for r in references], predictions)
        metrics = {f"{t}.f": (lambda s, n, i=3 * i + 2: s[..., i] / n) for i, t in enumerate(types)}
        return bootstrap_intervals(ev.statistics, metrics, resamples=1000, seed=args.seed)

    def ours_indonesian() -> Any:
        ev = RougeScorer(types, tokenizer="indonesian").score_corpus([[r] for r in references], predictions)
        metrics = {f"{t}.f": (lambda s, n, i=3 * i + 2: s[..., i] / n) for i, t in enumerate(types)}
        return bootstrap_intervals(ev.statistics, metrics, resamples=1000, seed=args.seed)

    t_ours, mine = best_time(ours, args.repeat)
    t_ref, theirs = best_time(reference, args.repeat_reference)
    equal = all(
        np.array_equal(mine[t][0], np.array(theirs[t].low))
        and np.array_equal(mine[t][1], np.array(theirs[t].mid))
        and np.array_equal(mine[t][2], np.array(theirs[t].high))
        for t in types
    )
    ok = report(f"rouge + bootstrap ({args.pairs} pairs)", t_ours, t_ref, equal)
    for i, phase in enumerate(("scoring", "bootstrap")):
        ours_phase, ref_phase = phases["warta"][i], phases["reference"][i]
        print(f"  of which {phase:<18} warta {ours_phase * 1000:9.1f} ms   reference {ref_phase * 1000:10.1f} ms   "
              f"{ref_phase / ours_phase:7.1f}x")
    t_seeded, _ = best_time(ours_seeded, args.repeat)
    report("rouge  warta seeded bootstrap", t_seeded, t_ref, True)
    t_id, _ = best_time(ours_indonesian, args.repeat)
    report("rouge  warta indonesian tok.", t_id, t_ref, True)
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("which", choices=["all", "seqeval", "nervaluate", "rouge"])
    parser.add_argument("--sentences", type=int, default=20_000)
    parser.add_argument("--pairs", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument("--repeat", type=int, default=3, help="runs of warta's scorer (best is reported)")
    parser.add_argument("--repeat-reference", type=int, default=1)
    args = parser.parse_args(argv)
    ok = True
    if args.which in ("all", "seqeval"):
        ok &= bench_seqeval(args)
    if args.which in ("all", "nervaluate"):
        ok &= bench_nervaluate(args)
    if args.which in ("all", "rouge"):
        ok &= bench_rouge(args)
    if not ok:
        print("warta and the reference disagree", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
