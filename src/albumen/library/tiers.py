"""Curation tiers: bronze (as it arrived), silver (reviewed by a person), gold (selected, its
metadata complete). The API, the CLI and the web app set them here; every change is audited.

Promotion needs the asset processed (a photo still being read cannot be reviewed) and not held
or rejected by moderation; gold also needs what ``gold_needs`` lists, shown to the user before
they try. Demotion is always allowed. A batch goes on past the assets the rules refuse, and
says why for each (one the caller may not edit refuses the whole batch).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from albumen.accounts import audit
from albumen.accounts.audit import Actor
from albumen.db.models import APPROVED, ASSET_READY, GOLD, SILVER, TIERS, Asset
from albumen.errors import AlbumenError, InvalidInput
from albumen.library.asset_view import AssetFacts, gather
from albumen.library.assets import editable
from albumen.runtime import Runtime

MEANING = {
    "bronze": "as it arrived: nobody has reviewed it yet",
    "silver": "reviewed by a person: kept after culling, its date, place and people checked",
    "gold": "selected: reviewed, its metadata complete, exported with it embedded",
}
GOLD_RULES = (
    "when it was taken (a capture time)",
    "where it was taken (a GPS position or a place)",
    "who is in it (every face named, or marked as nobody)",
    "a title or a description",
)
MAX_BATCH = 1000


def rules() -> list[dict[str, object]]:
    """What each tier means and what it takes, for the user."""
    return [{"tier": tier, "meaning": MEANING[tier],
             "requires": list(GOLD_RULES) if tier == GOLD else
             (["processed, and not held or rejected by moderation"] if tier == SILVER else [])}
            for tier in TIERS]


def gold_needs(asset: Asset, facts: AssetFacts) -> list[str]:
    """What this asset lacks to be gold (empty: nothing)."""
    needs = []
    if asset.taken_at is None:
        needs.append(GOLD_RULES[0])
    if (asset.latitude is None or asset.longitude is None) and facts.place is None:
        needs.append(GOLD_RULES[1])
    unnamed = sum(1 for face, person in facts.faces
                  if (person is None and face.assigned_by != "user")
                  or (person is not None and not (person.name or "").strip()))
    if unnamed:
        needs.append(f"who is in it ({unnamed} face{'s' if unnamed > 1 else ''} not named)")
    if not (asset.title or "").strip() and not (asset.description or "").strip():
        needs.append(GOLD_RULES[3])
    return needs


@dataclass
class TierChange:
    tier: str
    changed: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)


def set_tier(rt: Runtime, asset_ids: Sequence[int], tier: str, actor: Actor) -> TierChange:
    """Put each asset in ``tier``. The caller must be allowed to edit every one (else nothing
    changes: NotFound/Forbidden); then each is changed in its own transaction, and one that
    the rules refuse (gold's needs, still processing) does not stop the rest."""
    if tier not in TIERS:
        raise InvalidInput(f"unknown tier {tier!r} (bronze, silver or gold)")
    ids = list(dict.fromkeys(asset_ids))
    if not ids or len(ids) > MAX_BATCH:
        raise InvalidInput(f"give 1 to {MAX_BATCH} asset ids")
    with rt.session() as session:  # who may: all of them, or none is changed
        for asset_id in ids:
            editable(session, asset_id, actor.user_id)
    result = TierChange(tier)
    for asset_id in ids:
        try:
            changed = set_one(rt, asset_id, tier, actor)
        except AlbumenError as exc:
            result.refused[asset_id] = str(exc)
            continue
        (result.changed if changed else result.unchanged).append(asset_id)
    return result


def set_one(rt: Runtime, asset_id: int, tier: str, actor: Actor) -> bool:
    """Put one asset in ``tier``; False when it was there already. Raises what stops it."""
    if tier not in TIERS:
        raise InvalidInput(f"unknown tier {tier!r} (bronze, silver or gold)")
    with rt.transaction() as session:
        return _set_one(session, asset_id, tier, actor) != tier


def _set_one(session: Session, asset_id: int, tier: str, actor: Actor) -> str:
    asset = editable(session, asset_id, actor.user_id)
    before = asset.tier
    if before == tier:
        return before
    if TIERS.index(tier) > TIERS.index(before):  # a demotion is always allowed
        _check_promotion(session, asset, tier)
    asset.tier = tier
    audit.record(session, actor, "asset.tier", "asset", asset_id, before=before, after=tier)
    return before


def _check_promotion(session: Session, asset: Asset, tier: str) -> None:
    if asset.deleted_at is not None:
        raise InvalidInput(f"asset {asset.id} is in the trash")
    if asset.state != ASSET_READY:
        raise InvalidInput(f"asset {asset.id} is still {asset.state}: it is reviewed once "
                           "processed")
    if asset.moderation != APPROVED:
        raise InvalidInput(f"asset {asset.id} is {asset.moderation.replace('_', ' ')} by "
                           "moderation")
    if tier == GOLD:
        facts = gather(session, [asset], None)[asset.id]
        needs = gold_needs(asset, facts)
        if needs:
            raise InvalidInput(f"asset {asset.id} is not complete for gold; it needs "
                               + "; ".join(needs), details={"asset_id": asset.id,
                                                            "needs": needs})


def counts(session: Session, owner_id: int | None) -> dict[str, int]:
    """How many assets are in each tier (an owner's, or everyone's)."""
    query = select(Asset.tier, func.count()).where(Asset.deleted_at.is_(None),
                                                   Asset.motion_of_id.is_(None))
    if owner_id is not None:
        query = query.where(Asset.owner_id == owner_id)
    found = {tier: n for tier, n in session.execute(query.group_by(Asset.tier))}
    return {tier: int(found.get(tier, 0)) for tier in TIERS}
