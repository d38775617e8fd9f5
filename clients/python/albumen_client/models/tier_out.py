from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.tier_out_tier import TierOutTier
from typing import cast

if TYPE_CHECKING:
  from ..models.refusal import Refusal





T = TypeVar("T", bound="TierOut")



@_attrs_define
class TierOut:
    """ 
        Attributes:
            tier (TierOutTier):
            changed (list[int]): moved to the tier
            unchanged (list[int]): already in it
            refused (list[Refusal]): left where they were, each with the reason
     """

    tier: TierOutTier
    changed: list[int]
    unchanged: list[int]
    refused: list[Refusal]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.refusal import Refusal # noqa: PLC0415
        tier = self.tier.value

        changed = self.changed



        unchanged = self.unchanged



        refused = []
        for refused_item_data in self.refused:
            refused_item = refused_item_data.to_dict()
            refused.append(refused_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "tier": tier,
            "changed": changed,
            "unchanged": unchanged,
            "refused": refused,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.refusal import Refusal # noqa: PLC0415
        d = dict(src_dict)
        tier = TierOutTier(d.pop("tier"))




        changed = cast(list[int], d.pop("changed"))


        unchanged = cast(list[int], d.pop("unchanged"))


        refused = []
        _refused = d.pop("refused")
        for refused_item_data in (_refused):
            refused_item = Refusal.from_dict(refused_item_data)



            refused.append(refused_item)


        tier_out = cls(
            tier=tier,
            changed=changed,
            unchanged=unchanged,
            refused=refused,
        )


        tier_out.additional_properties = d
        return tier_out

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
