"""CLIP with a tiny generated ONNX model in the real export layout (no package ships CLIP
weights). Its "meaning" is colour: the visual tower averages the normalised pixels, the
textual tower sums a word table in which red, green and blue point the same way as those
colours — so zero-shot tags, text search and image similarity have known right answers."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnx
import pytest
from fastapi.testclient import TestClient
from onnx import TensorProto, helper, numpy_helper
from PIL import Image

from albumen.search import clip as clip_service
from tests.processes import env_for, run_cli, run_json

CONTEXT = 8
WORDS = ["[PAD]", "[UNK]", *sorted({w for v in clip_service.VOCABULARY for w in v.split()}),
         "a", "photo", "of"]


def _table() -> np.ndarray:
    table = np.zeros((len(WORDS), 3), dtype=np.float32)
    for word, vec in (("red", (1, -1, -1)), ("green", (-1, 1, -1)), ("blue", (-1, -1, 1))):
        table[WORDS.index(word)] = vec
    table[WORDS.index("photo")] = (0.01, 0.01, 0.01)  # so no prompt is all zeros
    return table


def _save(graph: onnx.GraphProto, path: Path) -> None:
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(path))


def make_export(root: Path) -> Path:
    from tokenizers import Tokenizer, models, pre_tokenizers

    visual = helper.make_graph(
        [helper.make_node("GlobalAveragePool", ["image"], ["pooled"]),
         helper.make_node("Flatten", ["pooled"], ["embedding"], axis=1)],
        "visual", [helper.make_tensor_value_info("image", TensorProto.FLOAT,
                                                 ["n", 3, 32, 32])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["n", 3])])
    _save(visual, root / "visual" / "model.onnx")
    textual = helper.make_graph(
        [helper.make_node("Gather", ["table", "text"], ["vectors"], axis=0),
         helper.make_node("ReduceSum", ["vectors", "axis"], ["embedding"], keepdims=0)],
        "textual", [helper.make_tensor_value_info("text", TensorProto.INT64, ["n", CONTEXT])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["n", 3])],
        initializer=[numpy_helper.from_array(_table(), "table"),
                     numpy_helper.from_array(np.array([1], dtype=np.int64), "axis")])
    _save(textual, root / "textual" / "model.onnx")
    tok = Tokenizer(models.WordLevel({w: i for i, w in enumerate(WORDS)}, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.save(str(root / "textual" / "tokenizer.json"))
    (root / "config.json").write_text(json.dumps({
        "image_size": 32, "context_length": CONTEXT, "mean": [0.5] * 3, "std": [0.5] * 3}))
    return root


def _solid(rgb: tuple[int, int, int]) -> bytes:
    noise = np.random.default_rng(sum(rgb)).integers(0, 30, (480, 640, 3))
    arr = np.clip(np.array(rgb)[None, None, :] + noise - 15, 0, 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "JPEG", quality=90)
    return buf.getvalue()


def test_not_installed_is_said_plainly(app_client: Callable[..., TestClient]) -> None:
    c = app_client()
    r = c.get("/api/v1/clip/search", params={"q": "beach"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "model_unavailable"
    assert "albumen models install" in r.json()["error"]["message"]


def test_install_tags_search_and_similar(app_client: Callable[..., TestClient],
                                         tmp_path: Path, db_url: str) -> None:
    export = make_export(tmp_path / "export")
    env = env_for(tmp_path / "data", db_url)
    bad = run_cli(env, "models", "install", str(tmp_path), check=False)
    assert bad.returncode == 1 and "not a CLIP export" in bad.stderr
    assert run_json(env, "models", "install", str(export), "--json")["installed"] == "clip"
    c = app_client(enrichments="clip", clip_tag_threshold=0.2)
    ids = {}
    for name, rgb in (("red", (220, 30, 30)), ("green", (30, 200, 40)),
                      ("blue", (30, 40, 220)), ("red2", (200, 50, 40))):
        ids[name] = c.post("/api/v1/assets", files={"file": (f"{name}.jpg", _solid(rgb))}
                           ).json()["asset"]["id"]
    tags = c.get(f"/api/v1/assets/{ids['blue']}").json()["tags"]
    clip_tags = [t for t in tags if t["source"] == "clip"]
    assert clip_tags and clip_tags[0]["name"] == "blue" and clip_tags[0]["confidence"] > 0.2
    found = c.get("/api/v1/clip/search", params={"q": "red"}).json()["items"]
    assert {found[0]["asset"]["id"], found[1]["asset"]["id"]} == {ids["red"], ids["red2"]}
    assert found[0]["score"] >= found[1]["score"] > found[2]["score"]
    alike = c.get(f"/api/v1/assets/{ids['red']}/similar").json()["items"]
    assert alike[0]["asset"]["id"] == ids["red2"] and ids["red"] not in [
        a["asset"]["id"] for a in alike]


@pytest.mark.parametrize("missing", ["visual/model.onnx", "textual/tokenizer.json"])
def test_incomplete_export_is_refused(tmp_path: Path, missing: str) -> None:
    from albumen.errors import InvalidInput
    from albumen.ml.clip import install

    export = make_export(tmp_path / "export")
    (export / missing).unlink()
    with pytest.raises(InvalidInput, match="missing"):
        install(export, tmp_path / "target")
    assert not (tmp_path / "target").exists()
