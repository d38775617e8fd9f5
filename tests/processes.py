"""Running albumen's real commands as subprocesses in tests."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

ALBUMEN = str(Path(sys.executable).parent / "albumen")


def env_for(data_dir: Path, db_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALBUMEN_")}
    env.update({"ALBUMEN_DATA_DIR": str(data_dir), "ALBUMEN_DATABASE_URL": db_url,
                "ALBUMEN_ENRICHMENTS": "", "ALBUMEN_BACKUP_INTERVAL_HOURS": "0",
                "ALBUMEN_PASSWORD_HASH": "cheapest"})
    env.update(extra)
    return env


def run_cli(env: dict[str, str], *args: str, check: bool = True,
            stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([ALBUMEN, *args], env=env, capture_output=True, text=True,
                          input=stdin, timeout=300)
    if check and proc.returncode != 0:
        raise AssertionError(f"albumen {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


def run_json(env: dict[str, str], *args: str, stdin: str | None = None) -> Any:
    return json.loads(run_cli(env, *args, stdin=stdin).stdout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate: Any, timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def spawn(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    """Start ``albumen ARGS`` in its own process group. Its log goes to the file ``log``: a pipe
    nobody reads fills up and stalls the process mid-run."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as sink:
        return subprocess.Popen([ALBUMEN, *args], env=env, start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=sink)


def log_tail(log: Path, size: int = 3000) -> str:
    return log.read_bytes()[-size:].decode(errors="replace") if log.exists() else ""


def http_ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def wait_for_server(proc: subprocess.Popen[bytes], url: str, log: Path,
                    timeout: float = 90) -> None:
    """Wait until ``url`` answers 200; fail at once, with the log, if the process exits."""
    wait_until(lambda: proc.poll() is not None or http_ok(url), timeout)
    assert proc.poll() is None and http_ok(url), (
        f"albumen did not start (exit status {proc.poll()}); its log ends:\n{log_tail(log)}")
