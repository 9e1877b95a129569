"""The streaming build: the same bytes as the in-memory build, on the local and the Dask engine,
whatever the batch sizes; resumable; refusals before any work; shards the Hub reads."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from warta.corpus import steps
from warta.corpus.build import build_release
from warta.corpus.dedup import Deduplicator
from warta.corpus.ingest import ingest
from warta.corpus.pipeline import build, work_folder
from warta.corpus.settings import load_settings
from warta.corpus.synthetic import generate
from warta.errors import InputError, OutputExistsError

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "annotation" / "gold"


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same(a: Path, b: Path) -> None:
    ta, tb = tree(a), tree(b)
    assert sorted(ta) == sorted(tb)
    assert [name for name in ta if ta[name] != tb[name]] == []


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seeds + 2,500 synthetic articles (txt and JSONL) with exact and near duplicates and stories."""
    folder = tmp_path_factory.mktemp("scrapes") / "raw"
    generate(folder / "synthetic", 2_500, seed=11)
    for seed in (REPO / "corpus" / "raw").iterdir():
        shutil.copy(seed, folder / seed.name)
    return folder


@pytest.fixture(scope="module")
def reference(raw: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The in-memory build (ingest, then build_release) with gold and the labels of train hidden (the seeds land there)."""
    out = tmp_path_factory.mktemp("reference")
    settings = load_settings(REPO / "corpus" / "config.yaml")
    articles = ingest(raw, settings).articles
    assert sum(1 for a in articles if a.duplicate_of) > 200
    assert len({a.story_id for a in articles}) < len(articles) - 300
    build_release(
        articles, out / "public", version="1.0.0", settings=settings, gold=GOLD, hide_labels=["train"],
        private_out=out / "private", max_rows=700,
    )
    return out


def options(out: Path) -> dict:
    return {
        "version": "1.0.0", "settings_path": REPO / "corpus" / "config.yaml", "gold": GOLD,
        "hide_labels": ["train"], "private_out": out / "private", "max_rows": 700,
    }


def test_local_engine_gives_the_in_memory_bytes_whatever_the_batch_size(raw: Path, reference: Path, tmp_path: Path) -> None:
    for batch_bytes in (200_000, 3_000_000):
        out = tmp_path / str(batch_bytes)
        build(raw, out / "public", batch_bytes=batch_bytes, **options(out))
        assert_same(out / "public", reference / "public")
        assert_same(out / "private", reference / "private")
        assert not work_folder(out / "public").exists()
    shards = sorted(p.name for p in (reference / "public" / "documents").iterdir())
    assert "train-00000-of-00003.parquet" in shards


def test_a_tiny_spill_cache_and_one_open_file_give_the_same_bytes(raw: Path, reference: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shard writer's bounds (decoded batches held, spill files open) change its memory, never its output."""
    held: list[int] = []
    real = steps.SpillReader.record_batch

    def watched(self, batch: int, index: int):  # noqa: ANN001, ANN202
        found = real(self, batch, index)
        held.append(self.held)
        assert len(self.files) <= 1 and len(self.cache) <= 1
        return found

    monkeypatch.setattr(steps, "SPILL_CACHE_BYTES", 1)
    monkeypatch.setattr(steps, "SPILL_OPEN_FILES", 1)
    monkeypatch.setattr(steps.SpillReader, "record_batch", watched)
    build(raw, tmp_path / "public", batch_bytes=300_000, **options(tmp_path))
    assert_same(tmp_path / "public", reference / "public")
    assert len(held) > 100 and max(held) < 1 << 20  # one decoded 64-row batch at a time


@pytest.mark.parametrize("cache_bytes", [1, 64 << 20])
def test_spill_take_gives_the_rows_asked_for_in_the_order_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache_bytes: int) -> None:
    """Rows from several spill files and record batches, repeated and in random order, against the
    rows themselves: the take groups them by record batch and puts them back in order."""
    import pyarrow as pa

    monkeypatch.setattr(steps, "SPILL_CACHE_BYTES", cache_bytes)
    rng = np.random.default_rng(7)
    sizes = [300, 1, 129]
    schema = pa.schema([("id", pa.string()), ("n", pa.int64()), ("tags", pa.list_(pa.string()))])
    expected = {}
    (tmp_path / "read").mkdir()
    for batch, size in enumerate(sizes):
        rows = [{"id": f"{batch}-{r:04d}", "n": int(rng.integers(1 << 40)), "tags": [str(t) for t in range(r % 4)]} for r in range(size)]
        table = pa.Table.from_pylist(rows, schema=schema)
        steps._write_spill(steps.batch_paths(tmp_path, batch)["spill"], table, pa.array(np.arange(size)))
        expected.update({(batch, r): row for r, row in enumerate(rows)})
    batches = rng.choice(len(sizes), size=2_500, p=np.array(sizes) / sum(sizes))
    spill_rows = np.array([rng.integers(sizes[b]) for b in batches], dtype=np.int32)
    taken = steps.SpillReader(str(tmp_path)).take(batches, spill_rows)
    assert taken.to_pylist() == [expected[(int(b), int(r))] for b, r in zip(batches, spill_rows)]
    assert taken.column("id").num_chunks == 1


def test_dask_engine_with_two_workers_gives_the_same_bytes(raw: Path, reference: Path, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    build(raw, tmp_path / "public", engine="dask", workers=2, batch_bytes=400_000, **options(tmp_path))
    assert_same(tmp_path / "public", reference / "public")
    assert_same(tmp_path / "private", reference / "private")


#: A worker that has imported nothing yet: it runs one task and says whether the step imported ``datasets``.
_FRESH_WORKER = (
    "import pickle, sys; fn, task = pickle.load(sys.stdin.buffer); result = fn(task); "
    "sys.stdout.buffer.write(pickle.dumps((result, 'datasets' in sys.modules)))"
)


class _FreshProcessEngine:
    """Every task in a new interpreter, its arguments and result pickled as Dask ships them."""

    name = "fresh"
    parallelism = 1

    def __init__(self) -> None:
        self.ran: list[tuple[str, bool]] = []  # (step, imported datasets)

    def map(self, fn, tasks, *, desc: str):  # noqa: ANN001, ANN201
        import pickle
        import subprocess
        import sys

        for task in tasks:
            done = subprocess.run([sys.executable, "-c", _FRESH_WORKER], input=pickle.dumps((fn, task)), capture_output=True, check=True)
            result, imported = pickle.loads(done.stdout)
            self.ran.append((fn.__name__, imported))
            yield result

    def close(self) -> None:
        return None


def test_steps_run_in_a_fresh_process_without_datasets(raw: Path, reference: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tasks carry the documents schema, so a worker never imports ``datasets`` (69 MB per
    process) to derive it; shipped to fresh processes, the steps give the same bytes."""
    import warta.corpus.engines

    engine = _FreshProcessEngine()
    monkeypatch.setattr(warta.corpus.engines, "open_engine", lambda *args, **kwargs: engine)
    build(raw, tmp_path / "public", batch_bytes=3_000_000, **options(tmp_path))
    assert_same(tmp_path / "public", reference / "public")
    assert_same(tmp_path / "private", reference / "private")
    assert {step for step, _ in engine.ran} == {"read_step", "band_step", "story_step", "shard_step"}
    assert [step for step, imported in engine.ran if imported] == []


def test_an_interrupted_build_resumes_to_the_same_bytes(raw: Path, reference: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = steps.shard_step
    calls = []

    def crash_after_two(task):  # noqa: ANN001, ANN202
        calls.append(task)
        if len(calls) > 2:
            raise RuntimeError("killed")
        return real(task)

    monkeypatch.setattr(steps, "shard_step", crash_after_two)
    with pytest.raises(RuntimeError):
        build(raw, tmp_path / "public", batch_bytes=500_000, **options(tmp_path))
    work = work_folder(tmp_path / "public")
    assert not (tmp_path / "public").exists() and work.is_dir()
    assert (work / "plan" / "plan.json").is_file() and len(list((work / "write").glob("shard-*.json"))) == 2
    monkeypatch.setattr(steps, "shard_step", real)
    with pytest.raises(OutputExistsError, match="--resume"):
        build(raw, tmp_path / "public", batch_bytes=500_000, **options(tmp_path))
    with pytest.raises(InputError, match="cannot be resumed"):
        build(raw, tmp_path / "public", batch_bytes=500_000, resume=True, **{**options(tmp_path), "max_rows": 900})
    # Read batches done before the crash are not read again.
    read_calls = []
    monkeypatch.setattr(steps, "read_step", lambda task: read_calls.append(task) or pytest.fail("re-read"))
    build(raw, tmp_path / "public", batch_bytes=500_000, resume=True, **options(tmp_path))
    assert read_calls == []
    assert_same(tmp_path / "public", reference / "public")
    assert_same(tmp_path / "private", reference / "private")
    assert not work.exists()


def test_refusals_happen_before_any_work(raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(OutputExistsError):
        build(raw, out, version="1.0.0")
    with pytest.raises(InputError, match="--engine dask"):
        build(raw, tmp_path / "other", version="1.0.0", workers=2)
    with pytest.raises(InputError, match="unknown engine"):
        build(raw, tmp_path / "other", version="1.0.0", engine="spark")
    assert not work_folder(out).exists() and not work_folder(tmp_path / "other").exists()
    assert (out / "keep.txt").read_text() == "mine"


def test_bad_input_leaves_nothing(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    generate(raw, 50, seed=3)
    (raw / "zz-bad.jsonl").write_text('{"title": "Judul", "text": "Satu dua tiga empat lima enam tujuh delapan."}\nnot json\n', encoding="utf-8")
    with pytest.raises(InputError, match="zz-bad.jsonl, line 2"):
        build(raw, tmp_path / "out", version="1.0.0")
    assert not (tmp_path / "out").exists() and not work_folder(tmp_path / "out").exists()
    report, skipped = build(raw, tmp_path / "out", version="1.0.0", skip_bad=True)
    assert [str(p) for p in skipped] == ["zz-bad.jsonl:2: not valid JSON (Expecting value at column 1)"]
    assert sum(report.counts["documents"].values()) == 51


def test_repeated_ids_are_refused_or_skipped_like_ingest(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    generate(raw, 30, seed=5)
    line = '{"id": "same-id", "text": "Presiden Joko Widodo meresmikan jalan tol baru di Jakarta pada hari Senin."}\n'
    (raw / "a.jsonl").write_text(line, encoding="utf-8")
    (raw / "b.jsonl").write_text(line.replace("Senin", "Selasa"), encoding="utf-8")
    (raw / "c.jsonl").write_text(line.replace("Senin", "Rabu"), encoding="utf-8")
    with pytest.raises(InputError, match=r"b.jsonl, line 1: duplicate id same-id \(already used by a.jsonl, line 1\)"):
        build(raw, tmp_path / "out", version="1.0.0")
    report, skipped = build(raw, tmp_path / "out", version="1.0.0", skip_bad=True)
    expected = ingest(raw, skip_bad=True)
    assert [str(p) for p in skipped] == [str(p) for p in expected.skipped]
    assert [p.message for p in skipped] == ["duplicate id same-id (already used by a.jsonl, line 1)"] * 2
    assert sum(report.counts["documents"].values()) == len(expected.articles)


def test_shards_load_with_datasets_also_streaming(reference: Path) -> None:
    from datasets import load_dataset

    public = reference / "public"
    documents = load_dataset(str(public), "documents")
    assert sum(documents.num_rows.values()) == 2_502
    streamed = load_dataset(str(public), "documents", split="train", streaming=True)
    ids = [row["id"] for row in streamed]
    assert ids == documents["train"]["id"] and ids == sorted(ids)


def test_fast_signature_is_datasketch(raw: Path) -> None:
    dedup = Deduplicator()
    texts = [a.text for a in ingest(raw).articles[:300]] + ["", "satu", "satu dua tiga empat lima enam"]
    for text in texts:
        assert np.array_equal(dedup.signature(text), dedup.reference_signature(text))


def test_bucket_pairs_are_the_pairs_of_each_bucket() -> None:
    """The vectorised candidate pairs equal the per-bucket loop over ``equal_runs`` they replace,
    on random keys with buckets shorter and longer than the comparison limit."""
    from warta.corpus.dedup import equal_runs

    rng = np.random.default_rng(7)
    for _ in range(300):
        n = int(rng.integers(0, 400))
        keys = rng.integers(0, int(rng.integers(1, 60)), n).astype(np.uint64)
        most = int(rng.integers(1, 20))
        expected = [np.zeros(0, dtype=np.int64)]
        for members in equal_runs(keys):
            members = members.astype(np.int64)
            for d in range(1, min(most, len(members) - 1) + 1):
                expected.append(members[d:] * n + members[:-d])
        found = steps.bucket_pairs(keys, most)
        assert found.dtype == np.int64
        assert np.array_equal(np.sort(found), np.sort(np.concatenate(expected)))


@pytest.mark.parametrize(("chosen", "expected"), [(None, "system"), ("jemalloc", "jemalloc"), ("mimalloc", "mimalloc")])
def test_the_local_engine_uses_an_arrow_pool_that_gives_memory_back(chosen: str | None, expected: str) -> None:
    """Opening the engine that runs the steps makes the system allocator replace pyarrow's default
    mimalloc (which keeps freed pages), unless the user chose a pool."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    if chosen is not None:
        env["ARROW_DEFAULT_MEMORY_POOL"] = chosen
    code = (
        "import pyarrow as pa; from warta.corpus.engines import open_engine; "
        "print(pa.default_memory_pool().backend_name); open_engine('local'); open_engine('local'); print(pa.default_memory_pool().backend_name)"
    )
    before, after = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split()
    assert (before, after) == (chosen or "mimalloc", expected)


def test_verify_runs_on_dask_and_finds_what_local_finds(reference: Path, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    from warta.corpus.engines import open_engine
    from warta.corpus.verify import verify_release

    release = tmp_path / "release"
    shutil.copytree(reference / "public", release)
    runner = open_engine("dask", workers=2)
    try:
        clean = verify_release(release, engine=runner)
        assert clean.ok and clean.rows_checked == verify_release(release).rows_checked
        # Two shards with one same id: a repeated id across shards is found through the hashes.
        import pyarrow.parquet as pq

        shard = release / "documents" / "train-00001-of-00003.parquet"
        table = pq.read_table(shard)
        first = pq.read_table(release / "documents" / "train-00000-of-00003.parquet").column("id")[0].as_py()
        ids = table.column("id").to_pylist()
        ids[5] = first
        pq.write_table(table.set_column(0, "id", __import__("pyarrow").array(ids)), shard)
        found = [str(p) for p in verify_release(release, engine=runner).problems]
        assert f"documents/train-00001-of-00003.parquet [row {first}]: duplicate id" in found
        assert found == [str(p) for p in verify_release(release).problems]
    finally:
        runner.close()


def test_the_local_cluster_workers_run_quietly_on_the_lean_pool(tmp_path: Path) -> None:
    """The profiler and the fast monitors would take the GIL from the steps; the workers the engine
    starts must have them off or slowed, whatever the user's own Dask configuration says. Their
    Arrow pool is jemalloc where pyarrow has it (chosen before pyarrow loads, not by the steps), and
    mimalloc never allocates."""
    pytest.importorskip("distributed")
    import dask

    import pyarrow as pa
    import pyarrow.parquet as pq

    from warta.corpus.engines import open_engine
    from warta.corpus.engines.dask import QUIET_WORKERS

    parquet = str(tmp_path / "t.parquet")
    pq.write_table(pa.table({"id": [str(i) for i in range(5000)]}), parquet)

    def settings() -> dict:
        import dask

        return {key: dask.config.get(key) for key in QUIET_WORKERS}

    def pool(_: int) -> tuple[str, int]:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.ParquetFile(parquet).read()
        return pa.default_memory_pool().backend_name, pa.mimalloc_memory_pool().max_memory()

    with dask.config.set({"distributed.worker.profile.enabled": True, "distributed.admin.tick.interval": "20ms"}):
        runner = open_engine("dask", workers=1)
        assert dask.config.get("distributed.admin.tick.interval") == "20ms"  # the caller's config is left alone
    try:
        found = runner.client.run(settings)
        assert list(found.values()) == [QUIET_WORKERS]
        wanted = "jemalloc" if "jemalloc" in pa.supported_memory_backends() else "system"
        assert list(runner.map(pool, [0], desc="pool")) == [(wanted, 0)]  # chosen before pyarrow loaded
        # The plugin that gives a task's freed memory back when it ends (and sets the pool on a cluster started by hand).
        assert list(runner.client.run(lambda dask_worker: "warta-lean-memory" in dask_worker.plugins).values()) == [True]
    finally:
        runner.close()


def test_the_worker_environment_gives_the_quiet_settings_and_the_lean_pool() -> None:
    """Workers of a cluster started by hand get the settings from the environment variables that
    ``docs/scale.md`` passes them: the variables must mean, to Dask, what ``QUIET_WORKERS`` says, and
    give Arrow the workers' pool. A pool the worker's pyarrow lacks ends on the system allocator
    once the engine's plugin has run, not on mimalloc."""
    pytest.importorskip("distributed")
    import json
    import os
    import subprocess
    import sys

    from warta.corpus.engines.dask import QUIET_WORKERS, worker_env

    code = (
        "import json, dask, distributed, pyarrow as pa; "
        f"print(json.dumps({{k: dask.config.get(k) for k in {list(QUIET_WORKERS)!r}}} | {{'pool': pa.default_memory_pool().backend_name}}))"
    )
    bare = {k: v for k, v in os.environ.items() if not k.startswith("DASK_") and k != "ARROW_DEFAULT_MEMORY_POOL"}
    found = json.loads(subprocess.run([sys.executable, "-c", code], env=bare | worker_env(), capture_output=True, text=True, check=True).stdout)
    import pyarrow as pa

    assert found == QUIET_WORKERS | {"pool": "jemalloc" if "jemalloc" in pa.supported_memory_backends() else "system"}
    fallback = "from warta.memory import use_lean_pool; import pyarrow as pa; use_lean_pool(); print(pa.default_memory_pool().backend_name)"
    lacking = subprocess.run([sys.executable, "-c", fallback], env=bare | {"ARROW_DEFAULT_MEMORY_POOL": "no-such-pool"}, capture_output=True, text=True, check=True)
    assert lacking.stdout.strip() == "system"
    defaults = json.loads(subprocess.run([sys.executable, "-c", code], env=bare, capture_output=True, text=True, check=True).stdout)
    assert all(defaults[key] != value for key, value in QUIET_WORKERS.items())  # each variable changes something
    assert defaults["pool"] == "mimalloc"


def test_the_cli_gives_all_of_arrow_the_system_allocator(tmp_path: Path) -> None:
    """Chosen through the environment before pyarrow loads, the pool is the one Parquet's reader
    uses inside Arrow too: mimalloc never allocates (after ``set_memory_pool`` alone it would)."""
    import os
    import subprocess
    import sys

    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": [str(i) for i in range(5000)]}), tmp_path / "t.parquet")
    code = (
        "import sys; from warta.cli import main; main(['--version']); "
        "from warta.inputs import read_parquet; import pyarrow as pa; "
        f"read_parquet({str(tmp_path / 't.parquet')!r}); "
        "print(pa.default_memory_pool().backend_name, pa.mimalloc_memory_pool().max_memory())"
    )
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split()
    assert out[-2:] == ["system", "0"]
    fallback = code.replace("import sys;", "import pyarrow; pyarrow.default_memory_pool();")
    out = subprocess.run([sys.executable, "-c", fallback], env=env, capture_output=True, text=True, check=True).stdout.split()
    assert out[-2] == "system" and int(out[-1]) > 0  # pyarrow loaded first: only the fallback, and the leak it leaves


def test_streaming_diff_equals_the_indexed_diff(raw: Path, reference: Path, tmp_path: Path) -> None:
    from warta.corpus import diff as diff_module
    from warta.release import Release

    changed_raw = tmp_path / "raw"
    shutil.copytree(raw, changed_raw)
    txt = sorted((changed_raw / "synthetic").glob("*.txt"))
    for path in txt[:15]:
        path.unlink()
    for path in txt[15:20]:
        path.write_text(path.read_text(encoding="utf-8") + "\nKalimat tambahan di akhir berita.", encoding="utf-8")
    generate(changed_raw / "more", 12, seed=99)
    build(changed_raw, tmp_path / "new", version="1.1.0", max_rows=700)
    result = diff_module.diff_releases(reference / "public", tmp_path / "new")
    old, new = Release.open(reference / "public"), Release.open(tmp_path / "new")
    added, removed, changed = diff_module._indexed(old, new)
    assert (result["added"], result["removed"], result["changed"]) == (added, removed, changed)
    assert len(removed) >= 15 and len(added) >= 12 and changed


def test_a_damaged_array_in_the_work_folder_is_named_on_resume(raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(steps, "band_step", lambda task: (_ for _ in ()).throw(RuntimeError("killed")))
    with pytest.raises(RuntimeError):
        build(raw, tmp_path / "public", batch_bytes=500_000, **options(tmp_path))
    monkeypatch.undo()
    signature = steps.batch_paths(work_folder(tmp_path / "public"), 0)["sig"]
    signature.write_bytes(signature.read_bytes()[:100])
    with pytest.raises(InputError, match=signature.name) as info:
        build(raw, tmp_path / "public", batch_bytes=500_000, resume=True, **options(tmp_path))
    assert "work folder is damaged" in (info.value.hint or "")
    assert not (tmp_path / "public").exists()


def test_a_fingerprint_file_of_the_wrong_length_is_named_on_resume(raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The plan fills its columns in place from the batches' counts: a fingerprint file that
    disagrees with its batch is a damaged work folder, not a broadcasting error."""
    import pyarrow.parquet as pq

    monkeypatch.setattr(steps, "band_step", lambda task: (_ for _ in ()).throw(RuntimeError("killed")))
    with pytest.raises(RuntimeError):
        build(raw, tmp_path / "public", batch_bytes=500_000, **options(tmp_path))
    monkeypatch.undo()
    fingerprints = steps.batch_paths(work_folder(tmp_path / "public"), 1)["fp"]
    table = pq.read_table(fingerprints)
    pq.write_table(table.slice(0, len(table) - 1), fingerprints)
    with pytest.raises(InputError, match=f"{fingerprints.name}: {len(table) - 1} rows, its batch says {len(table)}") as info:
        build(raw, tmp_path / "public", batch_bytes=500_000, resume=True, **options(tmp_path))
    assert "work folder is damaged" in (info.value.hint or "")
    assert not (tmp_path / "public").exists()


@pytest.mark.parametrize("damage", ["truncated", "not arrow", "missing"])
def test_a_damaged_spill_is_named_on_resume(raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str) -> None:
    monkeypatch.setattr(steps, "shard_step", lambda task: (_ for _ in ()).throw(RuntimeError("killed")))
    with pytest.raises(RuntimeError):
        build(raw, tmp_path / "public", batch_bytes=500_000, **options(tmp_path))
    monkeypatch.undo()
    spill = steps.batch_paths(work_folder(tmp_path / "public"), 1)["spill"]
    data = spill.read_bytes()
    if damage == "truncated":  # the footer survives, a record batch in the middle does not
        spill.write_bytes(data[:2000] + bytes(len(data) - 2000 - 4096) + data[-4096:])
    elif damage == "not arrow":
        spill.write_bytes(b"PAR1" + bytes(500) + b"PAR1")
    else:
        spill.unlink()
    with pytest.raises(InputError, match=spill.name) as info:
        build(raw, tmp_path / "public", batch_bytes=500_000, resume=True, **options(tmp_path))
    assert "work folder is damaged" in (info.value.hint or "")
    assert not (tmp_path / "public").exists()
