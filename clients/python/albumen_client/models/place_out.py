from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="PlaceOut")



@_attrs_define
class PlaceOut:
    """ 
        Attributes:
            id (int):
            city (None | str):
            region (None | str):
            country_code (None | str):
            country (None | str):
            latitude (float | None):
            longitude (float | None):
            asset_count (int):
     """

    id: int
    city: None | str
    region: None | str
    country_code: None | str
    country: None | str
    latitude: float | None
    longitude: float | None
    asset_count: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        city: None | str
        city = self.city

        region: None | str
        region = self.region

        country_code: None | str
        country_code = self.country_code

        country: None | str
        country = self.country

        latitude: float | None
        latitude = self.latitude

        longitude: float | None
        longitude = self.longitude

        asset_count = self.asset_count


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "city": city,
            "region": region,
            "country_code": country_code,
            "country": country,
            "latitude": latitude,
            "longitude": longitude,
            "asset_count": asset_count,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        def _parse_city(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        city = _parse_city(d.pop("city"))


        def _parse_region(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        region = _parse_region(d.pop("region"))


        def _parse_country_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        country_code = _parse_country_code(d.pop("country_code"))


        def _parse_country(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        country = _parse_country(d.pop("country"))


        def _parse_latitude(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        latitude = _parse_latitude(d.pop("latitude"))


        def _parse_longitude(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        longitude = _parse_longitude(d.pop("longitude"))


        asset_count = d.pop("asset_count")

        place_out = cls(
            id=id,
            city=city,
            region=region,
            country_code=country_code,
            country=country,
            latitude=latitude,
            longitude=longitude,
            asset_count=asset_count,
        )


        place_out.additional_properties = d
        return place_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
