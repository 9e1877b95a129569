"""``warta annotate agreement FILE --html report.html``: one self-contained page an annotation lead can read.

Everything is inside the file (inline CSS, inline SVG, no script, no font, no external asset), so
it opens offline and can be mailed or attached to a release.

Plots are SVG written from templates here, not matplotlib. The page must rebuild byte for byte;
matplotlib's SVG is byte-stable only with a fixed ``svg.hashsalt``, ``metadata={"Date": None}`` and
fonts as paths, and still changes with the matplotlib version (path precision, glyph outlines,
ids), so a dependency upgrade would change every committed or compared report. A heatmap is a grid
of rectangles and numbers: templates give integer coordinates, real ``<text>`` numbers (searchable,
copyable, readable by a screen reader and checkable in a browser's DOM), a few kilobytes, and no
plotting library at run time.

Numbers are formatted once (3 decimals; ``n/a`` for undefined) and every list is sorted, so the
same report gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from warta.annotation.agreement.report import AgreementReport, Estimate, SpanAgreement
from warta.annotation.agreement.units import DocumentAnnotations

#: At most this many documents get a row (worst first) and a details section; the rest are in --json.
MAX_DOCUMENTS = 500

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1b1b;line-height:1.4}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.92rem}
th,td{border:1px solid #d4d4d4;padding:.25rem .55rem;text-align:right;vertical-align:top}
th{background:#f3f3f3}td.name,th.name{text-align:left}
.ci{color:#666;font-size:.82rem}.note{color:#555;font-size:.9rem}
.plots{display:flex;flex-wrap:wrap;gap:2rem;align-items:flex-start}
figure{margin:0}figcaption{font-size:.9rem;color:#333;margin-bottom:.3rem}
details{margin:.4rem 0;padding:.3rem .6rem;border:1px solid #e2e2e2}
details:target{border-color:#e07b00;background:#fff8ef}
summary{cursor:pointer;font-weight:600}
ul.spans{margin:.2rem 0 .4rem 1rem;padding:0;font-size:.88rem}
code{background:#f5f5f5;padding:0 .2rem}
"""


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _estimate(estimate: Estimate) -> str:
    text = _number(estimate.value)
    if estimate.value is not None and estimate.ci is not None:
        text += f' <span class="ci">[{estimate.ci[0]:.3f}, {estimate.ci[1]:.3f}]</span>'
    return text


def _span(s: SpanAgreement) -> str:
    return f'{_estimate(s.f1)} <span class="ci">({s.matched}/{s.a}+{s.b})</span>'


def _blend(share: float) -> str:
    """White to deep blue, for a share in [0, 1]."""
    share = min(max(share, 0.0), 1.0)
    low, high = (247, 251, 255), (8, 69, 148)
    r, g, b = (round(lo + (hi - lo) * share) for lo, hi in zip(low, high))
    return f"#{r:02x}{g:02x}{b:02x}"


def heatmap_svg(
    rows: list[str],
    columns: list[str],
    cells: Mapping[tuple[str, str], tuple[float | None, str]],
    *,
    metric: str,
    title: str,
    cell: tuple[int, int] = (64, 30),
) -> str:
    """A grid of coloured cells with the number in each; ``cells[(row, column)] = (share 0-1 or None, label)``.

    A missing or ``None`` cell is grey with its label (``n/a``, ``—``). Integer coordinates only.
    """
    width, height = cell
    margin_left = 12 + 8 * max((len(r) for r in rows), default=1)
    margin_top = 16 + 7 * max((len(c) for c in columns), default=1)
    total_w = margin_left + width * len(columns) + 4
    total_h = margin_top + height * len(rows) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" data-metric="{escape(metric)}" '
        f'width="{total_w}" height="{total_h}" viewBox="0 0 {total_w} {total_h}" role="img" '
        f'aria-label="{escape(title)}" font-family="system-ui, sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
    ]
    for j, column in enumerate(columns):
        x = margin_left + j * width + width // 2
        y = margin_top - 6
        parts.append(
            f'<text x="{x}" y="{y}" transform="rotate(-40 {x} {y})" text-anchor="start">{escape(column)}</text>'
        )
    for i, row in enumerate(rows):
        y = margin_top + i * height
        parts.append(
            f'<text x="{margin_left - 6}" y="{y + height // 2 + 4}" text-anchor="end">{escape(row)}</text>'
        )
        for j, column in enumerate(columns):
            x = margin_left + j * width
            share, label = cells.get((row, column), (None, "—"))
            fill = "#e9e9e9" if share is None else _blend(share)
            ink = "#ffffff" if share is not None and share > 0.55 else "#1b1b1b"
            parts.append(
                f'<g class="cell" data-row="{escape(row)}" data-column="{escape(column)}">'
                f'<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="{fill}" stroke="#ffffff"/>'
                f'<text x="{x + width // 2}" y="{y + height // 2 + 4}" text-anchor="middle" fill="{ink}">{escape(label)}</text></g>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _pair_heatmaps(report: AgreementReport) -> str:
    names = list(report.annotators)
    f1: dict[tuple[str, str], tuple[float | None, str]] = {}
    kappa: dict[tuple[str, str], tuple[float | None, str]] = {}
    for pair in report.entity_pairs:
        a, b = pair.annotators
        for x, y in ((a, b), (b, a)):
            f1[(x, y)] = (pair.strict.f1.value, _number(pair.strict.f1.value))
            kappa[(x, y)] = (pair.token_kappa.value, _number(pair.token_kappa.value))
    return (
        '<div class="plots">'
        f"<figure><figcaption>Entity span F1 (strict)</figcaption>"
        f"{heatmap_svg(names, names, f1, metric='strict_f1', title='Pairwise entity span F1 (strict)')}</figure>"
        f"<figure><figcaption>Token Cohen's κ</figcaption>"
        f"{heatmap_svg(names, names, kappa, metric='token_kappa', title='Pairwise token Cohen kappa')}</figure>"
        "</div>"
    )


def _pairs_table(report: AgreementReport) -> str:
    rows = [
        "<table><thead><tr><th class='name'>annotators</th><th>documents</th><th>strict F1</th>"
        "<th>overlap F1</th><th>token κ</th><th>tokens</th></tr></thead><tbody>"
    ]
    for pair in report.entity_pairs:
        rows.append(
            f"<tr><td class='name'>{escape(' × '.join(pair.annotators))}</td><td>{pair.documents}</td>"
            f"<td>{_span(pair.strict)}</td><td>{_span(pair.overlap)}</td><td>{_estimate(pair.token_kappa)}</td>"
            f"<td>{pair.tokens}</td></tr>"
        )
    if not report.entity_pairs:
        rows.append('<tr><td class="name" colspan="6">no two annotators share a document</td></tr>')
    rows.append("</tbody></table>")
    return "".join(rows)


def _labels_table(report: AgreementReport) -> str:
    detail = report.detail
    assert detail is not None
    rows = [
        "<table id='labels-table'><thead><tr><th class='name'>label</th><th>strict span F1</th><th>overlap span F1</th>"
        "<th>token α (nominal)</th><th>α<sub>u</sub></th></tr></thead><tbody>"
    ]
    for item in detail.labels:
        rows.append(
            f'<tr data-label="{escape(item.label)}"><td class="name">{escape(item.label)}</td><td>{_span(item.strict)}</td>'
            f"<td>{_span(item.overlap)}</td><td>{_estimate(item.alpha)}</td><td>{_number(item.alpha_u)}</td></tr>"
        )
    rows.append("</tbody></table>")
    u = detail.unitizing
    if u is None:
        rows.append('<p class="note">α<sub>u</sub>: no document has two or more annotators.</p>')
    else:
        rows.append(
            f'<p>α<sub>u</sub> over all labels: <strong id="alpha-u">{_number(u.alpha)}</strong> '
            f'<span class="note">({u.raters} annotators on each of {u.documents} documents; '
            f"{detail.unitizing_left_out} documents with fewer annotators left out; no interval: its expected "
            "disagreement couples every span with every gap of every document)</span></p>"
        )
    if report.fleiss is not None:
        rows.append(
            f"<p>Fleiss' κ over tokens: {_estimate(report.fleiss.kappa)} "
            f'<span class="note">({report.fleiss.raters} annotators, {report.fleiss.documents} documents)</span></p>'
        )
    return "".join(rows)


def _stance_table(report: AgreementReport) -> str:
    rows = [
        "<table><thead><tr><th class='name'>level</th><th>items (pairable)</th><th>Krippendorff's α</th>"
        "<th class='name'>pair</th><th>both rated</th><th>Cohen's κ</th></tr></thead><tbody>"
    ]
    for level in (report.actor_stance, report.document_stance):
        if level is None:
            continue
        rows.append(
            f'<tr data-level="{level.level}"><td class="name">{level.level}</td><td>{level.items} ({level.pairable})</td>'
            f"<td>{_estimate(level.alpha)}</td><td></td><td></td><td></td></tr>"
        )
        for pair in level.pairs:
            rows.append(
                f"<tr><td></td><td></td><td></td><td class='name'>{escape(' × '.join(pair.annotators))}</td>"
                f"<td>{pair.items}</td><td>{_estimate(pair.kappa)}</td></tr>"
            )
    rows.append("</tbody></table>")
    return "".join(rows)


def _confusion(report: AgreementReport) -> str:
    detail = report.detail
    assert detail is not None
    labels = detail.confusion_labels
    if not labels:
        return '<p class="note">No two annotators share a document.</p>'
    cells: dict[tuple[str, str], tuple[float | None, str]] = {}
    for a in labels:
        total = sum(detail.confusion.get((a, b), 0) for b in labels)
        for b in labels:
            count = detail.confusion.get((a, b), 0)
            cells[(a, b)] = (count / total if total else None, str(count))
    return (
        "<figure><figcaption>Tokens labelled <em>row</em> by one annotator and <em>column</em> by the other "
        "(every pair, both ways; colour: share of the row; O = no entity)</figcaption>"
        f"{heatmap_svg(labels, labels, cells, metric='label_confusion', title='Label confusion between annotators', cell=(58, 28))}"
        "</figure>"
    )


def _documents(report: AgreementReport, documents: Mapping[str, DocumentAnnotations]) -> str:
    detail = report.detail
    assert detail is not None
    shown = detail.documents[:MAX_DOCUMENTS]
    rows = [
        "<table id='documents-table'><thead><tr><th>#</th><th class='name'>article</th><th>tasks</th><th class='name'>annotators</th>"
        "<th>strict F1</th><th>overlap F1</th><th>α<sub>u</sub></th></tr></thead><tbody>"
    ]
    for rank, item in enumerate(shown, start=1):
        anchor = escape(f"article-{item.article_id}")
        rows.append(
            f'<tr data-article="{escape(item.article_id)}"><td>{rank}</td><td class="name"><a href="#{anchor}">{escape(item.article_id)}</a></td>'
            f"<td>{', '.join(str(t) for t in item.task_ids)}</td><td class='name'>{escape(', '.join(item.annotators))}</td>"
            f"<td>{_number(item.strict_f1)}</td><td>{_number(item.overlap_f1)}</td><td>{_number(item.alpha_u)}</td></tr>"
        )
    rows.append("</tbody></table>")
    if len(detail.documents) > len(shown):
        rows.append(f'<p class="note">{len(detail.documents) - len(shown)} more documents in <code>--json</code>.</p>')
    for item in shown:
        doc = documents[item.article_id]
        rows.append(
            f'<details id="{escape(f"article-{item.article_id}")}"><summary>{escape(item.article_id)} '
            f'<span class="note">strict F1 {_number(item.strict_f1)}</span></summary>'
        )
        for name in doc.annotators:
            spans = doc.spans(name)
            listed = "".join(
                f"<li><code>{escape(doc.text[s.start:s.end])}</code> {escape(s.label)} "
                f'<span class="ci">[{s.start}, {s.end})</span></li>'
                for s in spans
            )
            rows.append(f"<div><strong>{escape(name)}</strong> ({len(spans)} spans)<ul class='spans'>{listed}</ul></div>")
        rows.append("</details>")
    return "".join(rows)


def _gold(report: AgreementReport) -> str:
    detail = report.detail
    assert detail is not None and detail.gold is not None
    rows = [
        f'<p class="note">Strict spans against the gold of {detail.gold_documents} documents '
        f"({detail.gold_missing} without gold, {detail.gold_other_text} with gold made on another text: not compared).</p>",
        "<table id='gold-table'><thead><tr><th class='name'>annotator</th><th>documents</th><th>precision</th><th>recall</th>"
        "<th>F1</th><th>tp</th><th>fp</th><th>fn</th></tr></thead><tbody>",
    ]
    for g in detail.gold:
        rows.append(
            f'<tr data-annotator="{escape(g.annotator)}"><td class="name">{escape(g.annotator)}</td><td>{g.documents}</td>'
            f"<td>{_number(g.precision)}</td><td>{_number(g.recall)}</td><td>{_number(g.f1)}</td>"
            f"<td>{g.tp}</td><td>{g.fp}</td><td>{g.fn}</td></tr>"
        )
    rows.append("</tbody></table>")
    return "".join(rows)


def agreement_page(
    report: AgreementReport, documents: Mapping[str, DocumentAnnotations], *, source: str = ""
) -> str:
    """The HTML page of ``report`` (computed with ``detail``); ``documents`` are the grouped records."""
    if report.detail is None:
        raise ValueError("the report was computed without detail; compute it with detail=True")
    ci = (
        f"{report.confidence:.0%} intervals: {report.resamples} bootstrap resamples over documents, seed {report.seed}"
        if report.resamples
        else "no bootstrap intervals (--resamples 0)"
    )
    sections = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Annotation agreement{(' — ' + escape(source)) if source else ''}</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Annotation agreement</h1>",
        f'<p id="summary">{report.annotations} annotations of {report.documents} documents by '
        f"{len(report.annotators)} annotators ({escape(', '.join(report.annotators))}). "
        f'<span class="note">{escape(ci)}; format {report.format}.</span></p>',
        '<section id="pairs"><h2>Annotator pairs</h2>',
        _pair_heatmaps(report),
        _pairs_table(report),
        '<p class="note">Span counts: matched / spans of the first + spans of the second annotator.</p></section>',
        '<section id="labels"><h2>Per label</h2>',
        '<p class="note">Pooled over every annotator pair on their shared documents. Token α: each token is '
        'a unit rated "this label or not" by every annotator of its document. α<sub>u</sub>: Krippendorff\'s '
        "unitizing α, which credits partial overlap (Krippendorff 1995, 2004).</p>",
        _labels_table(report),
        "</section>",
        '<section id="stance"><h2>Stance</h2>',
        _stance_table(report),
        "</section>",
        '<section id="confusion"><h2>Label confusion</h2>',
        _confusion(report),
        "</section>",
        '<section id="documents"><h2>Documents, worst agreement first</h2>',
        _documents(report, documents),
        "</section>",
    ]
    if report.detail.gold is not None:
        sections += ['<section id="gold"><h2>Annotators against the gold</h2>', _gold(report), "</section>"]
    sections.append("</body></html>")
    return "\n".join(sections) + "\n"
