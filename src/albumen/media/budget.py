"""Decode memory: what a decode costs, and the process-wide budget decodes reserve it from.

Every decode for display (``imaging.open_for_display``) first estimates the bytes it will hold at
its peak — the decoder's output at the size it decodes to, what the decoder keeps beside it,
and the working copies made after it — then waits in a weighted semaphore until that many bytes
fit beside the decodes already in flight. One that could never fit is refused (a clear error
naming the size and the budget), so the budget bounds what decoding adds to the process,
whatever arrives at once. See docs/decisions.md ("Decoding within a memory budget").

The per-format figures were measured with ``ru_maxrss`` on 36 MP files (6000 x 6000; Pillow 13,
pillow-heif 1.9, simplejpeg 1.9) and are rounded up.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)
MiB = 1024 * 1024
DEFAULT_BUDGET = 1024 * MiB
SETTING = "ALBUMEN_DECODE_MEMORY_MB"
# After a decode reserving at least this much, freed heap memory is given back to the kernel.
TRIM_AFTER = 256 * MiB

# Bytes per pixel Pillow stores for each mode: RGB and two-band modes are kept 4 bytes wide.
_ONE_BYTE = {"1", "L", "P"}
_TWO_BYTES = {"I;16", "I;16L", "I;16B", "I;16N"}
# What a format's decoder holds beside Pillow's image, per pixel of the full image:
# libwebp's animation decoder keeps two RGBA canvases and returns a third copy as bytes;
# libheif (HEIC, AVIF) its YCbCr planes and an interleaved RGB copy. PNG, GIF and BMP decode
# row by row into the image.
_DECODER_BYTES_PER_PIXEL = {"PNG": 0, "GIF": 0, "BMP": 0, "TIFF": 0, "JPEG": 0, "WEBP": 12,
                            "HEIF": 5, "AVIF": 5}
_UNKNOWN_DECODER_BYTES_PER_PIXEL = 4
# Formats whose decoder reads the whole file into memory first (Pillow's WebP and libtiff
# paths; simplejpeg decodes from bytes too, counted by the caller).
_READS_WHOLE_FILE = {"WEBP", "TIFF"}


def pixel_bytes(mode: str) -> int:
    """Bytes per pixel of a decoded Pillow image in ``mode``."""
    if mode in _ONE_BYTE:
        return 1
    if mode in _TWO_BYTES:
        return 2
    return 4


def decoder_bytes(fmt: str, pixels: int, file_size: int) -> int:
    """What the decoder of ``fmt`` keeps beside the decoded image, for ``pixels`` decoded."""
    per_pixel = _DECODER_BYTES_PER_PIXEL.get(fmt, _UNKNOWN_DECODER_BYTES_PER_PIXEL)
    return per_pixel * pixels + (file_size if fmt in _READS_WHOLE_FILE else 0)


def jpeg_coefficient_bytes(width: int, height: int, sampling: list[tuple[int, int]]) -> int:
    """The DCT coefficients libjpeg keeps for the whole image when a JPEG has more than one
    scan (progressive, or components in separate scans): 2 bytes a coefficient, 64 per 8x8 block
    of each component at its own sampling, at full resolution whatever the output scale."""
    if not sampling:
        return 0
    h_max = max(h for h, _ in sampling)
    v_max = max(v for _, v in sampling)
    total = 0
    for h, v in sampling:
        blocks_x = -(-width * h // (8 * h_max))
        blocks_y = -(-height * v // (8 * v_max))
        total += blocks_x * blocks_y * 64 * 2
    return total


def over_budget_message(what: str, needed: int, capacity: int) -> str:
    return (f"decoding this {what} image needs about {needed / MiB:,.0f} MB of memory, over "
            f"the decode memory budget of {capacity / MiB:,.0f} MB ({SETTING})")


class OverBudget(Exception):
    """A reservation larger than the whole budget: it could never be granted."""

    def __init__(self, needed: int, capacity: int) -> None:
        super().__init__(f"{needed:,} bytes asked of a budget of {capacity:,}")
        self.needed = needed
        self.capacity = capacity


class MemoryBudget:
    """A weighted semaphore over bytes. ``reserve(n)`` waits until ``n`` bytes fit beside the
    reservations held, then holds them for its block. Waiters are served first come, first
    served: a large decode waiting its turn is not overtaken for ever by a stream of small ones
    (a small one arriving after it waits too)."""

    def __init__(self, capacity: int) -> None:
        if capacity <= 0:
            raise ValueError("a memory budget needs a positive capacity")
        self._cond = threading.Condition()
        self._capacity = capacity
        self._used = 0
        self._peak = 0
        self._queue: deque[object] = deque()

    @property
    def capacity(self) -> int:
        return self._capacity

    @property
    def in_use(self) -> int:
        with self._cond:
            return self._used

    @property
    def peak(self) -> int:
        """The most bytes held at once since the budget was made or ``reset_peak``."""
        with self._cond:
            return self._peak

    def reset_peak(self) -> None:
        with self._cond:
            self._peak = self._used

    @property
    def waiting(self) -> int:
        with self._cond:
            return len(self._queue)

    def resize(self, capacity: int) -> None:
        """A new capacity; reservations held keep counting against it."""
        if capacity <= 0:
            raise ValueError("a memory budget needs a positive capacity")
        with self._cond:
            self._capacity = capacity
            self._cond.notify_all()

    def acquire(self, nbytes: int) -> None:
        """Take ``nbytes`` of the budget, waiting until they fit beside those held; OverBudget
        when they are more than the whole budget (now, or after a resize while waiting)."""
        nbytes = max(0, nbytes)
        with self._cond:
            if nbytes > self._capacity:
                raise OverBudget(nbytes, self._capacity)
            ticket = object()
            self._queue.append(ticket)
            try:
                self._cond.wait_for(lambda: self._queue[0] is ticket and (
                    self._used + nbytes <= self._capacity or nbytes > self._capacity))
            finally:
                self._queue.remove(ticket)
                self._cond.notify_all()  # the next in line may fit now (or must re-check)
            if nbytes > self._capacity:
                raise OverBudget(nbytes, self._capacity)
            self._used += nbytes
            self._peak = max(self._peak, self._used)

    def release(self, nbytes: int) -> None:
        with self._cond:
            self._used -= max(0, nbytes)
            self._cond.notify_all()

    @contextmanager
    def reserve(self, nbytes: int) -> Iterator[None]:
        """Hold ``nbytes`` of the budget for the block (``acquire``, then ``release``). Not
        re-entrant: a thread holding a reservation that asks for another may wait for itself."""
        self.acquire(nbytes)
        try:
            yield
        finally:
            self.release(nbytes)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def give_back_freed_memory() -> bool:
    """Return the free pages of every malloc arena to the kernel (glibc's ``malloc_trim``);
    False where there is no such call. Pillow allocates images in 16 MiB blocks, under the
    workers' mmap threshold (worker/memory.py), so a full-size decode's memory stays in the
    arena of the thread that made it; the next large decode, on another worker thread, would
    otherwise add its own on top, and the process keep the sum."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


_budget = MemoryBudget(DEFAULT_BUDGET)


def decode_budget() -> MemoryBudget:
    """The process's decode budget (one per process: process workers each have their own)."""
    return _budget


def set_decode_budget(nbytes: int) -> None:
    """Size the process's decode budget (a runtime does it from the settings when made, as it
    sets the pixel limit)."""
    _budget.resize(nbytes)
