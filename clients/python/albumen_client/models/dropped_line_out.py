from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="DroppedLineOut")



@_attrs_define
class DroppedLineOut:
    """ 
        Attributes:
            text (str): one line of text
            confidence (float): how sure the reader was (0..1)
            box (list[list[float]]): four corners, relative to the image (0..1)
            reason (str): why it does not count as text (too small, unsure, symbols only, repeated character, ...)
     """

    text: str
    confidence: float
    box: list[list[float]]
    reason: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        text = self.text

        confidence = self.confidence

        box = []
        for box_item_data in self.box:
            box_item = box_item_data


            box.append(box_item)



        reason = self.reason


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "text": text,
            "confidence": confidence,
            "box": box,
            "reason": reason,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        text = d.pop("text")

        confidence = d.pop("confidence")

        box = []
        _box = d.pop("box")
        for box_item_data in (_box):
            box_item = cast(list[float], box_item_data)

            box.append(box_item)


        reason = d.pop("reason")

        dropped_line_out = cls(
            text=text,
            confidence=confidence,
            box=box,
            reason=reason,
        )


        dropped_line_out.additional_properties = d
        return dropped_line_out

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
