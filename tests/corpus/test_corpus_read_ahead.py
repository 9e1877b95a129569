"""Announcing raw files to the kernel before they are read: only what may be read, ahead, in order."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from warta import inputs
from warta.corpus import readers
from warta.corpus.ingest import iter_articles

pytestmark = pytest.mark.skipif(not hasattr(os, "posix_fadvise"), reason="posix_fadvise is Linux-only")


def test_will_read_opens_only_regular_files_and_never_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    regular = tmp_path / "a.txt"
    regular.write_text("Isi berita.\n", encoding="utf-8")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer
    (tmp_path / "folder.txt").mkdir()
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    outside.write_text("rahasia\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(outside)
    opened: list[str] = []
    advised: list[tuple[int, int, int]] = []
    real_open, real_advise = os.open, os.posix_fadvise

    ours = {str(p) for p in (regular, fifo, tmp_path / "folder.txt", outside, link)}

    def spy_open(path, flags, *args):  # noqa: ANN001, ANN202
        if os.fspath(path) in ours:  # not what other threads of the test process open
            opened.append(os.fspath(path))
        return real_open(path, flags, *args)

    def spy_advise(fd: int, offset: int, length: int, advice: int) -> None:
        advised.append((offset, length, advice))
        real_advise(fd, offset, length, advice)

    monkeypatch.setattr(os, "open", spy_open)
    monkeypatch.setattr(os, "posix_fadvise", spy_advise)
    paths = [tmp_path / "missing.txt", fifo, tmp_path / "folder.txt", link, regular, "bad\x00name.txt"]
    worker = threading.Thread(target=inputs.will_read, args=(paths,), daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "will_read blocked"
    assert opened == [str(regular)]
    assert advised == [(0, inputs.WILL_READ_BYTES, os.POSIX_FADV_WILLNEED)]


def test_read_ahead_announces_the_next_window_before_the_current_one_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    outside = tmp_path / "outside.txt"
    outside.write_text("rahasia\n", encoding="utf-8")
    names = [f"{i:03d}.txt" for i in range(5)] + ["sub/005.jsonl", "006.pdf", "007.txt", "missing.txt", "009.txt"]
    for name in names:
        if name != "missing.txt" and name != "007.txt":
            (raw / name).write_text("Isi berita.\n", encoding="utf-8")
    (raw / "007.txt").symlink_to(outside)  # leads out of the raw folder: never announced
    real_root = readers.raw_root(raw)
    events: list[tuple[str, str]] = []
    monkeypatch.setattr(readers, "will_read", lambda paths: events.extend(("announce", os.fspath(p)) for p in paths))

    yielded = []
    for name in readers.read_ahead(raw, iter(names), real_root, files=3):
        events.append(("read", name))
        yielded.append(name)

    assert yielded == names  # every name, in order, the refused ones too (read_file reports them)
    announced = [path for kind, path in events if kind == "announce"]
    readable = [n for n in names if n not in ("006.pdf", "007.txt", "missing.txt")]
    assert announced == [os.path.join(real_root, n) for n in readable]
    position = {event: i for i, event in enumerate(events)}
    for k, name in enumerate(names):
        if name in readable:
            # announced before it is read, and before the reads of the window before its own
            assert position[("announce", os.path.join(real_root, name))] < position[("read", names[max(0, (k // 3 - 1) * 3)])]


def test_the_articles_are_those_of_the_files_read_one_by_one(raw_dir: Path, tmp_path: Path) -> None:
    from warta.corpus.ingest import article_from_raw
    from warta.corpus.settings import load_settings
    from warta.corpus.synthetic import generate

    corpus = tmp_path / "raw"
    generate(corpus, 400, seed=5)  # more files than one window of read_ahead
    for seed in raw_dir.iterdir():
        (corpus / seed.name).write_bytes(seed.read_bytes())
    files = readers.list_raw_files(corpus)
    assert len(files) > 2 * readers.READ_AHEAD_FILES
    settings = load_settings(None)
    real_root = readers.raw_root(corpus)
    one_by_one = [
        article_from_raw(doc, settings).to_dict()
        for rel in files
        for doc in readers.read_file(corpus / rel, rel, root=corpus, real_root=real_root)
    ]
    assert [a.to_dict() for a in iter_articles(corpus, settings)] == one_by_one
    assert [d.id for d in readers.iter_raw(corpus)] == [a["id"] for a in one_by_one]
