"""Rebuild the typed clients from the API (``make clients``): the OpenAPI document, then
the Python client (openapi-python-client, in a tools venv of its own so its pins stay out of
albumen's) and the TypeScript types (openapi-typescript, from npm). Generated files are
committed; tests/test_clients.py fails when they are older than the API.

Run: ``.venv/bin/python tools/clients.py``
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from openapi_document import COMMITTED, ROOT, document, text

GENERATOR = "openapi-python-client==0.29.1"
TOOLS = ROOT / ".venv-tools"
PYTHON = ROOT / "clients" / "python"
TYPESCRIPT = ROOT / "clients" / "typescript"


def python_client() -> None:
    if not (TOOLS / "bin" / "openapi-python-client").exists():
        subprocess.run([sys.executable, "-m", "venv", str(TOOLS)], check=True)
        subprocess.run([str(TOOLS / "bin" / "pip"), "install", "--quiet", GENERATOR],
                       check=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "client"
        subprocess.run([str(TOOLS / "bin" / "openapi-python-client"), "generate",
                        "--path", str(COMMITTED), "--output-path", str(out), "--meta", "pdm"],
                       check=True, stdout=subprocess.DEVNULL)
        shutil.rmtree(PYTHON / "albumen_client", ignore_errors=True)
        shutil.copytree(out / "albumen_client", PYTHON / "albumen_client")
        project = (out / "pyproject.toml").read_text()
        # Its upper bound on httpx is a guess, not a known break: albumen's own httpx decides.
        project = re.sub(r'"httpx>=([0-9.]+),<[0-9.]+"', r'"httpx>=\1"', project)
        (PYTHON / "pyproject.toml").write_text(project)


def typescript_types() -> None:
    subprocess.run(["npm", "install", "--no-audit", "--no-fund"], cwd=TYPESCRIPT, check=True)
    subprocess.run(["npx", "openapi-typescript", "../openapi.json", "-o", "src/schema.d.ts"],
                   cwd=TYPESCRIPT, check=True)


if __name__ == "__main__":
    COMMITTED.write_text(text(document()))
    python_client()
    typescript_types()
    print("clients rebuilt: clients/openapi.json, clients/python, clients/typescript")
