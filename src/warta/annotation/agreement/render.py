"""Terminal tables of an :class:`AgreementReport` (rich renderables; the CLI prints them)."""

from __future__ import annotations

from rich.console import Group
from rich.markup import escape
from rich.table import Table

from warta.annotation.agreement.report import AgreementReport, Estimate, SpanAgreement


def _figure(estimate: Estimate) -> str:
    if estimate.value is None:
        return "undefined"
    if estimate.ci is None:
        return f"{estimate.value:.3f}"
    return f"{estimate.value:.3f} ({estimate.ci[0]:.3f}–{estimate.ci[1]:.3f})"


def _span(s: SpanAgreement) -> str:
    return _figure(s.f1)


def agreement_tables(report: AgreementReport) -> Group:
    """Entity pairs (overall and per label), Fleiss' κ, and stance α/κ, one table each."""
    ci = f"value ({report.confidence:.0%} CI: {report.resamples} resamples over documents, seed {report.seed})"
    pairs = Table(
        title=f"Entities, pairwise: {ci}",
        title_justify="left",
        caption="span counts: --json",
        caption_justify="left",
    )
    for column in ("annotators", "label", "strict F1", "overlap F1", "token κ"):
        pairs.add_column(column, justify="left" if column in ("annotators", "label") else "right")
    for pair in report.entity_pairs:
        names = f"{escape(' × '.join(pair.annotators))}\n{pair.documents} docs, {pair.tokens} tokens"
        pairs.add_row(
            names, "all", _span(pair.strict), _span(pair.overlap), _figure(pair.token_kappa)
        )
        for label, modes in pair.labels.items():
            pairs.add_row("", escape(label), _span(modes["strict"]), _span(modes["overlap"]), "")
    if not report.entity_pairs:
        pairs.add_row("no two annotators share a document", "", "", "", "")
    parts: list = [pairs]

    fleiss = Table(title="Entities: Fleiss' κ over tokens", title_justify="left")
    for column in ("raters per document", "documents", "left out", "tokens", "κ"):
        fleiss.add_column(column, justify="right")
    if report.fleiss is None:
        fleiss.add_row("fewer than 3 annotators on every document", "", "", "", "")
    else:
        f = report.fleiss
        fleiss.add_row(
            str(f.raters), str(f.documents), str(f.left_out), str(f.tokens), _figure(f.kappa)
        )
    parts.append(fleiss)

    stance = Table(
        title="Stance: Krippendorff's α (nominal) and pairwise Cohen's κ", title_justify="left"
    )
    for column in ("level", "items (pairable)", "α", "pair", "both rated", "κ"):
        stance.add_column(column, justify="left" if column in ("level", "pair") else "right")
    for level in (report.actor_stance, report.document_stance):
        if level is None:
            continue
        stance.add_row(
            level.level, f"{level.items} ({level.pairable})", _figure(level.alpha), "", "", ""
        )
        for pair in level.pairs:
            stance.add_row(
                "", "", "", escape(" × ".join(pair.annotators)), str(pair.items), _figure(pair.kappa)
            )
        for item in level.inconsistent:
            what = item.target if item.actor is None else f"{item.target} / {item.actor}"
            stance.add_row(
                "",
                "",
                "",
                escape(f"{item.annotator}: inconsistent on {item.article_id} {what}"),
                "",
                escape(", ".join(item.labels)),
            )
    parts.append(stance)
    return Group(*parts)
