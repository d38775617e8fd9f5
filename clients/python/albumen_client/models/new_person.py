from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="NewPerson")



@_attrs_define
class NewPerson:
    """ 
        Attributes:
            name (str):
            face_ids (list[int]):
            merge (bool | None | Unset): when another of your people already has this name (case, spacing and Unicode forms
                aside): true: they are the same person, merge; false: another person of that name; left out: 409 `same_name`
                naming that person (the faces join them: 200 with that person instead of 201)
     """

    name: str
    face_ids: list[int]
    merge: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        face_ids = self.face_ids



        merge: bool | None | Unset
        if isinstance(self.merge, Unset):
            merge = UNSET
        else:
            merge = self.merge


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "name": name,
            "face_ids": face_ids,
        })
        if merge is not UNSET:
            field_dict["merge"] = merge

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        face_ids = cast(list[int], d.pop("face_ids"))


        def _parse_merge(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        merge = _parse_merge(d.pop("merge", UNSET))


        new_person = cls(
            name=name,
            face_ids=face_ids,
            merge=merge,
        )


        new_person.additional_properties = d
        return new_person

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
