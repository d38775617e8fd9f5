"""The model runtime every model shares.

A model is cheap to construct (nothing is read until first use), loads once per process under
a lock, predicts in batches, and unloads after ``idle_seconds`` without use (the next call
simply loads it again). Models say honestly whether they can run here (`availability`), and
what they are made of (`distributions`, `weight_files`, `version`: operations/models_status.py
lists them).
Inference runs in workers, never on the request path (selfie search, a query, is the one
exception and goes through the same loaded model).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

from albumen.errors import AlbumenError

log = logging.getLogger(__name__)

In = TypeVar("In")
Out = TypeVar("Out")


@dataclass(frozen=True)
class Availability:
    ok: bool
    reason: str = ""


@dataclass(frozen=True)
class LoadFailure:
    """Why the last load of a model in this process failed, and when."""

    message: str
    at: datetime


class Model(ABC, Generic[In, Out]):
    """Subclasses implement ``_load`` (returns the loaded state) and ``_predict`` (a batch)."""

    name: ClassVar[str]
    summary: ClassVar[str] = ""  # what it does, in one line
    # The pip distributions it runs on, whose installed versions a listing shows.
    distributions: ClassVar[tuple[str, ...]] = ()
    registry: ClassVar[dict[str, Model[Any, Any]]] = {}
    # Most native models keep scratch buffers in the loaded object (dlib's networks do):
    # calls from several threads are serialised unless a model says it is safe.
    thread_safe: ClassVar[bool] = False

    def __init__(self, idle_seconds: float = 600.0) -> None:
        self.idle_seconds = idle_seconds
        self._lock = threading.Lock()
        self._predict_lock = threading.Lock()
        self._state: Any = None
        self._last_used = 0.0
        self.loads = 0
        self.calls = 0  # predict calls and items predicted: how well work is batched
        self.items = 0
        self.last_error: LoadFailure | None = None
        Model.registry[self.name] = self

    # -- what subclasses provide ---------------------------------------------------------
    @abstractmethod
    def _load(self) -> Any:
        """Read weights and build sessions; called once per load, under the lock."""

    @abstractmethod
    def _predict(self, state: Any, batch: Sequence[In]) -> list[Out]:
        """One output per input, in order."""

    def availability(self) -> Availability:
        return Availability(True)

    def weight_files(self) -> list[Path]:
        """The files ``_load`` reads weights from, those present (cheap: nothing is read)."""
        return []

    def version(self) -> str | None:
        """The version of the weights (for weights inside a package: that package's)."""
        return None

    # -- the shared machinery ------------------------------------------------------------
    @property
    def loaded(self) -> bool:
        return self._state is not None

    def _ensure(self) -> Any:
        with self._lock:
            if self._state is None:
                available = self.availability()
                if not available.ok:
                    raise ModelUnavailable(f"{self.name}: {available.reason}")
                started = time.perf_counter()
                try:
                    self._state = self._load()
                except Exception as exc:
                    self.last_error = LoadFailure(f"{type(exc).__name__}: {exc}",
                                                  datetime.now(UTC))
                    raise ModelLoadError(f"{self.name} could not be loaded: "
                                         f"{self.last_error.message}") from exc
                self.loads += 1
                log.info("model %s loaded in %.2f s", self.name, time.perf_counter() - started)
                # Watched from the process that loaded it (worker processes each have theirs).
                threading.Thread(target=self._watch_idle, name=f"unload-{self.name}",
                                 daemon=True).start()
            self._last_used = time.monotonic()
            return self._state

    def predict(self, batch: Sequence[In]) -> list[Out]:
        if not batch:
            return []
        state = self._ensure()
        self.calls += 1
        self.items += len(batch)
        try:
            if self.thread_safe:
                return self._predict(state, batch)
            with self._predict_lock:
                return self._predict(state, batch)
        finally:
            self._last_used = time.monotonic()

    def predict_one(self, item: In) -> Out:
        return self.predict([item])[0]

    def _watch_idle(self) -> None:
        while self.loaded:
            time.sleep(max(0.05, min(60.0, self.idle_seconds / 4)))
            if self.unload_if_idle():
                return

    def unload(self) -> None:
        with self._lock:
            if self._state is not None:
                self._state = None
                log.info("model %s unloaded", self.name)

    def unload_if_idle(self, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            if self._state is not None and now - self._last_used > self.idle_seconds:
                self._state = None
                log.info("model %s unloaded after %.0f s idle", self.name, self.idle_seconds)
                return True
        return False


class ModelLoadError(Exception):
    """Installed weights that would not load (damaged, half-replaced, out of memory): a
    problem of the installation, not of the photo, which may pass once it is mended; stages
    retry it (library/failures.py)."""


class ModelUnavailable(AlbumenError):
    """The model cannot run here (package or weights not installed); said, never faked.
    A 409: the request is fine, this installation lacks what it needs."""

    code = "model_unavailable"
    status_code = 409


def installed_version(*distributions: str) -> str | None:
    """The version of the first of these pip distributions that is installed."""
    for name in distributions:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def package_dir(module: str) -> Path | None:
    """Where an installed package's files are, without importing it."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def existing(paths: Sequence[Path]) -> list[Path]:
    return [p for p in paths if p.is_file()]


def onnx_session(path: str, providers: Sequence[str], threads: int = 0) -> Any:
    """An ONNX Runtime session on the configured execution providers that exist here (CPU is
    always the last resort), running each call on ``threads`` cores (0: ONNX Runtime's
    default, every core: right for one worker alone, a fight when several share the cores)."""
    import onnxruntime as ort

    present = set(ort.get_available_providers())
    chosen = [p for p in providers if p in present] or ["CPUExecutionProvider"]
    options = ort.SessionOptions()
    options.log_severity_level = 3
    if threads:
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
    return ort.InferenceSession(path, sess_options=options, providers=chosen)
