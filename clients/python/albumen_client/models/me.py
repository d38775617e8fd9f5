from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.user_out import UserOut





T = TypeVar("T", bound="Me")



@_attrs_define
class Me:
    """ 
        Attributes:
            user (UserOut):
            via (str):
            scopes (list[str]):
            storage_used_bytes (int):
     """

    user: UserOut
    via: str
    scopes: list[str]
    storage_used_bytes: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.user_out import UserOut # noqa: PLC0415
        user = self.user.to_dict()

        via = self.via

        scopes = self.scopes



        storage_used_bytes = self.storage_used_bytes


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "user": user,
            "via": via,
            "scopes": scopes,
            "storage_used_bytes": storage_used_bytes,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.user_out import UserOut # noqa: PLC0415
        d = dict(src_dict)
        user = UserOut.from_dict(d.pop("user"))




        via = d.pop("via")

        scopes = cast(list[str], d.pop("scopes"))


        storage_used_bytes = d.pop("storage_used_bytes")

        me = cls(
            user=user,
            via=via,
            scopes=scopes,
            storage_used_bytes=storage_used_bytes,
        )


        me.additional_properties = d
        return me

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
