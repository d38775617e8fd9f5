from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.face_out_box import FaceOutBox





T = TypeVar("T", bound="FaceOut")



@_attrs_define
class FaceOut:
    """ 
        Attributes:
            id (int):
            asset_id (int):
            person_id (int | None):
            assigned_by (None | str):
            box (FaceOutBox):
            confidence (float | None):
            size_px (int | None):
            crop (str):
     """

    id: int
    asset_id: int
    person_id: int | None
    assigned_by: None | str
    box: FaceOutBox
    confidence: float | None
    size_px: int | None
    crop: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.face_out_box import FaceOutBox # noqa: PLC0415
        id = self.id

        asset_id = self.asset_id

        person_id: int | None
        person_id = self.person_id

        assigned_by: None | str
        assigned_by = self.assigned_by

        box = self.box.to_dict()

        confidence: float | None
        confidence = self.confidence

        size_px: int | None
        size_px = self.size_px

        crop = self.crop


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "asset_id": asset_id,
            "person_id": person_id,
            "assigned_by": assigned_by,
            "box": box,
            "confidence": confidence,
            "size_px": size_px,
            "crop": crop,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.face_out_box import FaceOutBox # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        asset_id = d.pop("asset_id")

        def _parse_person_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        person_id = _parse_person_id(d.pop("person_id"))


        def _parse_assigned_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        assigned_by = _parse_assigned_by(d.pop("assigned_by"))


        box = FaceOutBox.from_dict(d.pop("box"))




        def _parse_confidence(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        confidence = _parse_confidence(d.pop("confidence"))


        def _parse_size_px(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        size_px = _parse_size_px(d.pop("size_px"))


        crop = d.pop("crop")

        face_out = cls(
            id=id,
            asset_id=asset_id,
            person_id=person_id,
            assigned_by=assigned_by,
            box=box,
            confidence=confidence,
            size_px=size_px,
            crop=crop,
        )


        face_out.additional_properties = d
        return face_out

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
