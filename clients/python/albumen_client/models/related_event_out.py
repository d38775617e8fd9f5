from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="RelatedEventOut")



@_attrs_define
class RelatedEventOut:
    """ 
        Attributes:
            event_id (int):
            title (str):
            score (float):
            reasons (list[str]):
     """

    event_id: int
    title: str
    score: float
    reasons: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        event_id = self.event_id

        title = self.title

        score = self.score

        reasons = self.reasons




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "event_id": event_id,
            "title": title,
            "score": score,
            "reasons": reasons,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event_id = d.pop("event_id")

        title = d.pop("title")

        score = d.pop("score")

        reasons = cast(list[str], d.pop("reasons"))


        related_event_out = cls(
            event_id=event_id,
            title=title,
            score=score,
            reasons=reasons,
        )


        related_event_out.additional_properties = d
        return related_event_out

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
