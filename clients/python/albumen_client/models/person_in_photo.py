from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="PersonInPhoto")



@_attrs_define
class PersonInPhoto:
    """ 
        Attributes:
            face_id (int): the face (GET /api/v1/faces/{face_id}/crop shows it)
            person_id (int | None): who it is; null for a face not (yet) recognised, and for faces in another user's library
            name (None | str): the person's name, when they have one
            box (list[float]): x, y, width, height of the face, relative to the upright image (0..1)
            confidence (float | None): detector confidence (0..1)
     """

    face_id: int
    person_id: int | None
    name: None | str
    box: list[float]
    confidence: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        face_id = self.face_id

        person_id: int | None
        person_id = self.person_id

        name: None | str
        name = self.name

        box = self.box



        confidence: float | None
        confidence = self.confidence


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "face_id": face_id,
            "person_id": person_id,
            "name": name,
            "box": box,
            "confidence": confidence,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        face_id = d.pop("face_id")

        def _parse_person_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        person_id = _parse_person_id(d.pop("person_id"))


        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))


        box = cast(list[float], d.pop("box"))


        def _parse_confidence(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        confidence = _parse_confidence(d.pop("confidence"))


        person_in_photo = cls(
            face_id=face_id,
            person_id=person_id,
            name=name,
            box=box,
            confidence=confidence,
        )


        person_in_photo.additional_properties = d
        return person_in_photo

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
