"""The typed clients and the OpenAPI document they are generated from (issue 26).

- The running API's document is the committed one (clients/openapi.json): an operation
  renamed, a parameter or a response changed fails here until ``make clients`` is run. Every
  operation has a stable, unique operation id and a declared success response.
- The Python client's example and the TypeScript client's (compiled with tsc, run under Node)
  run against a real ``albumen serve``: upload a photo, wait for ``asset.processed`` over the
  WebSocket, fetch its faces (face detection on: real photos, real model).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import FACES
from tests.processes import env_for, free_port, spawn, wait_for_server

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = ROOT / "clients"
PASSWORD = "client-password-1"
pytestmark = pytest.mark.slow


def test_the_api_is_the_committed_openapi_document() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    from openapi_document import COMMITTED, document, text

    served = document()
    assert text(served) == COMMITTED.read_text(), (
        "the API changed: run `make clients` and commit clients/ (the document and the "
        "clients generated from it)")
    ids = []
    for path, methods in served["paths"].items():
        for method, op in methods.items():
            ids.append(op["operationId"])
            assert re.fullmatch(r"[a-z][a-z0-9_]*", op["operationId"]), (path, method)
            success = {code: r for code, r in op["responses"].items() if code.startswith("2")}
            assert success, f"{method.upper()} {path} declares no success response"
            for code, response in success.items():
                if code == "204":
                    continue
                content = response.get("content", {})
                assert content, f"{method.upper()} {path} {code} declares no content"
                if "application/json" in content:
                    assert content["application/json"].get("schema"), (path, method, code)
    assert len(ids) == len(set(ids)), "operation ids must be unique"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``albumen serve`` with face detection on, and its administrator."""
    if not (FACES / "t1.jpg").exists():
        reason = "face photos missing: run `make test-data`"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    tmp = tmp_path_factory.mktemp("clients")
    port = free_port()
    env = env_for(tmp / "data", f"sqlite:///{tmp / 'albumen.db'}", ALBUMEN_ENRICHMENTS="faces")
    log = tmp / "serve.log"
    proc = spawn(env, log, "serve", "--host", "127.0.0.1", "--port", str(port))
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(proc, f"{url}/health/ready", log)
        assert httpx.post(f"{url}/api/v1/setup", json={"username": "admin",
                                                       "password": PASSWORD}).status_code == 201
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def _example_env(url: str) -> dict[str, str]:
    return {**os.environ, "ALBUMEN_URL": url, "ALBUMEN_USER": "admin",
            "ALBUMEN_PASSWORD": PASSWORD}


def _check(result: subprocess.CompletedProcess[str]) -> dict:
    assert result.returncode == 0, result.stdout + result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["state"] == "ready"
    assert found["faces"] >= 4  # t1.jpg: six people, the HOG detector finds most
    assert all({"x", "y", "w", "h"} <= set(box) for box in found["boxes"])
    return found


def test_the_python_clients_example(server: str, tmp_path: Path) -> None:
    photo = tmp_path / "group.jpg"
    shutil.copy(FACES / "t1.jpg", photo)
    _check(subprocess.run([sys.executable, str(CLIENTS / "python" / "examples" / "upload.py"),
                           str(photo)], env=_example_env(server), capture_output=True,
                          text=True, timeout=300))


def test_the_typescript_clients_example_compiles_and_runs(server: str, tmp_path: Path) -> None:
    npm = shutil.which("npm")
    if npm is None:
        if os.environ.get("CI") == "true":
            pytest.fail("npm is missing")
        pytest.skip("npm is missing: the TypeScript client needs Node.js 20 and npm")
    project = CLIENTS / "typescript"
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=project, check=True,
                   capture_output=True, timeout=600)
    compiled = subprocess.run(["npx", "tsc", "-p", "."], cwd=project, capture_output=True,
                              text=True, timeout=300)
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    photo = tmp_path / "group.jpg"  # other bytes than the Python example's: a new asset
    photo.write_bytes((FACES / "t1.jpg").read_bytes() + b"typescript")
    _check(subprocess.run(["node", "dist/examples/upload.js", str(photo)], cwd=project,
                          env=_example_env(server), capture_output=True, text=True,
                          timeout=300))
