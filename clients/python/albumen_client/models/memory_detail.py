from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.memory_detail_kind import MemoryDetailKind
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.asset_out import AssetOut





T = TypeVar("T", bound="MemoryDetail")



@_attrs_define
class MemoryDetail:
    """ 
        Attributes:
            id (int):
            kind (MemoryDetailKind):
            title (str): "3 years ago", "Trip to Lisbon", "Anna over the years"
            subtitle (None | str):
            day (datetime.date): the day it is for (built for, for trips and people)
            cover_asset_id (int):
            asset_ids (list[int]): its photos you may see, in order
            starts_at (datetime.datetime | None): a trip's first photo
            ends_at (datetime.datetime | None): a trip's last photo
            assets (list[AssetOut]):
     """

    id: int
    kind: MemoryDetailKind
    title: str
    subtitle: None | str
    day: datetime.date
    cover_asset_id: int
    asset_ids: list[int]
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    assets: list[AssetOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.asset_out import AssetOut # noqa: PLC0415
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

        assets = []
        for assets_item_data in self.assets:
            assets_item = assets_item_data.to_dict()
            assets.append(assets_item)




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
            "assets": assets,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.asset_out import AssetOut # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        kind = MemoryDetailKind(d.pop("kind"))




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


        assets = []
        _assets = d.pop("assets")
        for assets_item_data in (_assets):
            assets_item = AssetOut.from_dict(assets_item_data)



            assets.append(assets_item)


        memory_detail = cls(
            id=id,
            kind=kind,
            title=title,
            subtitle=subtitle,
            day=day,
            cover_asset_id=cover_asset_id,
            asset_ids=asset_ids,
            starts_at=starts_at,
            ends_at=ends_at,
            assets=assets,
        )


        memory_detail.additional_properties = d
        return memory_detail

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
