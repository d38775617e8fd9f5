from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.asset_out import AssetOut





T = TypeVar("T", bound="ScoredAsset")



@_attrs_define
class ScoredAsset:
    """ 
        Attributes:
            score (float):
            asset (AssetOut): An asset as lists and search results give it (compact: no raw metadata, the first part
                of its text).
     """

    score: float
    asset: AssetOut
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.asset_out import AssetOut # noqa: PLC0415
        score = self.score

        asset = self.asset.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "score": score,
            "asset": asset,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.asset_out import AssetOut # noqa: PLC0415
        d = dict(src_dict)
        score = d.pop("score")

        asset = AssetOut.from_dict(d.pop("asset"))




        scored_asset = cls(
            score=score,
            asset=asset,
        )


        scored_asset.additional_properties = d
        return scored_asset

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
