"""An Indonesian sentence splitter for the summarization baselines (and stance contexts).

A line break always ends a sentence (news paragraphs are lines). Inside a line a sentence ends at
``.``, ``!``, ``?`` or ``…`` (with any closing quotes or brackets after it) that is followed by a
space and then an upper-case letter, a digit or an opening quote, except:

* a period after a title or other abbreviation that precedes a name or number (``Dr.``, ``Prof.``,
  ``Jl.``, ``No.``, ``Rp.``, ``Kol.``; the list is :data:`ABBREVIATIONS`);
* a period after a single capital initial (``J. Smith``) or inside a dotted abbreviation
  (``A.S.``, ``S.H.``, ``a.n.``);
* periods and commas inside numbers never end anything (``100.000``, ``1,5``): they are not
  followed by a space.

``AS.`` (Amerika Serikat) is an ordinary word here: news sentences often end with it ("... sanksi
dari AS. Rusia menolak."), so it ends a sentence exactly when the next word starts a new one
(upper case); ``AS.`` followed by a lower-case word or a number does not split.
"""

from __future__ import annotations

import re

#: Abbreviations (without their period) after which a period does not end a sentence.
ABBREVIATIONS = frozenset(
    """
    Dr dr Drs Dra Prof Ir H Hj KH Tn Ny Nn Sdr Sdri Bpk Bp Ibu Yth yth
    Jl Jln Gg Kec Kab Kel Prov Kota No no Nomor Hal hlm Vol
    Rp Kol Letkol Mayor Kapt Letda Lettu Brigjen Mayjen Letjen Jend Jen Laks Marsda Kombes AKBP Kompol Irjen Komjen
    St Mr Mrs Ms Jr Sr Inc Ltd Co Corp vs Sen Rep Gen Gov Lt Col Capt
    a.n u.p d.a s.d dkk cs
    """.split()
)

_TERMINATOR = re.compile(r"[.!?…]+[\"'”’»)\]]*")
_NEXT_START = re.compile(r"\s+[\"'“‘«(\[]*(?:[^\W\d_]|\d)")
_WORD_BEFORE = re.compile(r"([\w.]+)$")


def _ends_sentence(line: str, term: re.Match[str]) -> bool:
    after = line[term.end() :]
    if not after.strip():
        return True
    nxt = _NEXT_START.match(after)
    if nxt is None or not after[:1].isspace():
        return False
    first = after[nxt.end() - 1]
    if first.isalpha() and not first.isupper():
        return False
    if term.group()[0] != ".":
        return True
    word = _WORD_BEFORE.search(line, 0, term.start())
    if word is None:
        return True
    token = word.group(1)
    if token in ABBREVIATIONS or token.rstrip(".") in ABBREVIATIONS:
        return False
    if len(token) == 1 and token.isalpha() and token.isupper():
        return False  # an initial: "J. Smith"
    if "." in token.strip("."):
        return False  # a dotted abbreviation: "A.S", "S.H", "a.n"
    if first.isdigit() and token.lower() in {"no", "nomor", "rp", "pasal", "ayat"}:
        return False
    return True


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text``, stripped of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        start = 0
        for term in _TERMINATOR.finditer(line):
            if _ends_sentence(line, term):
                spans.append((offset + start, offset + term.end()))
                start = term.end()
        spans.append((offset + start, offset + len(line)))
        offset += len(line)
    out: list[tuple[int, int]] = []
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            out.append((start, end))
    return out


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` (see the module docstring for the rules)."""
    return [text[s:e] for s, e in sentence_spans(text)]
