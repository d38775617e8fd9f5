from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="MomentOut")



@_attrs_define
class MomentOut:
    """ 
        Attributes:
            start (datetime.datetime):
            end (datetime.datetime):
            place (None | str):
            asset_count (int):
            asset_ids (list[int]):
            cover_asset_id (int):
     """

    start: datetime.datetime
    end: datetime.datetime
    place: None | str
    asset_count: int
    asset_ids: list[int]
    cover_asset_id: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        start = self.start.isoformat()

        end = self.end.isoformat()

        place: None | str
        place = self.place

        asset_count = self.asset_count

        asset_ids = self.asset_ids



        cover_asset_id = self.cover_asset_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "start": start,
            "end": end,
            "place": place,
            "asset_count": asset_count,
            "asset_ids": asset_ids,
            "cover_asset_id": cover_asset_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        start = datetime.datetime.fromisoformat(d.pop("start"))




        end = datetime.datetime.fromisoformat(d.pop("end"))




        def _parse_place(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        place = _parse_place(d.pop("place"))


        asset_count = d.pop("asset_count")

        asset_ids = cast(list[int], d.pop("asset_ids"))


        cover_asset_id = d.pop("cover_asset_id")

        moment_out = cls(
            start=start,
            end=end,
            place=place,
            asset_count=asset_count,
            asset_ids=asset_ids,
            cover_asset_id=cover_asset_id,
        )


        moment_out.additional_properties = d
        return moment_out

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
