from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="UserOut")



@_attrs_define
class UserOut:
    """ 
        Attributes:
            id (int):
            username (str):
            display_name (None | str):
            is_admin (bool):
            is_active (bool):
            quota_bytes (int | None):
            created_at (datetime.datetime):
     """

    id: int
    username: str
    display_name: None | str
    is_admin: bool
    is_active: bool
    quota_bytes: int | None
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        username = self.username

        display_name: None | str
        display_name = self.display_name

        is_admin = self.is_admin

        is_active = self.is_active

        quota_bytes: int | None
        quota_bytes = self.quota_bytes

        created_at = self.created_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "username": username,
            "display_name": display_name,
            "is_admin": is_admin,
            "is_active": is_active,
            "quota_bytes": quota_bytes,
            "created_at": created_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        username = d.pop("username")

        def _parse_display_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        display_name = _parse_display_name(d.pop("display_name"))


        is_admin = d.pop("is_admin")

        is_active = d.pop("is_active")

        def _parse_quota_bytes(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        quota_bytes = _parse_quota_bytes(d.pop("quota_bytes"))


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        user_out = cls(
            id=id,
            username=username,
            display_name=display_name,
            is_admin=is_admin,
            is_active=is_active,
            quota_bytes=quota_bytes,
            created_at=created_at,
        )


        user_out.additional_properties = d
        return user_out

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
