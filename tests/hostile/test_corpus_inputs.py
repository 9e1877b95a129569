"""Hostile inputs to `corpus build` and `corpus inspect`: raw files, settings, sources, gold, licence.

Each class of bad input is fed to every corpus command that reads it (build, build --skip-bad,
inspect); each case asserts the exit code, the culprit named, no traceback and an unchanged tree
(the inputs, and the output folder stays absent when the build is refused).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.hostile.corpus_cases import (
    GOOD_LINE,
    MEDCOM,
    PROSE,
    Case,
    build_args,
    counted,
    seed_gold,
    seed_raw,
)
from tests.hostile.harness import BAD_UTF8, DEEP_JSON, HUGE_INT, YAML_BOMB

# ------------------------------------------------------------------------------------- raw JSONL

JSONL_PAYLOADS: dict[str, tuple[bytes, str]] = {
    "deep-json": (DEEP_JSON.encode(), "nested more than"),
    "huge-int": (('{"text": "%s", "n": %s}' % (PROSE, HUGE_INT)).encode(), "digits"),
    "lone-surrogate": (('{"text": "%s \\ud800"}' % PROSE).encode(), "surrogate"),
    "invalid-utf8": (b'{"text": "' + PROSE.encode() + BAD_UTF8 + b'"}', "not valid UTF-8"),
    "wrong-shape-list": (b'["a", "list"]', "expected a JSON object"),
    "wrong-shape-text-object": (b'{"text": {"a": 1}}', "non-string"),
    "nul-escape": (('{"text": "%s\\u0000"}' % PROSE).encode(), "NUL"),
}


def _jsonl_case(payload: bytes, what: str, command: str) -> object:
    def make(tmp: Path) -> Case:
        raw = seed_raw(tmp)
        (raw / "feed.jsonl").write_bytes(GOOD_LINE.encode() + b"\n" + payload + b"\n")
        out = tmp / "out"
        if command == "build":
            return Case("", build_args(raw, out), 2, rf"feed\.jsonl, line 2: .*{what}", [raw, out])
        if command == "build-skip-bad":
            return Case("", [*build_args(raw, out), "--skip-bad"], 0, rf"skipped.* feed\.jsonl:2: .*{what}", [raw])
        return Case("", ["corpus", "inspect", str(raw / "feed.jsonl")], 2, rf"feed\.jsonl, line 2: .*{what}", [raw])

    return make


# --------------------------------------------------------------------------------------- raw text

def _txt(name: str, data: bytes, what: str, command: str, line: str = "") -> object:
    def make(tmp: Path) -> Case:
        raw = seed_raw(tmp)
        (raw / name).write_bytes(data)
        out = tmp / "out"
        shown = re.escape(name.encode("unicode_escape").decode()) if not name.isprintable() else re.escape(name)
        if command == "build":
            return Case("", build_args(raw, out), 2, rf"{shown}.*{what}", [raw, out])
        if command == "build-skip-bad":
            return Case("", [*build_args(raw, out), "--skip-bad"], 0, rf"skipped.*{shown}.*{what}", [raw])
        code = 0 if what == "no body text" else 2
        return Case("", ["corpus", "inspect", str(raw / name)], code, rf"{shown}.*{what}", [raw])

    return make


NUL_LATE = (PROSE + "\n\n") .encode() * 600 + b"\x00" + PROSE.encode() + b"\n"
TITLE_ONLY = b"Judul Berita Tanpa Isi Sama Sekali\n\n"
TXT_PAYLOADS: dict[str, tuple[str, bytes, str]] = {
    "nul-after-64k": ("late_nul.txt", NUL_LATE, "NUL byte at byte offset"),
    "invalid-utf8": ("latin1.txt", b"Judul\n\n" + PROSE.encode() + BAD_UTF8 + b"\n", "not valid UTF-8"),
    "empty-body": ("title_only.txt", TITLE_ONLY, "no body text"),
    "newline-in-name": ("evil\n# Injected heading.txt", (PROSE + "\n").encode(), "control character"),
    "escape-in-name": ("evil\x1b[31m.txt", (PROSE + "\n").encode(), "control character"),
}


# --------------------------------------------------------------------------------------- symlinks

def _link_case(kind: str, skip_bad: bool) -> object:
    def make(tmp: Path) -> Case:
        raw = seed_raw(tmp)
        outside = tmp / "outside"
        outside.mkdir()
        (outside / "secret.txt").write_text("Rahasia yang tidak boleh masuk ke korpus sama sekali, " + PROSE + "\n")
        if kind == "file-out":
            os.symlink(outside / "secret.txt", raw / "p.txt")
            name, what = "p.txt", "symlink leads outside the raw folder"
        elif kind == "dir-out":
            os.symlink(outside, raw / "ext")
            name, what = "ext", "symlink leads outside the raw folder"
        elif kind == "etc-passwd":
            os.symlink("/etc/passwd", raw / "passwd.txt")
            name, what = "passwd.txt", "symlink leads outside the raw folder"
        elif kind == "loop-to-root":
            os.symlink(".", raw / "again")
            name, what = "again", "symlink loop"
        elif kind == "self-loop":
            os.symlink("self.txt", raw / "self.txt")
            name, what = "self.txt", "symlink loop"
        else:  # dangling
            os.symlink(tmp / "nowhere.txt", raw / "gone.txt")
            name, what = "gone.txt", "broken symlink"
        out = tmp / "out"
        if skip_bad:
            return Case("", [*build_args(raw, out), "--skip-bad"], 0, rf"skipped.* {re.escape(name)}: {what}", [raw, outside])
        return Case("", build_args(raw, out), 2, rf"{re.escape(name)}: {what}", [raw, outside, out])

    return make


# ------------------------------------------------------------------------------- settings (YAML)

SETTINGS_PAYLOADS: dict[str, tuple[bytes | None, str]] = {
    "alias-bomb": (YAML_BOMB.encode(), "aliases are expanded"),
    "invalid-utf8": (b"timezone: WIB\nsplits:\n  salt: " + BAD_UTF8 + b"\n", "not valid UTF-8"),
    "wrong-shape-list": (b"- timezone\n- WIB\n", "must be a mapping"),
    "deep-nesting": (("a: " + "[" * 200 + "]" * 200 + "\n").encode(), "nested"),
    "lone-surrogate": (b'splits:\n  salt: "x\\ud800"\n', "surrogate"),
    "huge-int": (("dedup:\n  num_perm: " + HUGE_INT + "\n").encode(), "refused YAML"),
    "num-perm-beyond-memory": (b"dedup:\n  num_perm: 1000000000000\n", r"'dedup\.num_perm' must be in 16\.\.4096"),
    "infinite-ratio": (b"splits:\n  train: .inf\n", r"'splits\.train' must be a finite number"),
    "folder": (None, "is a folder"),
}


def _settings_case(payload: bytes | None, what: str, command: str) -> object:
    def make(tmp: Path) -> Case:
        raw = seed_raw(tmp)
        settings = tmp / "config.yaml"
        if payload is None:
            settings.mkdir()
        else:
            settings.write_bytes(payload)
        out = tmp / "out"
        culprit = rf"config\.yaml.*{what}"
        if command == "build":
            return Case("", [*build_args(raw, out), "--settings", str(settings)], 2, culprit, [raw, settings, out])
        return Case("", ["corpus", "inspect", str(raw / MEDCOM), "--settings", str(settings)], 2, culprit, [raw, settings])

    return make


# ---------------------------------------------------------------------------------- sources (YAML)

SOURCES_PAYLOADS: dict[str, tuple[bytes | None, str]] = {
    "alias-bomb": (YAML_BOMB.encode(), "aliases are expanded"),
    "invalid-utf8": (b"e868b1205f427ac5:\n  outlet: " + BAD_UTF8 + b"\n", "not valid UTF-8"),
    "wrong-shape-list": (b"- e868b1205f427ac5\n", "expected a mapping"),
    "outlet-not-string": (b"e868b1205f427ac5:\n  outlet: [a, b]\n", "outlet must be a string"),
    "lone-surrogate": (b'e868b1205f427ac5:\n  evidence: "x\\ud800"\n', "surrogate"),
    "python-tag": (b"e868b1205f427ac5: !!python/object/apply:os.system ['true']\n", "YAML"),
    "folder": (None, "is a folder"),
}


def _sources_case(payload: bytes | None, what: str) -> object:
    def make(tmp: Path) -> Case:
        raw = seed_raw(tmp)
        sources = tmp / "sources.yaml"
        if payload is None:
            sources.mkdir()
        else:
            sources.write_bytes(payload)
        out = tmp / "out"
        return Case("", [*build_args(raw, out), "--sources", str(sources)], 2, rf"sources\.yaml.*{what}", [raw, sources, out])

    return make


# ------------------------------------------------------------------------------------ gold (JSON)

GOLD_FILE = "e868b1205f427ac5.json"
GOLD_PAYLOADS: dict[str, tuple[bytes | None, str]] = {
    "deep-json": (DEEP_JSON.encode(), "nested more than"),
    "huge-int": (('{"article_id": "e868b1205f427ac5", "text_sha256": "x", "entities": [{"start": %s}]}' % HUGE_INT).encode(), "digits"),
    "invalid-utf8": (b'{"article_id": "' + BAD_UTF8 + b'"}', "not valid UTF-8"),
    "lone-surrogate": (b'{"article_id": "e868b1205f427ac5", "text_sha256": "\\ud800"}', "surrogate"),
    "wrong-shape-list": (b"[1, 2, 3]", "must be an object"),
    "string-offsets": (b'{"article_id": "e868b1205f427ac5", "text_sha256": "x", "entities": [{"start": "0", "end": "4", "label": "ORG", "text": "NATO"}]}', r"entities\[0\]\.start must be an integer"),
    "entity-without-keys": (b'{"article_id": "e868b1205f427ac5", "text_sha256": "x", "entities": [{}]}', r"entities\[0\]\.start must be an integer"),
    "entities-null": (b'{"article_id": "e868b1205f427ac5", "text_sha256": "x", "entities": null}', "entities must be a list"),
    "symlink-out": (None, "leads outside"),
}


def _gold_case(payload: bytes | None, what: str) -> object:
    def make(tmp: Path) -> Case:
        raw = seed_raw(tmp)
        gold = seed_gold(tmp)
        target = gold / GOLD_FILE
        if payload is None:
            outside = tmp / "elsewhere.json"
            outside.write_bytes(target.read_bytes())
            target.unlink()
            os.symlink(outside, target)
        else:
            target.write_bytes(payload)
        out = tmp / "out"
        return Case("", [*build_args(raw, out), "--gold", str(gold)], 3, rf"{re.escape(GOLD_FILE)}.*{what}", [raw, gold, out])

    return make


# ----------------------------------------------------------------------------------------- licence

def _licence_case(kind: str) -> object:
    def make(tmp: Path) -> Case:
        raw = seed_raw(tmp)
        licence = tmp / "LICENSE-DATA"
        if kind == "folder":
            licence.mkdir()
            what = "no such licence file"
        else:
            licence.write_bytes(b"license_name: x\n" + BAD_UTF8)
            what = "not valid UTF-8"
        out = tmp / "out"
        return Case("", [*build_args(raw, out), "--licence", str(licence)], 2, rf"LICENSE-DATA.*{what}", [raw, licence, out])

    return make


CLASSES = {
    **{f"raw-jsonl-{k}": [(c, _jsonl_case(p, w, c)) for c in ("build", "build-skip-bad", "inspect")] for k, (p, w) in JSONL_PAYLOADS.items()},
    **{f"raw-txt-{k}": [(c, _txt(n, d, w, c)) for c in ("build", "build-skip-bad", "inspect")] for k, (n, d, w) in TXT_PAYLOADS.items()},
    **{f"raw-symlink-{k}": [("build", _link_case(k, False)), ("build-skip-bad", _link_case(k, True))] for k in ("file-out", "dir-out", "etc-passwd", "loop-to-root", "self-loop", "dangling")},
    **{f"settings-{k}": [(c, _settings_case(p, w, c)) for c in ("build", "inspect")] for k, (p, w) in SETTINGS_PAYLOADS.items()},
    **{f"sources-{k}": [("build", _sources_case(p, w))] for k, (p, w) in SOURCES_PAYLOADS.items()},
    **{f"gold-{k}": [("build", _gold_case(p, w))] for k, (p, w) in GOLD_PAYLOADS.items()},
    **{f"licence-{k}": [("build", _licence_case(k))] for k in ("folder", "invalid-utf8")},
}
CASES = counted(CLASSES)


@pytest.mark.parametrize(("cls", "case_id", "factory"), CASES, ids=[c[1] for c in CASES])
def test_hostile_corpus_input(tmp_path: Path, capsys: pytest.CaptureFixture[str], cls: str, case_id: str, factory) -> None:  # noqa: ANN001
    case = factory(tmp_path)
    case.id = case_id
    case.check(capsys)


def test_symlinked_secret_never_reaches_the_release(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With --skip-bad the link is listed and left out: nothing of /etc/passwd is in the release."""
    from warta.release import Release

    raw = seed_raw(tmp_path)
    os.symlink("/etc/passwd", raw / "passwd.txt")
    case = Case("passwd", [*build_args(raw, tmp_path / "out"), "--skip-bad"], 0, r"skipped.*passwd\.txt", [raw])
    case.check(capsys)
    release = Release.open(tmp_path / "out")
    sources = [s["path"] for s in release.manifest["raw_sources"]]
    assert sources == sorted(p.name for p in (tmp_path / "raw").iterdir() if not p.is_symlink())
    assert all("root:" not in row["raw"] for row in release.read("documents"))


def test_lone_cr_is_a_line_break_and_raw_stays_byte_exact(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Old-Mac line endings split into the same paragraphs as LF; offsets still index the raw bytes."""
    from warta.corpus.verify import verify_release
    from warta.release import Release

    lf = (tmp_path / "lf")
    lf.mkdir()
    cr = tmp_path / "cr"
    cr.mkdir()
    data = (seed_raw(tmp_path, "seed") / MEDCOM).read_bytes().replace(b"\r\n", b"\n")
    (lf / MEDCOM).write_bytes(data)
    (cr / MEDCOM).write_bytes(data.replace(b"\n", b"\r"))
    for raw, out in ((lf, tmp_path / "out-lf"), (cr, tmp_path / "out-cr")):
        Case(str(raw), build_args(raw, out), 0, r"release 1\.0\.0", [raw]).check(capsys)
        assert verify_release(out).ok
    lf_row = Release.open(tmp_path / "out-lf").read("documents")[0]
    cr_row = Release.open(tmp_path / "out-cr").read("documents")[0]
    assert cr_row["raw"].encode("utf-8") == (cr / MEDCOM).read_bytes()
    assert cr_row["text"] == lf_row["text"] and cr_row["title"] == lf_row["title"]
    assert cr_row["text"].count("\n\n") >= 3 and "\r" not in cr_row["text"]
    assert [(s["start"], s["end"], s["reason"]) for s in cr_row["removed"]] == [(s["start"], s["end"], s["reason"]) for s in lf_row["removed"]]
    for span in cr_row["removed"]:
        assert cr_row["raw"][span["start"] : span["end"]] == span["text"]


def test_raw_text_reaching_the_card_is_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A title with a newline, Markdown and HTML stays one escaped line of the card."""
    import json

    raw = tmp_path / "raw"
    raw.mkdir()
    record = {"id": "a1", "title": "Judul\n# Injected heading\n<script>alert(1)</script> [x](http://evil) *b*", "text": PROSE, "author": "A_B `c`"}
    (raw / "feed.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    Case("card", build_args(raw, tmp_path / "out"), 0, r"release 1\.0\.0", [raw]).check(capsys)
    card = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert not any(line.startswith("# Injected") for line in card.splitlines())
    assert "<script>" not in card and "[x](http://evil)" not in card
    assert r"Judul \# Injected heading \<script\>alert(1)\</script\> \[x\](http://evil) \*b\*" in card
    assert r"by A\_B \`c\`" in card


def test_markup_in_a_skipped_file_name_prints_literally(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = seed_raw(tmp_path)
    (raw / "bad[red]x[bold].docx").write_bytes(b"PK\x03\x04")
    out = tmp_path / "out[/red]"
    outcome = Case("markup", [*build_args(raw, out), "--skip-bad"], 0, re.escape("bad[red]x[bold].docx"), [raw]).check(capsys)
    assert "out[/red]" in outcome.out.replace("\n", "")


def test_markup_in_raw_lines_prints_literally_in_inspect(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(f"Judul [/red] berita [bold]x\n\n{PROSE} [/red] akhir [link=http://x]y[/link].\n", encoding="utf-8")
    outcome = Case("inspect-markup", ["corpus", "inspect", str(raw / "a.txt")], 0, re.escape("Judul [/red] berita [bold]x"), [raw]).check(capsys)
    assert "[/red] akhir" in outcome.out.replace("\n", " ") or "[/red]" in outcome.out


def test_markup_in_a_metadata_value_prints_literally_in_inspect() -> None:
    """The 'why' column shows parsed values (title, byline, date): plain text, not rich markup."""
    from rich.console import Console

    from warta.corpus.clean import Cleaned, Line, LineDecision
    from warta.corpus.inspect import InspectedArticle, render

    line = Line(1, 0, 20, "Oleh: Penulis [/red]")
    cleaned = Cleaned(text="", decisions=[LineDecision(line, "metadata", "author", value="Penulis [/red] [bold]")])
    console = Console(width=200, record=True)
    for part in render(InspectedArticle("x", "a.txt", None, cleaned)):
        console.print(part)
    assert "author = Penulis [/red] [bold]" in console.export_text()
