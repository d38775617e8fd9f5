"""Process-wide memory settings for workers: image buffers reused, not faulted in anew.

Every photo allocates and frees a few buffers of 5-10 MB (the scaled decode, the preview, the
thumbnail). glibc's malloc serves blocks that size with fresh ``mmap`` pages, or trims them off
the heap when freed, so each photo paid again for the kernel to fault in and zero the same
memory: ~2,000 page faults and 4-7 ms of system time a photo (see docs/decisions.md, "Ingest
speed, fifth pass"). Raising the thresholds keeps freed buffers in the heap for the next photo.
Forked process workers inherit the setting.
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

# mallopt(3) parameters.
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
# Blocks under this come from the heap (glibc's ceiling for the setting is 32 MiB on 64-bit);
# larger ones, such as a full-size decode of a big panorama, are still mapped and unmapped.
MMAP_THRESHOLD = 32 << 20
# Free memory kept at the top of the heap before it is given back: room for one photo's buffers.
TRIM_THRESHOLD = 64 << 20


def keep_image_buffers() -> bool:
    """Tune glibc's malloc so freed image buffers are reused; False where there is no glibc."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    # musl's mallopt accepts the call and does nothing (returns 0); so does a refusing glibc.
    done = bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))
    if not done:
        log.debug("malloc thresholds not set: this C library does not take them")
    return done

