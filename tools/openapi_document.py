"""The OpenAPI document as the API serves it, written to clients/openapi.json: what the typed
clients are generated from (``make clients``), and what tests/test_clients.py compares the
running API against (an operation renamed or a response changed shows up as a diff).

Run: ``.venv/bin/python tools/openapi_document.py [PATH]``
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "clients" / "openapi.json"


def document() -> dict[str, Any]:
    """The document of an app on default settings (nothing of this machine in it)."""
    from albumen.api.app import create_app
    from albumen.config import Settings
    from albumen.runtime import Runtime

    with tempfile.TemporaryDirectory() as data:
        runtime = Runtime(Settings(_env_file=None, data_dir=Path(data)))
        return create_app(runtime, start_workers=False).openapi()


def text(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else COMMITTED
    out.write_text(text(document()))
    print(f"wrote {out}")
