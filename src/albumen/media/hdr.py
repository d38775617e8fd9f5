"""HDR video (HLG, as phones record by default, and PQ/HDR10) shown as SDR: posters, strips and
web copies in BT.709, tone-mapped, not flattened.

FFmpeg's own colour management (swscale since FFmpeg 8: transfer, primaries, tone mapping)
does the conversion. It is exact but slow on every pixel of every frame (70 ms a 1080p frame
on one core), so for web copies it is sampled once into a 3D table (33³ points, a second) and
the table applied by FFmpeg's ``lut3d`` filter (10 ms a frame, tetrahedral interpolation) —
the same colours within a level or two. Stills (a handful of frames) use swscale directly.
"""

from __future__ import annotations

import fractions
import functools
import itertools
import tempfile
from pathlib import Path

import av
import av.filter
import numpy as np

# FFmpeg's AVColorTransferCharacteristic codes of HDR transfers; primaries/matrix codes.
PQ, HLG = 16, 18
BT709, BT2020 = 1, 9
RGB, FULL, LIMITED = 0, 2, 1
_LUT_POINTS = 33


def is_hdr(frame: av.VideoFrame) -> bool:
    return frame.color_trc in (PQ, HLG)


def sdr_rgb(frame: av.VideoFrame, width: int, height: int) -> np.ndarray:
    """The frame as 8-bit BT.709 RGB pixels at ``width`` x ``height``, tone-mapped when HDR."""
    interpolation = "AREA" if width < frame.width else None
    if not is_hdr(frame):
        return frame.to_ndarray(format="rgb24", width=width, height=height,
                                interpolation=interpolation)
    return frame.reformat(width, height, "rgb24", interpolation=interpolation,
                          dst_colorspace=BT709, dst_color_trc=BT709,
                          dst_color_primaries=BT709, dst_color_range=FULL).to_ndarray()


@functools.cache
def _table(transfer: int, primaries: int) -> Path:
    """The 3D table from the source's R'G'B' to BT.709 SDR R'G'B', made by swscale (cached
    for the process, in a file: ``lut3d`` reads one)."""
    n = _LUT_POINTS
    axis = np.linspace(0, 65535, n).round().astype(np.uint16)
    blue, green, red = np.meshgrid(axis, axis, axis, indexing="ij")  # red varies fastest
    grid = np.ascontiguousarray(np.stack([red, green, blue], axis=-1).reshape(n * n, n, 3))
    source = av.VideoFrame.from_ndarray(grid, format="rgb48le")
    source.color_trc, source.color_primaries = transfer, primaries
    source.colorspace, source.color_range = RGB, FULL
    mapped = source.reformat(format="rgb48le", dst_color_trc=BT709, dst_color_primaries=BT709,
                             dst_colorspace=RGB, dst_color_range=FULL).to_ndarray()
    folder = Path(tempfile.mkdtemp(prefix="albumen-hdr-"))
    path = folder / f"trc{transfer}-pri{primaries}.cube"
    rows = (mapped.reshape(-1, 3) / 65535.0).tolist()
    path.write_text(f"LUT_3D_SIZE {n}\n" + "\n".join(f"{r:.6f} {g:.6f} {b:.6f}"
                                                      for r, g, b in rows) + "\n")
    return path


class ToSdr:
    """Frames of an HDR stream to ``width`` x ``height`` BT.709 SDR in ``pixel_format``
    (timestamps kept), through scale → lut3d → scale. Made for the first frame it is given."""

    def __init__(self, width: int, height: int, pixel_format: str) -> None:
        self.size, self.pixel_format = (width, height), pixel_format
        self.graph: av.filter.Graph | None = None

    def _build(self, frame: av.VideoFrame) -> av.filter.Graph:
        matrix = "bt2020" if frame.colorspace in (9, 10) else "bt709"
        range_in = "pc" if frame.color_range == FULL else "tv"
        table = _table(frame.color_trc, frame.color_primaries or BT2020)
        graph = av.filter.Graph()
        chain = [
            graph.add_buffer(width=frame.width, height=frame.height,
                             format=frame.format.name,
                             time_base=frame.time_base or fractions.Fraction(1, 90000)),
            graph.add("scale", f"in_color_matrix={matrix}:in_range={range_in}:out_range=pc"),
            graph.add("format", "pix_fmts=gbrp16le"),
            graph.add("lut3d", f"file={table}:interp=tetrahedral"),
            graph.add("scale", f"w={self.size[0]}:h={self.size[1]}:flags=area:"
                               "out_color_matrix=bt709:in_range=pc:out_range=tv"),
            graph.add("format", f"pix_fmts={self.pixel_format}"),
            graph.add("buffersink"),
        ]
        for before, after in itertools.pairwise(chain):
            before.link_to(after)
        graph.configure()
        return graph

    def __call__(self, frame: av.VideoFrame) -> av.VideoFrame:
        if self.graph is None:
            self.graph = self._build(frame)
        self.graph.push(frame)
        out = self.graph.pull()
        out.pts, out.time_base = frame.pts, frame.time_base
        return out
