"""Hostile releases for `corpus verify`, `corpus diff` and `corpus publish --dry-run`.

A damaged copy of the committed release 1.0.0 is fed to every command that reads releases. Damage
that a checksum catches must be caught before anything is trusted (diff and publish call
``Release.check_files``, exit 3); lies that fix the checksums afterwards (the manifest re-signed)
must fail ``verify``, and so ``publish``. Nothing is ever written into the release.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hostile.corpus_cases import (
    Case,
    build_args,
    counted,
    flip_middle_byte,
    release_copy,
    seed_raw,
    set_manifest,
    sha256,
)
from tests.hostile.harness import BAD_UTF8, DEEP_JSON, HUGE_INT, YAML_BOMB, refresh_manifest_entry

DOCS = "documents/test-00000-of-00001.parquet"
NER = "ner/test-00000-of-00001.parquet"
Damage = Callable[[Path, Path], None]  # (release, tmp)


def _write_manifest_text(release: Path, text: str | bytes) -> None:
    path = release / "manifest.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))


def _manifest_text(release: Path) -> str:
    return (release / "manifest.json").read_text(encoding="utf-8")


def _add_listed_file(release: Path, name: str, data: bytes | None = None, link_to: Path | None = None) -> None:
    target = release / name
    if link_to is not None:
        os.symlink(link_to, target)
        data = link_to.read_bytes()
    else:
        target.write_bytes(data or b"")
    import hashlib

    entry = {"path": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    set_manifest(release, lambda m: m["files"].append(entry))


def _rewrite_rows(release: Path, relative: str, edit: Callable[[list[dict]], None]) -> None:
    """Edit a shard's rows, keep its Arrow schema, then re-sign its size and SHA-256: a lie."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(release / relative)
    rows = table.to_pylist()
    edit(rows)
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), release / relative, compression="zstd")
    refresh_manifest_entry(release, relative)


def _outside_file(tmp: Path) -> Path:
    path = tmp / "outside.txt"
    path.write_text("outside the release\n")
    return path


def _damage_path_escape(release: Path, tmp: Path) -> None:
    passwd = Path("/etc/passwd")
    entry = {"path": "../../../../etc/passwd", "bytes": passwd.stat().st_size, "sha256": sha256(passwd)}
    set_manifest(release, lambda m: m["files"].append(entry))


def _damage_absolute(release: Path, tmp: Path) -> None:
    outside = _outside_file(tmp)
    entry = {"path": str(outside), "bytes": outside.stat().st_size, "sha256": sha256(outside)}
    set_manifest(release, lambda m: m["files"].append(entry))


def _damage_folder_entry(release: Path, tmp: Path) -> None:
    (release / "extra").mkdir()
    entry = {"path": "extra", "bytes": 0, "sha256": "0" * 64}
    set_manifest(release, lambda m: m["files"].append(entry))


def _huge_int(release: Path, tmp: Path) -> None:
    _write_manifest_text(release, re.sub(r'"bytes": \d+', f'"bytes": {HUGE_INT}', _manifest_text(release), count=1))


def _bad_utf8(release: Path, tmp: Path) -> None:
    _write_manifest_text(release, _manifest_text(release).encode().replace(b'"name": "warta"', b'"name": "warta' + BAD_UTF8 + b'"', 1))


def _surrogate(release: Path, tmp: Path) -> None:
    _write_manifest_text(release, _manifest_text(release).replace('"name": "warta"', '"name": "\\ud800"', 1))


MANIFEST_DAMAGE: dict[str, tuple[Damage, str]] = {
    "deep-json": (lambda r, t: _write_manifest_text(r, "{\"files\": " + DEEP_JSON + "}"), "nested more than"),
    "huge-int": (_huge_int, "digits"),
    "invalid-utf8": (_bad_utf8, "not valid UTF-8"),
    "lone-surrogate": (_surrogate, "surrogate"),
    "a-list": (lambda r, t: _write_manifest_text(r, '[{"files": []}]'), "expected a JSON object, got list"),
    "entry-without-keys": (lambda r, t: set_manifest(r, lambda m: m["files"].append({})), r"files\[\d+\]\.path must be a non-empty string"),
    "files-null": (lambda r, t: set_manifest(r, lambda m: m.update(files=None)), "'files' must be a list"),
    "files-entry-a-string": (lambda r, t: set_manifest(r, lambda m: m["files"].append("README.md")), r"files\[\d+\] must be an object"),
    "bytes-a-string": (lambda r, t: set_manifest(r, lambda m: m["files"][0].update(bytes="12")), r"files\[0\]\.bytes must be a non-negative integer"),
    "path-escape": (_damage_path_escape, r"\.\./\.\./\.\./\.\./etc/passwd.* is not a plain relative path"),
    "absolute-path": (_damage_absolute, r"files\[\d+\]\.path '/.* is not a plain relative path"),
    "symlinked-entry": (lambda r, t: _add_listed_file(r, "notes.txt", link_to=_outside_file(t)), r"notes\.txt:? (is a symlink|is not a regular file)"),
    "folder-entry": (_damage_folder_entry, r"extra:? (is )?not a regular file"),
    "version-newline": (lambda r, t: set_manifest(r, lambda m: m.update(version="1.0.0\n")), r"release version '1\.0\.0\\\\?n' is not a semantic version"),
    "version-prefix": (lambda r, t: set_manifest(r, lambda m: m.update(version="v1.0.0")), r"release version 'v1\.0\.0' is not a semantic version"),
    "flipped-byte": (lambda r, t: flip_middle_byte(r / DOCS), re.escape(DOCS) + r".*(sha256|changed)"),
}
# Damage verify sees but a cheap manifest check does not (diff trusts size + SHA-256 only).
VERIFY_ONLY: dict[str, tuple[Damage, str]] = {
    "unlisted-file": (lambda r, t: (r / "extra.bin").write_bytes(b"x"), r"extra\.bin: not listed in the manifest"),
}


def _card(release: Path, text: bytes) -> None:
    (release / "README.md").write_bytes(text)
    refresh_manifest_entry(release, "README.md")


CARD_DAMAGE: dict[str, tuple[Damage, str]] = {
    "card-invalid-utf8": (lambda r, t: _card(r, (r / "README.md").read_bytes().replace(b"pretty_name:", b"pretty_name: " + BAD_UTF8, 1)), r"README\.md.*not valid UTF-8"),
    "card-alias-bomb": (lambda r, t: _card(r, b"---\n" + YAML_BOMB.encode() + b"---\n\n# card\n"), r"README\.md.*aliases are expanded"),
    "card-header-a-list": (lambda r, t: _card(r, b"---\n- a\n- b\n---\n\n# card\n"), r"README\.md.*must be a mapping"),
    "card-configs-a-string": (lambda r, t: _card(r, b"---\nconfigs: nope\n---\n\n# card\n"), r"README\.md.*'configs' in the card header must be a list"),
}


def _corrupt_resigned(release: Path, tmp: Path) -> None:
    flip_middle_byte(release / DOCS)
    refresh_manifest_entry(release, DOCS)


def _lie_text(rows: list[dict]) -> None:
    rows[0]["text"] = "Teks palsu yang tidak pernah ada di berkas mentah mana pun."


def _lie_zero_tags(rows: list[dict]) -> None:
    for row in rows:
        row["ner_tags"] = [0] * len(row["ner_tags"])


def _lie_tokens(rows: list[dict]) -> None:
    for row in rows:
        row["tokens"] = [t.upper() for t in row["tokens"]]


def _lie_drop_document(rows: list[dict]) -> None:
    rows.pop(0)


LIES: dict[str, tuple[Damage, str]] = {
    "corrupt-parquet-resigned": (_corrupt_resigned, "corrupt file .*" + re.escape(DOCS)),
    "lie-rewritten-text": (lambda r, t: _rewrite_rows(r, DOCS, _lie_text), re.escape(DOCS) + r" \[row \w+\]: paragraph 1 of text"),
    "lie-zeroed-ner-tags": (lambda r, t: _rewrite_rows(r, NER, _lie_zero_tags), re.escape(NER) + r" \[row \w+\]: ner_tags are not the IOB2 tags"),
    "lie-replaced-tokens": (lambda r, t: _rewrite_rows(r, NER, _lie_tokens), re.escape(NER) + r" \[row \w+\]: tokens are not the tokenizer's tokens"),
    "lie-dropped-document": (lambda r, t: _rewrite_rows(r, DOCS, _lie_drop_document), re.escape(NER) + r" \[row \w+\]: article '\w+' is not in documents"),
}


def _release_case(damage: Damage, culprit: str, command: str) -> Callable[[Path], Case]:
    def make(tmp: Path) -> Case:
        release = release_copy(tmp)
        damage(release, tmp)
        if command == "verify":
            return Case("", ["corpus", "verify", str(release)], 3, culprit, [release])
        if command == "diff":
            old = release_copy(tmp, "old")
            return Case("", ["corpus", "diff", str(old), str(release)], 3, culprit, [release, old])
        return Case("", ["corpus", "publish", str(release), "--repo-id", "warta-nlp/warta", "--dry-run"], 3, culprit, [release])

    return make


ALL = ("verify", "diff", "publish")
CLASSES = {
    **{f"manifest-{k}": [(c, _release_case(d, w, c)) for c in ALL] for k, (d, w) in MANIFEST_DAMAGE.items()},
    **{k: [(c, _release_case(d, w, c)) for c in ("verify", "publish")] for k, (d, w) in VERIFY_ONLY.items()},
    **{k: [(c, _release_case(d, w, c)) for c in ("verify", "publish")] for k, (d, w) in CARD_DAMAGE.items()},
    # diff reads every row too, so a corrupt (re-signed) shard reaches it; the lies are diffable rows.
    "corrupt-parquet-resigned": [(c, _release_case(*LIES["corrupt-parquet-resigned"], c)) for c in ALL],
    **{k: [(c, _release_case(d, w, c)) for c in ("verify", "publish")] for k, (d, w) in LIES.items() if k.startswith("lie-")},
}


def _repo_case(repo_id: str) -> Callable[[Path], Case]:
    def make(tmp: Path) -> Case:
        release = release_copy(tmp)
        return Case("", ["corpus", "publish", str(release), "--repo-id", repo_id, "--dry-run"], 2, r"--repo-id .* is not a Hub repo id", [release])

    return make


BAD_REPO_IDS = {"dot-dot": "../x", "three-parts": "a/b/c", "leading-dash": "-a/b", "newline": "org/name\n", "no-slash": "warta", "double-dot": "org/a..b", "empty": "", "space": "org/my name"}
CLASSES["publish-repo-id"] = [(k, _repo_case(v)) for k, v in BAD_REPO_IDS.items()]


def _wildcard_path(tmp: Path) -> Case:
    release = release_copy(tmp)
    _add_listed_file(release, "notes[1].txt", b"listed, but a pattern for upload_folder\n")
    return Case("", ["corpus", "publish", str(release), "--repo-id", "warta-nlp/warta", "--dry-run"], 3, r"notes\[1\]\.txt.*wildcard", [release])


CLASSES["publish-wildcard-path"] = [("publish", _wildcard_path)]
CASES = counted(CLASSES)


@pytest.mark.parametrize(("cls", "case_id", "factory"), CASES, ids=[c[1] for c in CASES])
def test_hostile_release(tmp_path: Path, capsys: pytest.CaptureFixture[str], cls: str, case_id: str, factory) -> None:  # noqa: ANN001
    case = factory(tmp_path)
    case.id = case_id
    case.check(capsys)


def test_every_lie_is_caught_by_verify_json_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The JSON report names the same culprit and says ok: false."""
    for name, (damage, culprit) in LIES.items():
        release = release_copy(tmp_path / name)
        damage(release, tmp_path)
        outcome = Case(name, ["corpus", "verify", str(release), "--json"], 3, r'"ok": false', [release]).check(capsys)
        report = json.loads(outcome.out)
        problems = [f"{p['file']}" + (f" [row {p['row']}]" if p["row"] else "") + f": {p['message']}" for p in report["problems"]]
        assert any(re.search(culprit, problem) for problem in problems), (name, problems)


def test_publish_lists_exactly_the_manifest_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    release = release_copy(tmp_path)
    outcome = Case("plan", ["corpus", "publish", str(release), "--repo-id", "warta-nlp/warta", "--dry-run"], 0, r"would tag v1\.0\.0", [release]).check(capsys)
    listed = sorted(line.split()[0] for line in outcome.out.splitlines() if line.startswith("  "))
    manifest = json.loads((release / "manifest.json").read_text())
    assert listed == sorted([f["path"] for f in manifest["files"]] + ["manifest.json"])


def test_markup_in_article_text_prints_literally_in_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`[/red]` in a changed article is shown as written, not parsed as rich markup."""
    old_raw = seed_raw(tmp_path, "raw-old")
    new_raw = seed_raw(tmp_path, "raw-new")
    article = new_raw / "000_e868b1205f427ac5.txt"
    paragraph = "Kalimat [/red] dengan [bold]markup[/bold] dan [link=http://x]tautan[/link] di tengah paragraf yang cukup panjang untuk dibaca.\n"
    article.write_bytes(article.read_bytes() + paragraph.encode())
    Case("old", build_args(old_raw, tmp_path / "old"), 0, r"release", [old_raw]).check(capsys)
    Case("new", [*build_args(new_raw, tmp_path / "new")[:-2], "1.0.1", "--no-progress"], 0, r"release", [new_raw]).check(capsys)
    outcome = Case(
        "diff", ["corpus", "diff", str(tmp_path / "old"), str(tmp_path / "new")], 0, re.escape("[/red] dengan [bold]markup[/bold]"),
        [tmp_path / "old", tmp_path / "new"],
    ).check(capsys)
    assert "[link=http://x]tautan[/link]" in outcome.out
