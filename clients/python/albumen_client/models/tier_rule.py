from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.tier_rule_tier import TierRuleTier
from typing import cast






T = TypeVar("T", bound="TierRule")



@_attrs_define
class TierRule:
    """ 
        Attributes:
            tier (TierRuleTier):
            meaning (str): what the tier says of an asset
            requires (list[str]): what an asset needs to be promoted to it
            count (int): your assets in this tier (not in the trash)
     """

    tier: TierRuleTier
    meaning: str
    requires: list[str]
    count: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        tier = self.tier.value

        meaning = self.meaning

        requires = self.requires



        count = self.count


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "tier": tier,
            "meaning": meaning,
            "requires": requires,
            "count": count,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        tier = TierRuleTier(d.pop("tier"))




        meaning = d.pop("meaning")

        requires = cast(list[str], d.pop("requires"))


        count = d.pop("count")

        tier_rule = cls(
            tier=tier,
            meaning=meaning,
            requires=requires,
            count=count,
        )


        tier_rule.additional_properties = d
        return tier_rule

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
