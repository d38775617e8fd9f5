"""Workers keep freed image buffers for the next photo instead of giving them back to the kernel
(albumen.worker.memory). Checked with glibc's own accounting in fresh processes."""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys

import pytest

PROBE = r"""
import ctypes, json, sys
import numpy as np

class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]

libc = ctypes.CDLL(None)
libc.mallinfo2.restype = MallInfo2
tuned = False
if sys.argv[1] == "tuned":
    from albumen.worker.memory import keep_image_buffers
    tuned = keep_image_buffers()
buffer = np.ones(20 << 20, np.uint8)  # about a 12 MP photo decoded at half scale, twice over
mapped = libc.mallinfo2().hblkhd
del buffer
print(json.dumps({"tuned": tuned, "mapped": mapped, "free_in_heap": libc.mallinfo2().fordblks}))
"""


def _probe(mode: str) -> dict[str, int]:
    out = subprocess.run([sys.executable, "-c", PROBE, mode], check=True, capture_output=True,
                         text=True, timeout=60)
    return json.loads(out.stdout)


def _has_mallinfo2() -> bool:
    try:
        return hasattr(ctypes.CDLL(None), "mallinfo2")
    except OSError:
        return False


@pytest.fixture(autouse=True)
def _glibc() -> None:
    if not _has_mallinfo2():
        if os.environ.get("CI") == "true":
            pytest.fail("CI runs on glibc >= 2.33; mallinfo2 must be there")
        pytest.skip("needs glibc >= 2.33 (mallinfo2) to observe the allocator")


def test_a_freed_photo_buffer_stays_in_the_heap_for_the_next_photo() -> None:
    plain, tuned = _probe("plain"), _probe("tuned")
    # Without the setting glibc maps a buffer this size and unmaps it when freed ...
    assert plain["mapped"] >= 20 << 20
    assert plain["free_in_heap"] < 20 << 20
    # ... with it, the buffer comes from the heap and stays there, free for the next photo.
    assert tuned["tuned"] is True
    assert tuned["mapped"] < 20 << 20
    assert tuned["free_in_heap"] >= 20 << 20
