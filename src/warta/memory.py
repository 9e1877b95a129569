"""Memory given back to the system: Arrow on the system allocator, and glibc's free pages returned.

pyarrow's default pool on Linux is mimalloc, which keeps the pages of freed buffers for reuse. The
corpus build decodes and frees Parquet and Arrow IPC buffers batch after batch, so under mimalloc
those pages stay in the process. Measured with ``ARROW_DEFAULT_MEMORY_POOL`` and no other change
(the bytes written do not depend on the pool), peak RSS of a 100,000-article build: mimalloc 414
MB, system 382 MB, jemalloc 345 MB; of the plan of 300,000 articles: 353, 261 and 260 MB. One read
batch (9,177 articles, four runs each, alternating) took 12.3-14.0 s of CPU under mimalloc,
11.5-16.9 s under the system allocator and 14.1-16.3 s under jemalloc: the system allocator saves
most of the memory at no measurable cost in speed.

The pool is best chosen through the environment before pyarrow is loaded (:func:`prefer_lean_pool`,
which the CLI calls first): pyarrow reads ``ARROW_DEFAULT_MEMORY_POOL`` once, and
``pyarrow.set_memory_pool`` only changes the pool that pyarrow passes down. Arrow's C++ code that
asks for the default pool itself (Parquet's reader does) still gets mimalloc, and the two allocators
fragment each other: reading one fingerprint file 100 times grew the process by 21 MB after
``set_memory_pool``, by 3 MB with the variable set; loading the plan's columns of 1.2 million
articles, 161 against 114 MB. :func:`use_lean_pool` is the fallback for a process that loaded pyarrow
before warta could choose.

Then glibc: it keeps freed chunks in its heaps, so a stage (or the next task) whose allocations do
not fit the holes a previous one left grows the process on top of them; :func:`give_back_free_memory`
returns those pages. At 100,000 articles it took the plan stage from 302 to 259 MB.

Dask workers are the exception: their Arrow runs on jemalloc (:func:`worker_pool_environ`). Dask's
nannies set ``MALLOC_TRIM_THRESHOLD_=65536`` in their workers, and setting any glibc threshold turns
off its adaptive mmap threshold, so every buffer over 128 KiB (a spill batch read back, a column
gathered for a shard) is mapped and unmapped afresh. A 20,000-article build with that variable set
took 578,000-601,000 minor page faults and 1.23-1.40 s of system time on the system allocator,
297,000 and 0.93-1.04 s with Arrow on jemalloc, which keeps its own extents. 100,000 articles on
two workers, two runs each, alternating, every process of the build on jemalloc: 26.5-26.7 s
against 27.3-31.8 s, 4 s of the workers' system time against 6-9 s, peaks of 893-896 MB against
862-863 MB; with only the workers on it, as here, the peak is 859-865 MB. In one process without
the variable, jemalloc and the system allocator took the same time (435-445 µs an article at
100,000), so the build's own process stays on the system allocator.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from functools import cache

#: The variable pyarrow reads, once, when it first needs its default pool.
POOL_VARIABLE = "ARROW_DEFAULT_MEMORY_POOL"
LEAN_POOL = "system"


#: The pool of a Dask worker, where pyarrow was built with it (its Linux and macOS wheels are).
WORKER_POOL = "jemalloc"


def worker_pool_environ() -> dict[str, str]:
    """The variable for a Dask worker about to start: the user's choice, else jemalloc where this
    pyarrow has it, else the system allocator (see the module's docstring for why workers differ)."""
    chosen = os.environ.get(POOL_VARIABLE)
    if not chosen:
        import pyarrow as pa

        chosen = WORKER_POOL if WORKER_POOL in pa.supported_memory_backends() else LEAN_POOL
    return {POOL_VARIABLE: chosen}


def prefer_lean_pool() -> None:
    """At the start of a process: choose the system allocator through the environment (unless the
    user chose a pool), so that all of Arrow uses it; if pyarrow is loaded already, :func:`use_lean_pool`."""
    if "pyarrow" in sys.modules:
        use_lean_pool()
    else:
        os.environ.setdefault(POOL_VARIABLE, LEAN_POOL)


def use_lean_pool() -> None:
    """Make the system allocator Arrow's default pool where it is mimalloc, unless the user chose
    mimalloc with ``ARROW_DEFAULT_MEMORY_POOL``.

    Cheap and idempotent. The engines call it in every process that runs steps (this one, and each
    Dask worker through :class:`~warta.corpus.engines.worker_setup.LeanMemory`); commands that run no
    engine call it themselves. Buffers already allocated stay valid; they remember their pool."""
    import pyarrow as pa

    chosen = os.environ.get(POOL_VARIABLE)
    found = pa.default_memory_pool().backend_name
    # A pool this pyarrow lacks (a worker of a cluster built from other wheels) leaves mimalloc.
    if found == "mimalloc" and chosen != "mimalloc":
        pa.set_memory_pool(pa.system_memory_pool())


@cache
def _malloc_trim() -> object | None:
    name = ctypes.util.find_library("c")
    if name is None or not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


def give_back_free_memory() -> None:
    """Return the pages of freed memory to the system (glibc's ``malloc_trim``; nothing elsewhere).

    glibc keeps freed chunks in its heaps, and a later stage whose allocations do not fit in those
    holes grows the process on top of them. Called between tasks and after the plan: it takes a few
    milliseconds."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
