from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.asset_out import AssetOut





T = TypeVar("T", bound="DuplicateGroup")



@_attrs_define
class DuplicateGroup:
    """ 
        Attributes:
            best_id (int): the one to keep: most pixels, then sharpest
            assets (list[AssetOut]):
     """

    best_id: int
    assets: list[AssetOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.asset_out import AssetOut # noqa: PLC0415
        best_id = self.best_id

        assets = []
        for assets_item_data in self.assets:
            assets_item = assets_item_data.to_dict()
            assets.append(assets_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "best_id": best_id,
            "assets": assets,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.asset_out import AssetOut # noqa: PLC0415
        d = dict(src_dict)
        best_id = d.pop("best_id")

        assets = []
        _assets = d.pop("assets")
        for assets_item_data in (_assets):
            assets_item = AssetOut.from_dict(assets_item_data)



            assets.append(assets_item)


        duplicate_group = cls(
            best_id=best_id,
            assets=assets,
        )


        duplicate_group.additional_properties = d
        return duplicate_group

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
