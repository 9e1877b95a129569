"""warta.memory: freed memory given back to the system."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")

# Blocks above pymalloc's 512-byte limit come from glibc; keeping one in 64 leaves its heap full of
# holes that it does not give back by itself.
_FRAGMENT = """
from warta.memory import give_back_free_memory

def anon():
    for line in open("/proc/self/status"):
        if line.startswith("RssAnon"):
            return int(line.split()[1]) >> 10

blocks = [bytes(1500) for _ in range(100_000)]
kept = blocks[::64]
del blocks
held = anon()
{call}
print(held, anon())
"""


@pytest.mark.parametrize("trim", [True, False])
def test_freed_heap_memory_is_given_back_only_when_asked(trim: bool) -> None:
    code = _FRAGMENT.format(call="give_back_free_memory()" if trim else "pass")
    held, after = map(int, subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())
    assert held > 100  # MB: 150 MB of blocks were allocated
    if trim:
        assert after < held / 3
    else:
        assert after > held * 0.9  # glibc keeps it: the call is what gives it back
