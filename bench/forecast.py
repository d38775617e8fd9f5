"""Forecasts (issue 30): MAPE of albumen's forecast against the seasonal naive forecast, on
generated but realistic upload and view series, in the same run.

Run: ``.venv/bin/python bench/forecast.py [--series 30] [--seed 1] [--out DIR]``

Two kinds of series, each generated ``--series`` times with its own random draws:

(a) an event, hourly   A festival or conference of 6-10 days. Every hour's expected count is
                       level x daily profile x day effect: the level is a random walk on the
                       log scale (crowds grow and shrink from day to day, sd 0.15 a day); the
                       daily profile is a mixture of an afternoon and an evening peak whose
                       hours and weights are drawn per event, with a night floor of 2-5 % of
                       the peak; the closing day is 1.3-2x busier; the counts are negative
                       binomial around it (over-dispersed: groups upload together; dispersion
                       drawn 5-30). Peak hours average 5-60 uploads (views x 8).
                       Forecast 24 hours ahead from every midnight after the third day.
(b) the instance, daily A library instance over 2 years: a log-linear trend (0-60 % growth a
                       year), a weekly profile (weekends 1.2-2x), a yearly season (summer and
                       December peaks), public-holiday-like bursts (6 a year, 2-5x for 1-3
                       days), negative binomial counts around 40-400 a day.
                       Forecast 14 days ahead from each of the last 8 Mondays.

Scored by MAPE over the buckets whose actual count is not 0 (``forecasting.mape``), averaged
over all forecasts of all series; the seasonal naive forecast is the same hour yesterday for
(a) and the same weekday last week for (b). Target: albumen <= 0.8x the baseline. The
interval's coverage (share of actual counts inside the 80 % interval) is printed too.

Printed with PASS/MISS lines (never asserted); written to ``OUT/forecast.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from albumen.insights.forecasting import mape, predict, seasonal_naive  # noqa: E402

TARGET = 0.8


def _counts(rng: np.random.Generator, expected: np.ndarray, dispersion: float) -> np.ndarray:
    """Negative binomial with mean ``expected`` and variance mean + mean^2 / dispersion."""
    p = dispersion / (dispersion + expected)
    return rng.negative_binomial(dispersion, p).astype(float)


def event_series(rng: np.random.Generator) -> np.ndarray:
    days = int(rng.integers(6, 11))
    hours = np.arange(24)
    afternoon, evening = rng.uniform(13, 16), rng.uniform(19, 22.5)
    w = rng.uniform(0.3, 0.7)
    profile = (w * np.exp(-0.5 * ((hours - afternoon) / 2.0) ** 2)
               + (1 - w) * np.exp(-0.5 * ((hours - evening) / 1.7) ** 2))
    profile = np.maximum(profile / profile.max(), rng.uniform(0.02, 0.05))
    level = np.exp(np.cumsum(rng.normal(0, 0.15, days))) * rng.uniform(5, 60)
    level[-1] *= rng.uniform(1.3, 2.0)
    expected = (level[:, None] * profile[None, :]).ravel()
    return _counts(rng, expected, rng.uniform(5, 30))


def instance_series(rng: np.random.Generator) -> np.ndarray:
    days = 730
    t = np.arange(days)
    trend = np.exp(np.log1p(rng.uniform(0, 0.6)) * t / 365)
    weekend = rng.uniform(1.2, 2.0)
    weekly = np.where(t % 7 >= 5, weekend, 1.0)
    yearly = (1 + 0.35 * np.exp(-0.5 * (((t % 365) - 200) / 25) ** 2)
              + 0.5 * np.exp(-0.5 * (((t % 365) - 358) / 5) ** 2))
    bursts = np.ones(days)
    for start in rng.integers(0, days - 3, size=12):
        bursts[start:start + int(rng.integers(1, 4))] *= rng.uniform(2, 5)
    expected = rng.uniform(40, 400) * trend * weekly * yearly * bursts
    return _counts(rng, expected, rng.uniform(5, 30))


def evaluate(series: list[np.ndarray], season: int, horizon: int,
             origins: list[list[int]]) -> dict[str, float]:
    ours, naive, inside, total = [], [], 0, 0
    started = time.perf_counter()
    fits = 0
    for y, starts in zip(series, origins, strict=True):
        for origin in starts:
            history, actual = y[:origin], y[origin:origin + horizon]
            p = predict(history, season, horizon)
            fits += 1
            ours.append(mape(actual, p.mean))
            naive.append(mape(actual, seasonal_naive(history, season, horizon)))
            inside += int(np.sum((actual >= np.floor(p.low)) & (actual <= np.ceil(p.high))))
            total += len(actual)
    a, b = float(np.nanmean(ours)), float(np.nanmean(naive))
    return {"albumen_mape": round(a, 4), "seasonal_naive_mape": round(b, 4),
            "ratio": round(a / b, 3), "coverage_80": round(inside / total, 3),
            "forecasts": fits,
            "ms_per_forecast": round(1000 * (time.perf_counter() - started) / fits, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "bench-data")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    events = [event_series(rng) for _ in range(args.series)]
    event_origins = [list(range(72, len(y) - 23, 24)) for y in events]
    instances = [instance_series(rng) for _ in range(args.series)]
    instance_origins = [[len(y) - 14 - 7 * k for k in range(8)] for y in instances]

    results = {"event_hourly": evaluate(events, 24, 24, event_origins),
               "instance_daily": evaluate(instances, 7, 14, instance_origins)}
    print(f"{args.series} generated series of each kind, seed {args.seed}")
    for name, r in results.items():
        verdict = "PASS" if r["ratio"] <= TARGET else "MISS"
        print(f"{name:15} albumen MAPE {r['albumen_mape']:.3f}  seasonal naive "
              f"{r['seasonal_naive_mape']:.3f}  ratio {r['ratio']:.2f}x (target <= {TARGET}x) "
              f"{verdict}  80% interval coverage {r['coverage_80']:.0%}  "
              f"{r['ms_per_forecast']:.0f} ms/forecast over {r['forecasts']}")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "forecast.json").write_text(json.dumps(
        {"seed": args.seed, "series": args.series, "target": TARGET, **results}, indent=2))


if __name__ == "__main__":
    main()
