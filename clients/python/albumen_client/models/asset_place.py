from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="AssetPlace")



@_attrs_define
class AssetPlace:
    """ 
        Attributes:
            id (int): the place (GET /api/v1/places lists them)
            city (None | str): the nearest town or city of 1,000 people or more
            region (None | str): state, province or region
            country (None | str): country name in English
            country_code (None | str): ISO 3166-1 alpha-2 code
            label (str): the names joined for display, e.g. 'Lisbon, Portugal'
     """

    id: int
    city: None | str
    region: None | str
    country: None | str
    country_code: None | str
    label: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        city: None | str
        city = self.city

        region: None | str
        region = self.region

        country: None | str
        country = self.country

        country_code: None | str
        country_code = self.country_code

        label = self.label


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "city": city,
            "region": region,
            "country": country,
            "country_code": country_code,
            "label": label,
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


        def _parse_country(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        country = _parse_country(d.pop("country"))


        def _parse_country_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        country_code = _parse_country_code(d.pop("country_code"))


        label = d.pop("label")

        asset_place = cls(
            id=id,
            city=city,
            region=region,
            country=country,
            country_code=country_code,
            label=label,
        )


        asset_place.additional_properties = d
        return asset_place

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
