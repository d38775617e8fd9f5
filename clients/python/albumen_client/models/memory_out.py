from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.memory_out_kind import MemoryOutKind
from typing import cast
import datetime






T = TypeVar("T", bound="MemoryOut")



@_attrs_define
class MemoryOut:
    """ 
        Attributes:
            id (int):
            kind (MemoryOutKind):
            title (str): "3 years ago", "Trip to Lisbon", "Anna over the years"
            subtitle (None | str):
            day (datetime.date): the day it is for (built for, for trips and people)
            cover_asset_id (int):
            asset_ids (list[int]): its photos you may see, in order
            starts_at (datetime.datetime | None): a trip's first photo
            ends_at (datetime.datetime | None): a trip's last photo
     """

    id: int
    kind: MemoryOutKind
    title: str
    subtitle: None | str
    day: datetime.date
    cover_asset_id: int
    asset_ids: list[int]
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind = self.kind.value

        title = self.title

        subtitle: None | str
        subtitle = self.subtitle

        day = self.day.isoformat()

        cover_asset_id = self.cover_asset_id

        asset_ids = self.asset_ids



        starts_at: None | str
        if isinstance(self.starts_at, datetime.datetime):
            starts_at = self.starts_at.isoformat()
        else:
            starts_at = self.starts_at

        ends_at: None | str
        if isinstance(self.ends_at, datetime.datetime):
            ends_at = self.ends_at.isoformat()
        else:
            ends_at = self.ends_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "kind": kind,
            "title": title,
            "subtitle": subtitle,
            "day": day,
            "cover_asset_id": cover_asset_id,
            "asset_ids": asset_ids,
            "starts_at": starts_at,
            "ends_at": ends_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        kind = MemoryOutKind(d.pop("kind"))




        title = d.pop("title")

        def _parse_subtitle(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        subtitle = _parse_subtitle(d.pop("subtitle"))


        day = datetime.date.fromisoformat(d.pop("day"))




        cover_asset_id = d.pop("cover_asset_id")

        asset_ids = cast(list[int], d.pop("asset_ids"))


        def _parse_starts_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                starts_at_type_0 = datetime.datetime.fromisoformat(data)



                return starts_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        starts_at = _parse_starts_at(d.pop("starts_at"))


        def _parse_ends_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ends_at_type_0 = datetime.datetime.fromisoformat(data)



                return ends_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        ends_at = _parse_ends_at(d.pop("ends_at"))


        memory_out = cls(
            id=id,
            kind=kind,
            title=title,
            subtitle=subtitle,
            day=day,
            cover_asset_id=cover_asset_id,
            asset_ids=asset_ids,
            starts_at=starts_at,
            ends_at=ends_at,
        )


        memory_out.additional_properties = d
        return memory_out

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
