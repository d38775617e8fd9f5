from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="PersonPatch")



@_attrs_define
class PersonPatch:
    """ 
        Attributes:
            name (None | str | Unset): empty or null: unnamed
            birth_date (datetime.date | None | Unset):
            hidden (bool | None | Unset):
            cover_face_id (int | None | Unset):
            merge (bool | None | Unset): when another of your people already has this name (case, spacing and Unicode forms
                aside): true: they are the same person, merge; false: another person of that name; left out: 409 `same_name`
                naming that person (this person's faces join them; the answer is that person)
     """

    name: None | str | Unset = UNSET
    birth_date: datetime.date | None | Unset = UNSET
    hidden: bool | None | Unset = UNSET
    cover_face_id: int | None | Unset = UNSET
    merge: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        birth_date: None | str | Unset
        if isinstance(self.birth_date, Unset):
            birth_date = UNSET
        elif isinstance(self.birth_date, datetime.date):
            birth_date = self.birth_date.isoformat()
        else:
            birth_date = self.birth_date

        hidden: bool | None | Unset
        if isinstance(self.hidden, Unset):
            hidden = UNSET
        else:
            hidden = self.hidden

        cover_face_id: int | None | Unset
        if isinstance(self.cover_face_id, Unset):
            cover_face_id = UNSET
        else:
            cover_face_id = self.cover_face_id

        merge: bool | None | Unset
        if isinstance(self.merge, Unset):
            merge = UNSET
        else:
            merge = self.merge


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if name is not UNSET:
            field_dict["name"] = name
        if birth_date is not UNSET:
            field_dict["birth_date"] = birth_date
        if hidden is not UNSET:
            field_dict["hidden"] = hidden
        if cover_face_id is not UNSET:
            field_dict["cover_face_id"] = cover_face_id
        if merge is not UNSET:
            field_dict["merge"] = merge

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        def _parse_birth_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                birth_date_type_0 = datetime.date.fromisoformat(data)



                return birth_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        birth_date = _parse_birth_date(d.pop("birth_date", UNSET))


        def _parse_hidden(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        hidden = _parse_hidden(d.pop("hidden", UNSET))


        def _parse_cover_face_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        cover_face_id = _parse_cover_face_id(d.pop("cover_face_id", UNSET))


        def _parse_merge(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        merge = _parse_merge(d.pop("merge", UNSET))


        person_patch = cls(
            name=name,
            birth_date=birth_date,
            hidden=hidden,
            cover_face_id=cover_face_id,
            merge=merge,
        )


        person_patch.additional_properties = d
        return person_patch

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
