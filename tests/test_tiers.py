"""Curation tiers (issue 29): bronze as it arrived, silver reviewed, gold selected with its
metadata complete — through the API (one asset, a batch), the search language and the CLI;
promotion refused with what is missing, demotion always allowed, every change audited."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from albumen.db.models import Face, Person
from albumen.runtime import get_runtime
from tests import images
from tests.conftest import bearer
from tests.processes import env_for, run_cli, run_json

PASSWORD = "a-long-password"


def _photo(c: TestClient, seed: int, **exif: object) -> dict:
    data = images.jpeg(seed=seed, exif=images.exif_bytes(**exif) if exif else None)
    r = c.post("/api/v1/assets", files={"file": (f"p{seed}.jpg", data)})
    assert r.status_code == 201, r.text
    return c.get(f"/api/v1/assets/{r.json()['asset']['id']}").json()


def _found(c: TestClient, q: str) -> list[int]:
    r = c.get("/api/v1/search", params={"q": q})
    assert r.status_code == 200, r.text
    return sorted(item["asset"]["id"] if "asset" in item else item["id"]
                  for item in r.json()["items"])


def test_tiers_promote_with_rules_and_demote(client: TestClient) -> None:
    c = client
    bare = _photo(c, 1, taken=None)
    placed = _photo(c, 2, gps=(38.7, -9.14))
    assert bare["tier"] == "bronze" and len(bare["gold_needs"]) == 3  # no faces to name
    assert placed["gold_needs"] == ["a title or a description"]

    # The rules, with how many are in each.
    rules = {r["tier"]: r for r in c.get("/api/v1/tiers").json()}
    assert rules["bronze"]["count"] == 2 and rules["gold"]["count"] == 0
    assert "a title or a description" in rules["gold"]["requires"]

    # Silver: reviewed. Gold refused with what is missing, then allowed once complete.
    silver = c.patch(f"/api/v1/assets/{bare['id']}", json={"tier": "silver"})
    assert silver.status_code == 200 and silver.json()["tier"] == "silver"
    refused = c.patch(f"/api/v1/assets/{placed['id']}", json={"tier": "gold"})
    assert refused.status_code == 422
    assert "a title or a description" in refused.json()["error"]["message"]
    assert c.get(f"/api/v1/assets/{placed['id']}").json()["tier"] == "bronze"
    c.patch(f"/api/v1/assets/{placed['id']}", json={"title": "Tram 28"})
    gold = c.patch(f"/api/v1/assets/{placed['id']}", json={"tier": "gold"}).json()
    assert gold["tier"] == "gold" and gold["gold_needs"] == []

    # In bulk: each changed, unchanged or refused with its reason; the rest goes on.
    batch = c.post("/api/v1/assets/tier", json={
        "asset_ids": [bare["id"], placed["id"]], "tier": "gold"}).json()
    assert batch["changed"] == [] and batch["unchanged"] == [placed["id"]]
    reasons = {r["asset_id"]: r["reason"] for r in batch["refused"]}
    assert "when it was taken" in reasons[bare["id"]]
    missing = c.post("/api/v1/assets/tier", json={"asset_ids": [bare["id"], 999999],
                                                   "tier": "bronze"})
    assert missing.status_code == 404 and "999999" in missing.json()["error"]["message"]
    down = c.post("/api/v1/assets/tier", json={"asset_ids": [placed["id"], bare["id"]],
                                                "tier": "bronze"}).json()
    assert sorted(down["changed"]) == sorted([placed["id"], bare["id"]])  # always allowed

    # Bad input: an unknown tier, null, an empty batch.
    assert c.patch(f"/api/v1/assets/{bare['id']}", json={"tier": "platinum"}).status_code == 422
    assert c.patch(f"/api/v1/assets/{bare['id']}", json={"tier": None}).status_code == 422
    assert c.post("/api/v1/assets/tier", json={"asset_ids": [],
                                                "tier": "gold"}).status_code == 422

    # Audited, from and to.
    log = c.get("/api/v1/audit", params={"action": "asset.tier"}).json()
    assert [(e["target_id"], e["details"]) for e in reversed(log)][:2] == [  # newest first
        (bare["id"], {"before": "bronze", "after": "silver"}),
        (placed["id"], {"before": "bronze", "after": "gold"})]
    assert len(log) == 4


def test_tiers_in_search_and_faces_to_name(client: TestClient) -> None:
    c = client
    a = _photo(c, 3, gps=(41.15, -8.61))
    b = _photo(c, 4)
    c.patch(f"/api/v1/assets/{a['id']}", json={"description": "Ribeira at dusk"})
    rt = get_runtime()
    with rt.transaction() as session:  # a face nobody has named yet (the model is not run)
        person = Person(owner_id=1, name=None)
        session.add(person)
        session.flush()
        session.add(Face(asset_id=a["id"], owner_id=1, person_id=person.id, assigned_by="auto",
                         box_x=0.1, box_y=0.1, box_w=0.2, box_h=0.2, embedding=bytes(512)))
        person_id = person.id
    needs = c.get(f"/api/v1/assets/{a['id']}").json()["gold_needs"]
    assert needs == ["who is in it (1 face not named)"]
    assert c.patch(f"/api/v1/assets/{a['id']}", json={"tier": "gold"}).status_code == 422
    with rt.transaction() as session:
        session.get(Person, person_id).name = "Rita"
    assert c.patch(f"/api/v1/assets/{a['id']}", json={"tier": "gold"}).status_code == 200
    c.patch(f"/api/v1/assets/{b['id']}", json={"tier": "silver"})
    assert _found(c, "tier:gold") == [a["id"]]
    assert _found(c, "tier:silver,gold") == sorted([a["id"], b["id"]])
    assert _found(c, "tier:bronze") == []
    bad = c.get("/api/v1/search", params={"q": "tier:platinum"})
    assert bad.status_code == 422 and "tier:" in bad.json()["error"]["message"]


def test_only_who_may_edit_sets_a_tier(client: TestClient) -> None:
    c = client
    mine = _photo(c, 5)
    c.post("/api/v1/users", json={"username": "other", "password": PASSWORD})
    other = {"Authorization": bearer(c, "other", PASSWORD)}
    r = c.patch(f"/api/v1/assets/{mine['id']}", json={"tier": "silver"}, headers=other)
    assert r.status_code == 404
    batch = c.post("/api/v1/assets/tier", json={"asset_ids": [mine["id"]], "tier": "silver"},
                   headers=other)
    assert batch.status_code == 404
    assert c.get(f"/api/v1/assets/{mine['id']}").json()["tier"] == "bronze"
    assert c.get("/api/v1/tiers", headers=other).json()[0]["count"] == 0  # counts are yours


def test_cli_sets_tiers_and_shows_the_rules(tmp_path: Path, db_url: str) -> None:
    env = env_for(tmp_path / "data", db_url)
    folder = tmp_path / "in"
    images.write(folder / "a.jpg", images.jpeg(seed=6, exif=images.exif_bytes(
        gps=(52.37, 4.9))))
    images.write(folder / "b.jpg", images.jpeg(seed=7))
    run_cli(env, "users", "create", "admin", "--admin", stdin=PASSWORD + "\n")
    assert run_json(env, "import", str(folder), "--wait", "--json")["counts"]["imported"] == 2
    ids = sorted(a["id"] for a in run_json(env, "assets", "list", "--json")["items"])
    doc = run_json(env, "tiers", "set", *map(str, ids), "silver", "--json")
    assert sorted(doc["changed"]) == ids and doc["refused"] == []
    refused = run_cli(env, "tiers", "set", str(ids[0]), "gold", "--json", check=False)
    assert refused.returncode == 1
    assert "a title or a description" in refused.stdout
    rules = {r["tier"]: r for r in run_json(env, "tiers", "rules", "--json")}
    assert rules["silver"]["count"] == 2 and rules["gold"]["requires"]
    shown = run_json(env, "assets", "show", str(ids[0]), "--json")
    assert shown["tier"] == "silver"
