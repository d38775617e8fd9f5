"""The `albumen` command, run as a real subprocess against real databases."""

from __future__ import annotations

import json
import os
import pty
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests import images
from tests.processes import ALBUMEN, env_for, log_tail, run_cli, run_json, spawn

pytestmark = pytest.mark.slow


def test_import_wait_list_show_status(tmp_path: Path, db_url: str) -> None:
    env = env_for(tmp_path / "data", db_url, ALBUMEN_WORKERS="2")
    src = tmp_path / "photos"
    images.write(src / "a.jpg", images.jpeg(seed=1, exif=images.exif_bytes(gps=(10.0, 20.0))))
    images.write(src / "sub" / "b.webp", images.encode("WEBP", seed=2))
    images.write(src / "sub" / "fake.jpg", b"not an image at all")
    images.write(src / "broken.jpg", images.jpeg(seed=3)[:400] + b"\x00" * 2000)

    doc = run_json(env, "import", str(src), "--wait", "--json")
    assert doc["counts"] == {"imported": 3, "duplicate": 0, "skipped": 0, "rejected": 1}
    assert doc["rejected"][0]["filename"] == "fake.jpg"
    assert doc["processing"]["ready"] == 2 and doc["processing"]["failed"] == 1
    assert doc["processing"]["failures"][0]["filename"] == "broken.jpg"

    again = run_json(env, "import", str(src), "--json")
    assert again["counts"] == {"imported": 0, "duplicate": 0, "skipped": 3, "rejected": 1}

    listing = run_json(env, "assets", "list", "--json")
    assert sorted(a["original_filename"] for a in listing["items"]) == [
        "a.jpg", "b.webp", "broken.jpg"]
    a = next(a for a in listing["items"] if a["original_filename"] == "a.jpg")
    shown = run_json(env, "assets", "show", str(a["id"]), "--json")
    assert shown["location"]["latitude"] == pytest.approx(10.0)
    assert shown["sources"][0]["source_path"].endswith("/photos/a.jpg")
    assert [s["state"] for s in shown["stages"]] == ["done", "done", "done"]

    status = run_json(env, "status", "--json")
    assert status["assets"] == {"processing": 0, "ready": 2, "failed": 1, "total": 3,
                                "trashed": 0}
    assert status["failures"][0]["filename"] == "broken.jpg"

    missing = run_cli(env, "assets", "show", "9999", "--json", check=False)
    assert missing.returncode == 1
    assert '"not_found"' in missing.stdout

    human = run_cli(env, "status").stdout
    assert "2 ready" in human and "1 failed" in human
    assert "database at revision" in run_cli(env, "db", "upgrade").stdout


def test_reprocess_a_stage(tmp_path: Path, db_url: str) -> None:
    env = env_for(tmp_path / "data", db_url)
    images.write(tmp_path / "in" / "a.jpg", images.jpeg(seed=4))
    run_json(env, "import", str(tmp_path / "in"), "--wait", "--json")
    doc = run_json(env, "reprocess", "--stage", "phash", "--json")
    assert doc == {"stages_reset": 1, "assets_queued": 1}
    bad = run_cli(env, "reprocess", "--stage", "nonsense", check=False)
    assert bad.returncode != 0 and "unknown stage" in bad.stderr


def test_users_commands_and_single_user_data_moves_to_the_admin(tmp_path: Path,
                                                                 db_url: str) -> None:
    env = env_for(tmp_path / "data", db_url)
    src = tmp_path / "old"
    images.write(src / "a.jpg", images.jpeg(320, 240, seed=401))
    assert run_json(env, "import", str(src), "--json")["counts"]["imported"] == 1
    created = run_json(env, "users", "create", "root", "--admin", "--json",
                       stdin="first-password\n")
    assert created["is_admin"] is True
    listed = run_json(env, "users", "list", "--json")["users"]
    assert [u["username"] for u in listed] == ["root"]
    assert listed[0]["storage_used_bytes"] > 0  # the earlier import now belongs to root
    run_cli(env, "users", "create", "guesto", stdin="second-password\n")
    weak = run_cli(env, "users", "create", "weak", stdin="short\n", check=False)
    assert weak.returncode == 1 and "at least 8" in weak.stderr
    dup = run_cli(env, "users", "create", "ROOT", stdin="another-password\n", check=False)
    assert dup.returncode == 1 and "taken" in dup.stderr
    run_cli(env, "users", "disable", "guesto")
    assert [u["is_active"] for u in run_json(env, "users", "list", "--json")["users"]] == [
        True, False]
    last_admin = run_cli(env, "users", "disable", "root", check=False)
    assert last_admin.returncode == 1 and "last active administrator" in last_admin.stderr
    run_cli(env, "users", "reset-password", "guesto", stdin="brand-new-password\n")
    # A second import by another user keeps its own copy (libraries are separate).
    run_cli(env, "users", "enable", "guesto")
    again = run_json(env, "import", str(src), "--json", "--user", "guesto")
    assert again["counts"]["imported"] == 1
    assert run_json(env, "events", "list", "--json") == {"events": []}


def _photos(src: Path) -> None:
    images.write(src / "a.jpg", images.jpeg(320, 240, seed=11))
    images.write(src / "b" / "b.webp", images.encode("WEBP", seed=12))
    images.write(src / "b" / "notes.jpg", b"a text file, not a photo")
    images.write(src / "c.png", images.encode("PNG", seed=13))


def test_import_shows_progress_as_it_goes(tmp_path: Path, db_url: str) -> None:
    """Not on a terminal (a log, a pipe) the progress comes as one line per step, on stderr:
    --json output on stdout stays one JSON document (issue 21, defect 8: `albumen import`
    said nothing until it ended)."""
    env = env_for(tmp_path / "data", db_url)
    src = tmp_path / "in"
    _photos(src)
    proc = run_cli(env, "import", str(src), "--json")
    assert json.loads(proc.stdout)["counts"]["imported"] == 3  # nothing else on stdout
    lines = proc.stderr.splitlines()
    steps = [line for line in lines if line.startswith("import: [")]
    assert [line.split("]")[0] for line in steps] == [
        "import: [1/4", "import: [2/4", "import: [3/4", "import: [4/4"]
    assert steps[-1].endswith("3 imported, 0 duplicates, 0 skipped, 1 rejected")
    assert any(line.startswith("import: 4 files") for line in lines)
    rejected = [line for line in lines if line.startswith("rejected ")]
    assert len(rejected) == 1 and "notes.jpg" in rejected[0] and "not a supported" in rejected[0]

    again = run_cli(env, "import", str(src))  # without --json: the summary on stdout
    assert "skipped (already imported) 3" in again.stdout
    assert "import: [4/4] 0 imported, 0 duplicates, 3 skipped, 1 rejected" in again.stderr


def test_import_draws_a_progress_bar_on_a_terminal(tmp_path: Path, db_url: str) -> None:
    env = env_for(tmp_path / "data", db_url, COLUMNS="100", TERM="xterm")
    src = tmp_path / "in"
    _photos(src)
    leader, follower = pty.openpty()
    proc = subprocess.Popen([ALBUMEN, "import", str(src), "--json"], env=env,
                            stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    seen = bytearray()

    def drain() -> None:
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the other end closed
                return
            if not chunk:
                return
            seen.extend(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    stdout, _ = proc.communicate(timeout=300)
    reader.join(timeout=30)
    os.close(leader)
    assert proc.returncode == 0
    assert json.loads(stdout)["counts"]["imported"] == 3
    shown = seen.decode(errors="replace")
    assert "importing" in shown and "4/4" in shown
    assert "import: [" not in shown  # the bar, not the lines for logs


def _big_files(src: Path, count: int = 3, size: int = 256 << 20) -> None:
    """Files that take a while to read and stage (sparse: they cost no disk here)."""
    src.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        with open(src / f"big{i}.jpg", "wb") as fh:
            fh.write(b"\xff\xd8\xff\xe0")
            fh.truncate(size)


def _stopped_mid_file(proc: subprocess.Popen[bytes], tmp: Path) -> list[Path]:
    """Freeze the import while it is staging a file; returns the staged file(s) then."""
    while proc.poll() is None:
        if list(tmp.glob("upload-*.part")):
            os.kill(proc.pid, signal.SIGSTOP)
            staged = list(tmp.glob("upload-*.part"))
            if staged:
                return staged
            os.kill(proc.pid, signal.SIGCONT)
        time.sleep(0.002)
    raise AssertionError("the import ended before it was caught staging a file")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_an_import_stopped_mid_file_leaves_no_staged_file(tmp_path: Path, db_url: str,
                                                           sig: signal.Signals) -> None:
    """Stopped by Ctrl-C or `kill` (a service manager's stop) while a file is being copied in,
    `albumen import` removes what it was staging, says so, and exits with the signal's status
    (SIGTERM ended it on the spot, leaving an upload-*.part behind)."""
    env = env_for(tmp_path / "data", db_url, ALBUMEN_IMPORT_THREADS="1")
    _big_files(tmp_path / "in")
    log = tmp_path / "import.log"
    proc = spawn(env, log, "import", str(tmp_path / "in"))
    tmp = tmp_path / "data" / "storage" / "tmp"
    try:
        assert _stopped_mid_file(proc, tmp)
        os.kill(proc.pid, sig)
        os.kill(proc.pid, signal.SIGCONT)
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 128 + sig, log_tail(log)
    assert list(tmp.glob("*.part")) == []
    assert "interrupted" in log_tail(log)


def test_a_staged_file_of_a_killed_import_is_swept_by_the_next(tmp_path: Path,
                                                                db_url: str) -> None:
    """SIGKILL leaves no chance to clean up: the next `albumen import` (or a worker's
    maintenance) removes what a process of this machine that no longer runs was staging, and
    leaves alone what a live one is writing."""
    env = env_for(tmp_path / "data", db_url, ALBUMEN_IMPORT_THREADS="1")
    _big_files(tmp_path / "in")
    log = tmp_path / "import.log"
    proc = spawn(env, log, "import", str(tmp_path / "in"))
    tmp = tmp_path / "data" / "storage" / "tmp"
    try:
        (left,) = _stopped_mid_file(proc, tmp)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert left.exists()  # what SIGKILL leaves
    alive = subprocess.Popen(["sleep", "600"])
    try:
        underway = tmp / left.name.replace(f"-{proc.pid}-", f"-{alive.pid}-")
        underway.write_bytes(b"an upload of a live process")
        images.write(tmp_path / "more" / "d.jpg", images.jpeg(seed=14))
        assert run_json(env, "import", str(tmp_path / "more"), "--json")["counts"]["imported"] == 1
        assert not left.exists()
        assert underway.exists()
    finally:
        alive.kill()
        alive.wait()
