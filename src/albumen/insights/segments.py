"""Audience segments: the guests and users of an event (or of the whole instance) clustered by
what they do — uploads, views, reactions and comments, downloads, searches, how many days they
come back, the time of day, the device — into a few named groups with their sizes and traits.

Each person is a row of features read from the activity log (``activity``: the anonymous are
left out, they are not one person); the counts are taken as log(1 + n) and every feature is
standardised, so a heavy uploader and a night owl weigh the same. k-means (scikit-learn,
k-means++ seeding, a fixed seed: the same log gives the same segments) runs for k = 2 ..
``MAX_SEGMENTS`` and keeps the k with the best silhouette. With fewer than ``MIN_PEOPLE``
people there is one segment, everyone.

A segment is named by what sets it apart from everyone (its mean against the mean of all):
its main activity ("Contributors" upload, "Engagers" react and comment, "Collectors"
download, "Browsers" look, "Drop-ins" barely do anything), then when and on what when it
stands out ("Night-owl", "Mobile", "Desktop"); its traits say it in numbers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from albumen.db.engagement import (
    COMMENT,
    DOWNLOAD,
    DOWNLOAD_ZIP,
    REACTION,
    SEARCH,
    UPLOAD,
    VIEW_ASSET,
    VIEW_GALLERY,
    VIEW_SLIDESHOW,
    Activity,
)
from albumen.db.models import Guest, User
from albumen.insights.analytics import _epoch_quantum, _scope

MIN_PEOPLE = 8
MAX_SEGMENTS = 6
INSTANCE_DAYS = 90
EXAMPLES = 5
GROUPS = {UPLOAD: "uploads", VIEW_ASSET: "views", VIEW_GALLERY: "views",
          VIEW_SLIDESHOW: "views", REACTION: "reactions", COMMENT: "comments",
          DOWNLOAD: "downloads", DOWNLOAD_ZIP: "downloads", SEARCH: "searches"}
COUNTS = ("uploads", "views", "reactions", "comments", "downloads", "searches")
FEATURES = (*COUNTS, "days", "night", "mobile")
NIGHT = (22, 6)  # local hours from .. to: a night owl's share of activity
PRIOR_ACTIONS = 5.0


@dataclass
class Person:
    actor: str  # "u:ID" or "g:ID"
    counts: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    days: set[str] = field(default_factory=set)
    night: float = 0.0
    mobile: float = 0.0  # actions from phones and tablets
    known_device: float = 0.0  # actions with a device at all
    label: str = ""

    def vector(self, night: float, mobile: float) -> list[float]:
        """The features clustered. The shares of night and of mobile are drawn towards
        everyone's (``night``, ``mobile``) by ``PRIOR_ACTIONS`` actions' worth: one view at
        midnight on a phone says little about a person, fifty say a lot."""
        total = sum(self.counts.values())
        return [*(float(np.log1p(self.counts[c])) for c in COUNTS),
                float(np.log1p(len(self.days))),
                (self.night + PRIOR_ACTIONS * night) / (total + PRIOR_ACTIONS),
                (self.mobile + PRIOR_ACTIONS * mobile) / (self.known_device + PRIOR_ACTIONS)]

    def raw(self) -> dict[str, float]:
        total = sum(self.counts.values()) or 1.0
        return {**{c: self.counts[c] for c in COUNTS}, "days": float(len(self.days)),
                "night": self.night / total,
                "mobile": self.mobile / self.known_device if self.known_device else np.nan}


def event_segments(session: Session, user_id: int | None, event_id: int) -> dict[str, Any]:
    """The segments of an event's guests and members (hosts only; None = the operator)."""
    result, _ = _event(session, user_id, event_id)
    return result


def event_members(session: Session, user_id: int | None, event_id: int
                  ) -> list[tuple[Any, ...]]:
    """One row per person of the event: who, their segment and their features (exports)."""
    _, rows = _event(session, user_id, event_id)
    return rows


def _event(session: Session, user_id: int | None, event_id: int
           ) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
    scope = _scope(session, user_id, event_id)
    people = _people(session, scope.zone, Activity.event_id == event_id)
    result, rows = _segment(people)
    return {"scope": {"event_id": event_id, "title": scope.event.title}, **result}, rows


def instance_segments(session: Session, days: int = INSTANCE_DAYS,
                      now: datetime | None = None) -> dict[str, Any]:
    """The segments of everyone active on the instance in the last ``days`` (administrators),
    by the UTC clock."""
    since = (now or datetime.now(UTC)) - timedelta(days=days)
    people = _people(session, ZoneInfo("UTC"), Activity.at >= since)
    result, _ = _segment(people)
    return {"scope": {"instance": True, "days": days}, **result}


MEMBER_COLUMNS = [("actor", "text"), ("name", "text"), ("segment", "text"),
                  *((f, "float") for f in FEATURES)]


def _people(session: Session, zone: ZoneInfo, where: Any) -> list[Person]:
    """Per person: actions of each kind per hour, grouped in the database (one row per person,
    kind, hour and device), placed in local hours and days here."""
    hour = _epoch_quantum(session, Activity.at).op("/")(4).label("hour")  # 4 quanta an hour
    rows = session.execute(
        select(Activity.user_id, Activity.guest_id, Activity.kind, Activity.device, hour,
               func.count())
        .where(where, (Activity.user_id.is_not(None)) | (Activity.guest_id.is_not(None)))
        .group_by(Activity.user_id, Activity.guest_id, Activity.kind, Activity.device, hour))
    people: dict[str, Person] = {}
    night_from, night_to = NIGHT
    for user_id, guest_id, kind, device, h, n in rows:
        group = GROUPS.get(kind)
        if group is None:
            continue
        actor = f"u:{user_id}" if user_id is not None else f"g:{guest_id}"
        person = people.setdefault(actor, Person(actor))
        local = datetime.fromtimestamp(int(h) * 3600, UTC).astimezone(zone)
        person.counts[group] += n
        person.days.add(local.date().isoformat())
        if local.hour >= night_from or local.hour < night_to:
            person.night += n
        if device is not None and device != "bot":
            person.known_device += n
            if device in ("phone", "tablet"):
                person.mobile += n
    _label(session, people)
    return sorted(people.values(), key=lambda p: p.actor)


def _label(session: Session, people: dict[str, Person]) -> None:
    users = [int(a[2:]) for a in people if a.startswith("u:")]
    guests = [int(a[2:]) for a in people if a.startswith("g:")]
    for i, name in session.execute(select(User.id, User.username).where(User.id.in_(users))):
        people[f"u:{i}"].label = name
    for i, name in session.execute(select(Guest.id, Guest.name).where(Guest.id.in_(guests))):
        people[f"g:{i}"].label = name or f"guest {i}"
    for person in people.values():
        person.label = person.label or ("a deleted user" if person.actor.startswith("u:")
                                        else f"guest {person.actor[2:]}")


def assign(people: list[Person]) -> tuple[np.ndarray, float | None]:
    """Each person's segment (0 .. k-1) and the silhouette of the k kept (None: one segment)."""
    if len(people) < MIN_PEOPLE:
        return np.zeros(len(people), dtype=int), None
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score
    from sklearn.preprocessing import StandardScaler

    actions = sum(sum(p.counts.values()) for p in people) or 1.0
    known = sum(p.known_device for p in people)
    night = sum(p.night for p in people) / actions
    mobile = sum(p.mobile for p in people) / known if known else 0.5
    x = StandardScaler().fit_transform(np.array([p.vector(night, mobile) for p in people]))
    distinct = len(np.unique(x.round(6), axis=0))
    best: tuple[float, np.ndarray] | None = None
    for k in range(2, min(MAX_SEGMENTS, distinct - 1, len(people) - 1) + 1):
        labels = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(x)
        if len(set(labels)) < 2:
            continue
        score = float(silhouette_score(x, labels))
        if best is None or score > best[0] + 1e-9:
            best = (score, labels)
    if best is None:
        return np.zeros(len(people), dtype=int), None
    return best[1], round(best[0], 3)


def _segment(people: list[Person]) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
    labels, silhouette = assign(people)
    everyone = _means(people)
    groups: dict[int, list[Person]] = defaultdict(list)
    for person, label in zip(people, labels, strict=True):
        groups[int(label)].append(person)
    segments = []
    for members in sorted(groups.values(), key=lambda m: (-len(m), m[0].actor)):
        means = _means(members)
        segments.append({
            "name": _name(means, everyone) if len(groups) > 1 else "Everyone",
            "size": len(members), "share": round(len(members) / len(people), 3),
            "traits": _traits(means, everyone),
            "averages": {k: (None if np.isnan(v) else round(v, 3)) for k, v in means.items()},
            "examples": [{"actor": p.actor, "name": p.label}
                         for p in sorted(members, key=lambda p: -sum(p.counts.values()))
                         [:EXAMPLES]],
            "members": members})
    _unique_names(segments)
    rows = []
    for segment in segments:
        for p in segment.pop("members"):
            raw = p.raw()
            rows.append((p.actor, p.label, segment["name"],
                         *(None if np.isnan(raw[f]) else round(raw[f], 3) for f in FEATURES)))
    return {"people": len(people), "silhouette": silhouette,
            "method": (f"k-means on {len(FEATURES)} standardised features, k by silhouette"
                       if silhouette is not None else "one segment (too few people to split)"),
            "everyone": {k: (None if np.isnan(v) else round(v, 3)) for k, v in everyone.items()},
            "segments": segments}, rows


def _means(people: list[Person]) -> dict[str, float]:
    if not people:
        return {k: np.nan for k in FEATURES}
    raws = [p.raw() for p in people]
    out = {}
    for k in FEATURES:
        values = [r[k] for r in raws if not np.isnan(r[k])]
        out[k] = float(np.mean(values)) if values else np.nan
    return out


def _ratio(means: dict[str, float], everyone: dict[str, float], key: str) -> float:
    base = everyone[key]
    if np.isnan(means[key]) or np.isnan(base):
        return 1.0
    return (means[key] + 0.05) / (base + 0.05)


ROLES = (("Contributors", ("uploads",)), ("Engagers", ("reactions", "comments")),
         ("Collectors", ("downloads",)), ("Searchers", ("searches",)), ("Browsers", ("views",)))


def _name(means: dict[str, float], everyone: dict[str, float]) -> str:
    lifts = {role: max(_ratio(means, everyone, k) for k in keys) for role, keys in ROLES}
    role = max(lifts, key=lambda r: lifts[r])
    activity = sum(means[c] for c in COUNTS)
    overall = sum(everyone[c] for c in COUNTS)
    if activity < 0.4 * overall and means["days"] <= max(1.0, everyone["days"]):
        role = "Drop-ins"
    elif lifts[role] < 1.25:
        role = "Regulars"
    words = []
    if means["night"] >= 0.35 and _ratio(means, everyone, "night") >= 1.5:
        words.append("Night-owl")
    if not np.isnan(means["mobile"]):
        if means["mobile"] >= 0.75 and _ratio(means, everyone, "mobile") >= 1.2:
            words.append("mobile")
        elif means["mobile"] <= 0.25 and _ratio(means, everyone, "mobile") <= 0.8:
            words.append("desktop")
    if not words:
        return role
    return " ".join([words[0].capitalize(), *words[1:], role.lower()])


def _unique_names(segments: list[dict[str, Any]]) -> None:
    """Two segments of the same name: the busier is "Heavy ..", the other "Light .."
    (then numbered)."""
    by_name: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in segments:
        by_name[s["name"]].append(s)
    for name, same in by_name.items():
        if len(same) < 2:
            continue
        same.sort(key=lambda s: -sum(s["averages"][c] or 0 for c in COUNTS))
        for i, s in enumerate(same):
            prefix = "Heavy" if i == 0 else "Light" if i == len(same) - 1 else "Mid"
            s["name"] = f"{prefix} {name[0].lower()}{name[1:]}"
        seen: dict[str, int] = defaultdict(int)
        for s in same:
            seen[s["name"]] += 1
            if seen[s["name"]] > 1:
                s["name"] += f" {seen[s['name']]}"


TRAIT_WORDS = {"uploads": "uploads", "views": "photo views", "reactions": "reactions",
               "comments": "comments", "downloads": "downloads", "searches": "searches"}


def _traits(means: dict[str, float], everyone: dict[str, float]) -> list[str]:
    """What sets the segment apart, most distinctive first (the main counts always)."""
    lines: list[tuple[float, str]] = []
    for key in COUNTS:
        if means[key] == 0 and everyone[key] == 0:
            continue
        lift = _ratio(means, everyone, key)
        lines.append((abs(np.log(lift)), f"{means[key]:.1f} {TRAIT_WORDS[key]} each "
                                         f"(everyone: {everyone[key]:.1f})"))
    lines.append((abs(np.log(_ratio(means, everyone, "days"))),
                  f"active on {means['days']:.1f} days (everyone: {everyone['days']:.1f})"))
    lines.append((abs(np.log(_ratio(means, everyone, "night"))),
                  f"{means['night']:.0%} of their activity at night, 22:00-06:00 "
                  f"(everyone: {everyone['night']:.0%})"))
    if not np.isnan(means["mobile"]) and not np.isnan(everyone["mobile"]):
        lines.append((abs(np.log(_ratio(means, everyone, "mobile"))),
                      f"{means['mobile']:.0%} on phones and tablets "
                      f"(everyone: {everyone['mobile']:.0%})"))
    return [text for _, text in sorted(lines, key=lambda t: -t[0])]
