from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ApiKeyIn")



@_attrs_define
class ApiKeyIn:
    """ 
        Attributes:
            name (str):
            scopes (list[str] | Unset):
            expires_days (int | None | Unset):
     """

    name: str
    scopes: list[str] | Unset = UNSET
    expires_days: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        scopes: list[str] | Unset = UNSET
        if not isinstance(self.scopes, Unset):
            scopes = self.scopes



        expires_days: int | None | Unset
        if isinstance(self.expires_days, Unset):
            expires_days = UNSET
        else:
            expires_days = self.expires_days


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "name": name,
        })
        if scopes is not UNSET:
            field_dict["scopes"] = scopes
        if expires_days is not UNSET:
            field_dict["expires_days"] = expires_days

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        scopes = cast(list[str], d.pop("scopes", UNSET))


        def _parse_expires_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        expires_days = _parse_expires_days(d.pop("expires_days", UNSET))


        api_key_in = cls(
            name=name,
            scopes=scopes,
            expires_days=expires_days,
        )


        api_key_in.additional_properties = d
        return api_key_in

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
