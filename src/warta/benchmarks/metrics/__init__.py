"""Pure scoring functions, one module per family; each names the reference implementation it equals.

* :mod:`.ner_spans` — SemEval-2013 9.1 schemas on character spans (nervaluate 1.2.1);
* :mod:`.iob` — IOB2 chunk scoring (seqeval 1.2.2, default/conlleval and strict);
* :mod:`.stance` — accuracy, macro-F1, per-class scores, confusion (scikit-learn), SemEval-2016 F_avg;
* :mod:`.rouge_tokenize`, :mod:`.rouge` — ROUGE-1/2/L/Lsum (rouge_score 0.1.2) and the Indonesian tokenizer;
* :mod:`.consistency` — entity-level factual consistency (Nan et al. 2021).

Every scorer keeps per-document sufficient statistics, from which :mod:`warta.benchmarks.bootstrap`
and :mod:`warta.benchmarks.significance` recompute corpus scores on resamples.
"""
