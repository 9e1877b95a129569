from __future__ import annotations

from pathlib import Path

import pytest

from warta.errors import OutputExistsError
from warta.fsutil import atomic_directory, write_text_atomic


def test_atomic_directory_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "release"
    with pytest.raises(RuntimeError), atomic_directory(target) as staging:
        (staging / "half.parquet").write_text("x")
        raise RuntimeError("boom")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_atomic_directory_publishes_complete_folder_and_refuses_non_empty(tmp_path: Path) -> None:
    target = tmp_path / "release"
    with atomic_directory(target) as staging:
        (staging / "a.txt").write_text("a")
        assert not target.exists()
    assert (target / "a.txt").read_text() == "a"
    with pytest.raises(OutputExistsError, match="not empty"), atomic_directory(target):
        pass
    assert sorted(p.name for p in tmp_path.iterdir()) == ["release"]


def test_write_text_atomic_refuses_to_overwrite(tmp_path: Path) -> None:
    path = write_text_atomic(tmp_path / "g.json", "one")
    with pytest.raises(OutputExistsError):
        write_text_atomic(path, "two")
    assert path.read_text() == "one"
    write_text_atomic(path, "two", overwrite=True)
    assert path.read_text() == "two"
    assert [p.name for p in tmp_path.iterdir()] == ["g.json"]
