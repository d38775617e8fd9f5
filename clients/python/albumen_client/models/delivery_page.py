from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.delivery_out import DeliveryOut





T = TypeVar("T", bound="DeliveryPage")



@_attrs_define
class DeliveryPage:
    """ 
        Attributes:
            items (list[DeliveryOut]):
            next_before_id (int | None): pass as before_id for older ones
     """

    items: list[DeliveryOut]
    next_before_id: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.delivery_out import DeliveryOut # noqa: PLC0415
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)



        next_before_id: int | None
        next_before_id = self.next_before_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "items": items,
            "next_before_id": next_before_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delivery_out import DeliveryOut # noqa: PLC0415
        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in (_items):
            items_item = DeliveryOut.from_dict(items_item_data)



            items.append(items_item)


        def _parse_next_before_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        next_before_id = _parse_next_before_id(d.pop("next_before_id"))


        delivery_page = cls(
            items=items,
            next_before_id=next_before_id,
        )


        delivery_page.additional_properties = d
        return delivery_page

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
