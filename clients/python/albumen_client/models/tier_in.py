from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.tier_in_tier import TierInTier
from typing import cast






T = TypeVar("T", bound="TierIn")



@_attrs_define
class TierIn:
    """ 
        Attributes:
            asset_ids (list[int]):
            tier (TierInTier):
     """

    asset_ids: list[int]
    tier: TierInTier
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        asset_ids = self.asset_ids



        tier = self.tier.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "asset_ids": asset_ids,
            "tier": tier,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        asset_ids = cast(list[int], d.pop("asset_ids"))


        tier = TierInTier(d.pop("tier"))




        tier_in = cls(
            asset_ids=asset_ids,
            tier=tier,
        )


        tier_in.additional_properties = d
        return tier_in

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
