"""Decode memory benchmark (issue 21, defect 1): peak RSS of processing the worst images under
the pixel limit, one and four at once, against the decode before the budget.

Run: ``.venv/bin/python bench/decode_memory.py [--out DIR] [--budget-mb N]``

Files (generated once into ``OUT/decode_memory``, row by row, never whole in memory):
    issue   15000 x 15000 palette PNG, one colour, ~250 KB: the issue's file (225 MP)
    worst   15811 x 15811 grey + alpha PNG, ~1 MB: 249,987,721 pixels, just under the default
            limit of 250 MP, in the mode that cost the most before (3.4 GB for 225 MP)
Four copies of each differ only by bytes after IEND, so they are four assets, not duplicates.

Each measurement runs in a fresh interpreter (as a freshly started worker), which imports
everything and decodes a small PNG first, then records its RSS, processes the file(s) in N
threads at once, and reports the growth of its peak RSS (``ru_maxrss``) over that, plus its RSS
afterwards (what the allocator kept):

    before   the decode for display as it was before the budget (Pillow decodes at full size;
             palette, grey, grey + alpha and 16-bit images converted to RGB(A) at full size, then
             copied into NumPy; RGBA reduced through Pillow's premultiplied full-size copy), then
             the same preview, thumbnail and thumbhash rendering
    ours     the real processing path: ``process_asset`` (metadata, derivatives, phash stages)
             of assets ingested beforehand, in N threads as workers run, at the default budget
             (``--budget-mb``, 1024 MB): a file over it is refused, the reason is printed
    ours+    the same with the budget raised so the worst file fits (``--fit-budget-mb``,
             2048 MB): at most one decode of it at a time
    no-sem   the same path with the budget at 1 TB: every decode at once (what the semaphore
             adds, measured)

The ratio printed is before / ours (growth of peak RSS). A run whose estimated need is more than
the memory available now less a reserve is skipped and said so (``--reserve-gb``): four "before"
decodes of the worst file need ~15 GB.
Results are printed as a table and written to ``OUT/decode_memory.json`` (default bench/out).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests import images  # noqa: E402

MiB = 1024 * 1024
FILES = {  # name: (width, height, mode)
    "issue": (15000, 15000, "P"),
    "worst": (15811, 15811, "LA"),
}
COPIES = 4
# Bytes a pixel the "before" decode held at its peak, measured (palette 10.5, grey + alpha 15.3):
# used only to skip runs this machine cannot hold.
BEFORE_BYTES_PER_PIXEL = {"P": 11, "LA": 16}


def ensure_files(folder: Path) -> dict[str, list[Path]]:
    folder.mkdir(parents=True, exist_ok=True)
    found: dict[str, list[Path]] = {}
    for name, (width, height, mode) in FILES.items():
        first = folder / f"{name}-0.png"
        if not first.exists():
            print(f"writing {first.name} ({width}x{height} {mode}) ...", flush=True)
            partial = images.flat_png(folder / f"{name}.partial", width, height, mode)
            partial.rename(first)
        paths = [first]
        for copy in range(1, COPIES):
            path = folder / f"{name}-{copy}.png"
            if not path.exists():
                path.write_bytes(first.read_bytes() + f"copy {copy}".encode())
            paths.append(path)
        found[name] = paths
    return found


# ---------------------------------------------------------------- the child side


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def before_pixels(path: Path, short_side: int) -> Any:
    """The decode for display before the budget (imaging._pillow_pixels as it was), kept here
    as the baseline: full-size conversion to RGB(A), then the copy into NumPy, then halving."""
    import numpy as np
    from PIL import Image

    from albumen.media.imaging import _icc_to_srgb, _orientation, halve_to, orient, to_srgb

    with Image.open(path) as im:
        if getattr(im, "n_frames", 1) > 1:
            im.seek(0)
        im.load()
        orientation = _orientation(im)
        if im.mode in ("RGB", "RGBA"):
            icc, factor = im.info.get("icc_profile"), 1
            while min(im.size) // (2 * factor) >= short_side:
                factor *= 2
            pixels = np.asarray(im.reduce(factor) if factor > 1 else im)
        else:
            pixels, icc = np.asarray(to_srgb(im)), None
    return _icc_to_srgb(orient(halve_to(pixels, short_side), orientation), icc)


def _render(pixels: Any, settings: Any) -> tuple[int, int]:
    from albumen.media import derivatives as render

    preview, scaled = render.preview(pixels, settings.preview_size, settings.preview_quality)
    _, thumb = render.thumbnail(scaled, settings.thumbnail_size, settings.thumbnail_quality)
    render.thumbhash_of(thumb)
    return preview.width, preview.height


def child(mode: str, data_dir: Path, budget_mb: int, paths: list[Path],
          asset_ids: list[int]) -> dict[str, Any]:
    from albumen.config import Settings
    from albumen.library.processing import process_asset, reset_stages
    from albumen.runtime import Runtime, set_runtime
    from albumen.worker.memory import keep_image_buffers

    keep_image_buffers()  # as every worker does when it starts
    settings = Settings(_env_file=None, data_dir=data_dir, enrichments="",  # type: ignore[call-arg]
                        backup_interval_hours=0, decode_memory_mb=budget_mb)
    rt = Runtime(settings)
    set_runtime(rt)
    # Warm up: imports, codecs, the database, one small decode and render of each kind.
    warm = images.flat_png(Path(tempfile.mkdtemp()) / "warm.png", 640, 480, "LA")
    _render(before_pixels(warm, settings.preview_size), settings)
    if mode != "before":
        reset_stages(rt, asset_ids, None)
    from albumen.media.budget import decode_budget

    outcomes: list[str] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        try:
            if mode == "before":
                size = _render(before_pixels(paths[index], settings.preview_size), settings)
                outcome = f"preview {size[0]}x{size[1]}"
            else:
                outcome = process_asset(rt, asset_ids[index])
        except Exception as exc:  # reported, as a worker would log it
            outcome = f"{type(exc).__name__}: {exc}"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(paths))]
    rss, peak = _rss_mib(), _peak_mib()
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    result: dict[str, Any] = {
        "rss_start_mib": rss, "peak_growth_mib": _peak_mib() - peak, "peak_mib": _peak_mib(),
        "rss_after_mib": _rss_mib(), "seconds": seconds, "outcomes": sorted(outcomes),
        "budget_peak_mib": decode_budget().peak / MiB,
    }
    if mode != "before":
        from sqlalchemy import select

        from albumen.db.models import Asset

        with rt.session() as session:
            rows = session.execute(select(Asset.failure_reason).where(
                Asset.id.in_(asset_ids), Asset.state == "failed")).all()
        result["failures"] = sorted({reason for (reason,) in rows if reason})
    return result


# ---------------------------------------------------------------- the parent side


def ingest_all(data_dir: Path, files: dict[str, list[Path]]) -> dict[str, list[int]]:
    """Store every file as an asset (the budget raised: the point is to process them)."""
    from albumen.config import Settings
    from albumen.library.ingest import Origin, ingest
    from albumen.runtime import Runtime, set_runtime

    rt = Runtime(Settings(_env_file=None, data_dir=data_dir, enrichments="",  # type: ignore[call-arg]
                          backup_interval_hours=0, decode_memory_mb=1 << 20))
    set_runtime(rt)
    rt.migrate()
    ids: dict[str, list[int]] = {}
    for name, paths in files.items():
        ids[name] = []
        for path in paths:
            result = ingest(rt, [path.read_bytes()], Origin(via="import", filename=path.name))
            assert result.asset_id is not None, result
            ids[name].append(result.asset_id)
    set_runtime(None)
    return ids


def available_mib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    return float("inf")


def run_child(mode: str, data_dir: Path, budget_mb: int, paths: list[Path],
              ids: list[int]) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", mode, "--data-dir", str(data_dir),
               "--budget-mb", str(budget_mb), "--ids", ",".join(map(str, ids)),
               *map(str, paths)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"error": f"exit {done.returncode}: {done.stderr.strip().splitlines()[-1:]}"}
    return json.loads(done.stdout.splitlines()[-1])


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--budget-mb", type=int, default=1024,
                        help="the decode budget of 'ours' (default: the setting's default)")
    parser.add_argument("--fit-budget-mb", type=int, default=2048,
                        help="the budget of 'ours+', large enough for the worst file")
    parser.add_argument("--reserve-gb", type=float, default=4.0,
                        help="skip a run whose estimate leaves less than this available")
    parser.add_argument("--files", default=",".join(FILES), help="which files (comma-separated)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--ids", default="", help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    logging.basicConfig(level=logging.ERROR)
    if args.child:
        ids = [int(i) for i in args.ids.split(",") if i]
        print(json.dumps(child(args.child, args.data_dir, args.budget_mb, args.paths, ids)))
        return
    files = ensure_files(args.out / "decode_memory")
    files = {name: paths for name, paths in files.items() if name in args.files.split(",")}
    data_dir = Path(tempfile.mkdtemp(prefix="albumen-bench-decode-"))
    results: dict[str, Any] = {"budget_mb": args.budget_mb, "fit_budget_mb": args.fit_budget_mb,
                               "cpus": os.cpu_count(), "runs": []}
    try:
        print("ingesting ...", flush=True)
        ids = ingest_all(data_dir, files)
        modes = (("before", 0), ("ours", args.budget_mb), ("ours+", args.fit_budget_mb),
                 ("no-sem", 1 << 20))
        for name, paths in files.items():
            width, height, mode = FILES[name]
            for count in (1, COPIES):
                for label, budget_mb in modes:
                    need = (width * height * BEFORE_BYTES_PER_PIXEL[mode] * count / MiB
                            if label in ("before", "no-sem") else 2 * budget_mb)
                    row: dict[str, Any] = {"file": name, "at_once": count, "mode": label}
                    if need > available_mib() - args.reserve_gb * 1024:
                        row["skipped"] = (f"needs ~{need / 1024:.1f} GB, "
                                          f"{available_mib() / 1024:.1f} GB available")
                    else:
                        print(f"{name} x{count} {label} ...", flush=True)
                        row.update(run_child(label, data_dir, budget_mb or args.budget_mb,
                                             paths[:count], ids[name][:count]))
                    results["runs"].append(row)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    print_report(results)
    args.out.mkdir(parents=True, exist_ok=True)
    out_file = args.out / "decode_memory.json"
    out_file.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwritten to {out_file}")


def print_report(results: dict[str, Any]) -> None:
    print(f"\npeak RSS growth while processing (MiB); ours = budget {results['budget_mb']} MB, "
          f"ours+ = {results['fit_budget_mb']} MB, no-sem = budget 1 TB")
    print(f"{'file':6} {'at once':>7} {'mode':7} {'growth':>8} {'peak':>7} {'after':>7} "
          f"{'budget':>7} {'s':>6} {'vs before':>9}  outcome")
    before: dict[tuple[str, int], float] = {}
    for row in results["runs"]:
        key = (row["file"], row["at_once"])
        head = f"{row['file']:6} {row['at_once']:>7} {row['mode']:7}"
        if "skipped" in row or "error" in row:
            print(f"{head} {'—':>8}  {row.get('skipped') or row.get('error')}")
            continue
        growth = row["peak_growth_mib"]
        if row["mode"] == "before":
            before[key] = growth
        refused = bool(row.get("failures"))
        ratio = (f"{before[key] / growth:8.1f}x" if row["mode"] != "before" and key in before
                 and growth > 0 and not refused else "refused" if refused else "")
        outcome = "; ".join(sorted(set(row.get("failures") or row["outcomes"])))
        print(f"{head} {growth:8.0f} {row['peak_mib']:7.0f} {row['rss_after_mib']:7.0f} "
              f"{row['budget_peak_mib']:7.0f} {row['seconds']:6.1f} {ratio:>9}  {outcome[:140]}")


if __name__ == "__main__":
    main()
