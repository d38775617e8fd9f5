"""The `albumen` command, run as a real subprocess against real databases."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import images
from tests.processes import env_for, run_cli, run_json

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
