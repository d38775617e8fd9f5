"""Forecasting one count series (uploads or views per hour or per day), with a prediction
interval.

The model works on log(1 + count) — counts are skewed and never negative, and on the log scale
a busy evening and a quiet morning vary by the same factor — and splits the series the way it
moves: a **level** per season (the mean of one day of hourly buckets, of one week of daily
buckets) that drifts from season to season, and a **profile** within the season (the evening
peak, the busy weekend) that stays put.

- The level of each whole season is forecast by statsmodels' ETS with additive error and a
  damped additive trend (Hyndman's state-space exponential smoothing, parameters by maximum
  likelihood): crowds grow and shrink from one day to the next, and a burst does not go on
  rising for ever. The season still under way counts with the weight of its share.
- The profile is the mean deviation of each position from its season's level over the
  history, recent seasons weighing more (half-life ``PROFILE_HALF_LIFE`` seasons).
- The 80 % interval comes from the model's own errors on the history: the 10th and 90th
  percentiles of what the same arithmetic, run one season ahead, missed by (log scale),
  widened with the level's own forecast variance further ahead.

Measured against ETS fitted straight to the hourly series and against the seasonal naive
forecast (the same hour yesterday, the same weekday last week) in bench/forecast.py; the
level-and-profile split is the one that beat the baseline by the margin the issue asks
(docs/decisions.md "Forecasts"). With fewer than two seasons of history there is no profile:
the level alone is forecast from the buckets themselves.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

MIN_POINTS = 8  # fewer buckets than this and nothing is forecast
LEVEL = 0.8  # the prediction interval: 80 % of actual counts should fall inside it
PROFILE_HALF_LIFE = 4.0  # seasons
TREND_POINTS = 12  # a level series shorter than this gets no trend


@dataclass(frozen=True)
class Prediction:
    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray
    method: str


def seasonal_naive(y: np.ndarray, season: int, horizon: int) -> np.ndarray:
    """Each bucket as it was one season earlier (the last value where there is no season)."""
    y = np.asarray(y, dtype=float)
    if len(y) < season:
        return np.full(horizon, y[-1] if len(y) else 0.0)
    last = y[-season:]
    return np.array([last[i % season] for i in range(horizon)])


def _ets(values: np.ndarray, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """Point forecast and its standard deviation, ``horizon`` steps of ``values``."""
    import pandas as pd
    from statsmodels.tools.sm_exceptions import ConvergenceWarning
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    if len(values) < 4 or np.ptp(values) == 0:
        flat = np.full(horizon, float(values[-1]))
        spread = float(np.std(values)) if len(values) > 1 else 0.0
        return flat, np.full(horizon, spread)
    # A pandas series: statsmodels labels its prediction frame with the series' index.
    # A damped trend is two parameters more than a level: worth it only on a longer series.
    trend = len(values) >= TREND_POINTS
    model = ETSModel(pd.Series(values), error="add", trend="add" if trend else None,
                     damped_trend=trend)
    with warnings.catch_warnings():
        # A short or lumpy series stops the optimiser early; its estimate is the best it
        # found, and the interval says how unsure it is.
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        fit = model.fit(disp=False, maxiter=200)
        frame = fit.get_prediction(start=len(values), end=len(values) + horizon - 1
                                   ).summary_frame()
    mean = frame["mean"].to_numpy(dtype=float, copy=True)
    sd = np.sqrt(np.maximum(fit.get_prediction(
        start=len(values), end=len(values) + horizon - 1).var_pred_mean, 0))
    return mean, np.asarray(sd, dtype=float)


def _split(z: np.ndarray, season: int, lead: int = 0
           ) -> tuple[np.ndarray, np.ndarray, int]:
    """Season levels (the running one partial), the profile and where the running season
    stands. ``z`` starts at a season's first bucket; its first ``lead`` buckets are from
    before the series began: that first season counts for the level (of what was seen) but
    not for the profile, which it would skew (an event that starts at 22:00 is not busiest
    at 22:00)."""
    whole, part = divmod(len(z), season)
    blocks = z[:whole * season].reshape(whole, season)
    levels = blocks.mean(axis=1)
    ages = np.arange(whole)[::-1]
    weights = 0.5 ** (ages / PROFILE_HALF_LIFE)
    if lead and whole > 1:
        weights[0] = 0.0
    profile = (weights[:, None] * (blocks - levels[:, None])).sum(axis=0) / weights.sum()
    if lead and whole > 1:
        levels[0] = float(np.mean(blocks[0, lead:] - profile[lead:]))
    if part:
        running = z[len(z) - part:]
        levels = np.append(levels, float(np.mean(running - profile[:part])))
    return levels, profile, part


def predict(y: np.ndarray, season: int, horizon: int, level: float = LEVEL, lead: int = 0
            ) -> Prediction:
    """The next ``horizon`` buckets of the count series ``y`` (oldest first, from the first
    bucket of a season; its first ``lead`` buckets are from before the series began)."""
    y = np.asarray(y, dtype=float)
    if len(y) < MIN_POINTS:
        raise ValueError(f"a forecast needs at least {MIN_POINTS} buckets of history, "
                         f"there are {len(y)}")
    if horizon < 1:
        raise ValueError("the horizon is at least one bucket")
    z = np.log1p(np.clip(y, 0, None))
    tail = (1 - level) / 2
    if np.ptp(z[lead:]) == 0:  # a flat line (often all zeros): nothing to estimate
        flat = np.full(horizon, y[-1])
        return Prediction(flat, flat.copy(), flat.copy(), "constant")
    if season < 2 or len(z) < 2 * season:
        mean, sd = _ets(z[lead:] if len(z) - lead >= 2 else z, horizon)
        from scipy.stats import norm

        spread = norm.ppf(1 - tail) * sd
        return _back(mean, mean - spread, mean + spread, "ETS(A,Ad,N) on log(1+count)")
    levels, profile, part = _split(z, season, lead)
    steps = (part + np.arange(horizon)) // season  # 0: the running season
    ahead = int(steps.max()) + 1
    if part:  # the running season's level: what it has shown so far, with what was forecast
        forecast, sd = _ets(levels[:-1], ahead)
        share = part / season
        forecast[0] = share * levels[-1] + (1 - share) * forecast[0]
    else:
        forecast, sd = _ets(levels, ahead)
    positions = (part + np.arange(horizon)) % season
    mean = forecast[steps] + profile[positions]
    low_q, high_q = _residual_quantiles(z, season, tail, lead)
    growth = np.sqrt(np.maximum(sd[steps] ** 2 - sd[0] ** 2, 0))  # the level's own spread
    return _back(mean, mean + low_q - growth, mean + high_q + growth,
                 f"level per {season} buckets by ETS(A,Ad,N) + profile, on log(1+count)")


def _residual_quantiles(z: np.ndarray, season: int, tail: float, lead: int
                        ) -> tuple[float, float]:
    """What a profile-and-previous-level forecast missed by, one season ahead, over the
    history: the interval's width at the first step."""
    misses = []
    for end in range(2 * season, len(z) - season + 1, season):
        levels, profile, _ = _split(z[:end], season, lead)
        misses.append(z[end:end + season] - (levels[-1] + profile))
    if not misses:  # two seasons and a bit: the spread around the profile
        levels, profile, _ = _split(z, season, lead)
        whole = len(z) // season
        blocks = z[:whole * season].reshape(whole, season)
        misses.append((blocks - levels[:whole, None] - profile)[1 if lead else 0:].ravel())
    errors = np.concatenate(misses)
    return float(np.quantile(errors, tail)), float(np.quantile(errors, 1 - tail))


def _back(mean: np.ndarray, low: np.ndarray, high: np.ndarray, method: str) -> Prediction:
    count = lambda v: np.clip(np.expm1(v), 0, None)  # noqa: E731
    return Prediction(count(mean), count(low), count(high), method)


def mape(actual: np.ndarray, forecast: np.ndarray) -> float:
    """Mean absolute percentage error over the buckets whose actual count is not 0 (an
    empty hour has no percentage)."""
    actual, forecast = np.asarray(actual, float), np.asarray(forecast, float)
    seen = actual > 0
    if not seen.any():
        return float("nan")
    return float(np.mean(np.abs(forecast[seen] - actual[seen]) / actual[seen]))
