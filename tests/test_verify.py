"""`albumen verify` on real files: damage is found, thumbnails are regenerated, nothing that
matters is ever deleted."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from sqlalchemy import select

from albumen.db.models import Asset, Derivative
from albumen.operations.verify import verify
from albumen.runtime import Runtime
from albumen.storage.base import original_key
from tests import images
from tests.datasafety import local_file, populate
from tests.processes import env_for, run_cli


def _flip_a_byte(path: Path) -> None:
    os.chmod(path, 0o644)  # originals are stored read-only
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def test_verify_finds_damage_and_repairs_thumbnails(rt: Runtime, tmp_path: Path) -> None:
    ids = populate(rt, tmp_path / "photos")
    clean = verify(rt, full=True)
    assert clean["ok"], clean
    assert clean["checked"]["originals_hashed"] == 3 and clean["unrepaired"] == 0

    with rt.session() as s:
        corrupt, missing, thumbless = (s.get(Asset, i) for i in ids)
        thumb_key = s.get(Derivative, (thumbless.id, "thumbnail")).storage_key
    _flip_a_byte(local_file(rt, corrupt.storage_key))
    local_file(rt, missing.storage_key).unlink()
    local_file(rt, thumb_key).unlink()
    orphan_original = original_key(hashlib.sha256(b"left behind").hexdigest())
    rt.storage.put_bytes(orphan_original, b"left behind")
    rt.storage.put_bytes("derivatives/999/999999/preview.jpg", b"no such asset")
    rt.storage.put_bytes("stray/file.bin", b"?")

    report = verify(rt, full=True)
    assert not report["ok"]
    assert report["corrupt_originals"]["count"] == 1
    bad = report["corrupt_originals"]["items"][0]
    assert bad["key"] == corrupt.storage_key and bad["asset_ids"] == [corrupt.id]
    assert bad["expected"] == corrupt.sha256 != bad["actual"]
    assert report["missing_originals"]["items"] == [
        {"asset_id": missing.id, "key": missing.storage_key}]
    assert sorted(report["orphans"]["items"]) == sorted([
        orphan_original, "derivatives/999/999999/preview.jpg", "stray/file.bin"])
    assert report["missing_derivatives"]["items"] == [
        {"asset_id": thumbless.id, "kinds": ["thumbnail"], "original_present": True}]
    assert report["repair"] is None

    # a sample large enough to take every photo finds the corrupt one too
    assert verify(rt, sample=10)["corrupt_originals"]["count"] == 1
    # a sample of none hashes nothing
    assert verify(rt, sample=0)["checked"]["originals_hashed"] == 0

    repaired = verify(rt, repair=True, sample=0)
    assert repaired["repair"] == {"queued": 1, "asset_ids": [thumbless.id]}
    assert local_file(rt, thumb_key).is_file()  # made again (the queue runs inline in tests)
    with rt.session() as s:
        assert s.get(Asset, thumbless.id).state == "ready"
    after = verify(rt, full=True)
    assert after["missing_derivatives"]["count"] == 0
    assert after["unrepaired"] == 1 + 1 + 3  # corrupt, missing, orphans: for a person to see
    # nothing was deleted: the corrupt original and the orphans are still there
    assert local_file(rt, corrupt.storage_key).is_file()
    assert rt.storage.exists(orphan_original) and rt.storage.exists("stray/file.bin")
    assert not after["ok"]


def test_verify_sees_a_missing_derivative_row(rt: Runtime, tmp_path: Path) -> None:
    ids = populate(rt, tmp_path / "photos")
    with rt.transaction() as s:
        row = s.scalars(select(Derivative).where(Derivative.asset_id == ids[1],
                                                 Derivative.kind == "preview")).one()
        key = row.storage_key
        s.delete(row)
    report = verify(rt, sample=0)
    assert report["missing_derivatives"]["items"] == [
        {"asset_id": ids[1], "kinds": ["preview"], "original_present": True}]
    assert report["orphans"]["items"] == [key]  # its file is now referred to by nothing
    fixed = verify(rt, sample=0, repair=True)
    assert fixed["repair"]["queued"] == 1
    assert verify(rt, sample=0)["ok"]


@pytest.mark.slow
def test_verify_command_exit_codes(tmp_path: Path) -> None:
    env = env_for(tmp_path / "data", f"sqlite:///{tmp_path / 'a.db'}")
    images.write(tmp_path / "in" / "a.jpg", images.jpeg(seed=5))
    run_cli(env, "import", str(tmp_path / "in"), "--wait", "--json")
    ok = run_cli(env, "verify", "--full", "--json")
    assert json.loads(ok.stdout)["ok"] is True
    (tmp_path / "data" / "storage" / "junk.bin").write_bytes(b"junk")
    bad = run_cli(env, "verify", "--json", check=False)
    assert bad.returncode == 1
    assert json.loads(bad.stdout)["orphans"]["items"] == ["junk.bin"]
    human = run_cli(env, "verify", check=False)
    assert human.returncode == 1 and "1 orphaned file" in human.stdout
