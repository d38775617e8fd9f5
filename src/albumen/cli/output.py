"""Printing for the CLI: one JSON document with --json, readable text otherwise."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console

console = Console(stderr=False, highlight=False)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)  # errors stay one line


def print_json(doc: Any) -> None:
    sys.stdout.write(json.dumps(doc, default=str, ensure_ascii=False) + "\n")
    sys.stdout.flush()
