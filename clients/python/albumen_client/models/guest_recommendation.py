from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.guest_recommendation_source import GuestRecommendationSource
from typing import cast

if TYPE_CHECKING:
  from ..models.guest_asset import GuestAsset





T = TypeVar("T", bound="GuestRecommendation")



@_attrs_define
class GuestRecommendation:
    """ 
        Attributes:
            asset (GuestAsset):
            reason (str): why: "because you liked photos with Anna"
            source (GuestRecommendationSource):
     """

    asset: GuestAsset
    reason: str
    source: GuestRecommendationSource
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.guest_asset import GuestAsset # noqa: PLC0415
        asset = self.asset.to_dict()

        reason = self.reason

        source = self.source.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "asset": asset,
            "reason": reason,
            "source": source,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.guest_asset import GuestAsset # noqa: PLC0415
        d = dict(src_dict)
        asset = GuestAsset.from_dict(d.pop("asset"))




        reason = d.pop("reason")

        source = GuestRecommendationSource(d.pop("source"))




        guest_recommendation = cls(
            asset=asset,
            reason=reason,
            source=source,
        )


        guest_recommendation.additional_properties = d
        return guest_recommendation

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
