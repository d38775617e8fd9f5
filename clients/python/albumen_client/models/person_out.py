from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="PersonOut")



@_attrs_define
class PersonOut:
    """ 
        Attributes:
            id (int):
            name (None | str):
            birth_date (datetime.date | None):
            hidden (bool):
            face_count (int):
            asset_count (int):
            asset_ids (list[int]):
            cover_face_id (int | None):
            cover (None | str):
     """

    id: int
    name: None | str
    birth_date: datetime.date | None
    hidden: bool
    face_count: int
    asset_count: int
    asset_ids: list[int]
    cover_face_id: int | None
    cover: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name: None | str
        name = self.name

        birth_date: None | str
        if isinstance(self.birth_date, datetime.date):
            birth_date = self.birth_date.isoformat()
        else:
            birth_date = self.birth_date

        hidden = self.hidden

        face_count = self.face_count

        asset_count = self.asset_count

        asset_ids = self.asset_ids



        cover_face_id: int | None
        cover_face_id = self.cover_face_id

        cover: None | str
        cover = self.cover


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "name": name,
            "birth_date": birth_date,
            "hidden": hidden,
            "face_count": face_count,
            "asset_count": asset_count,
            "asset_ids": asset_ids,
            "cover_face_id": cover_face_id,
            "cover": cover,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))


        def _parse_birth_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                birth_date_type_0 = datetime.date.fromisoformat(data)



                return birth_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        birth_date = _parse_birth_date(d.pop("birth_date"))


        hidden = d.pop("hidden")

        face_count = d.pop("face_count")

        asset_count = d.pop("asset_count")

        asset_ids = cast(list[int], d.pop("asset_ids"))


        def _parse_cover_face_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        cover_face_id = _parse_cover_face_id(d.pop("cover_face_id"))


        def _parse_cover(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        cover = _parse_cover(d.pop("cover"))


        person_out = cls(
            id=id,
            name=name,
            birth_date=birth_date,
            hidden=hidden,
            face_count=face_count,
            asset_count=asset_count,
            asset_ids=asset_ids,
            cover_face_id=cover_face_id,
            cover=cover,
        )


        person_out.additional_properties = d
        return person_out

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
