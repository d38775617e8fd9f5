from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="TrainingOut")



@_attrs_define
class TrainingOut:
    """ 
        Attributes:
            actors (int): users and guests with engagement
            photos (int): photos with engagement
            interactions (int):
            trained_at (datetime.datetime):
     """

    actors: int
    photos: int
    interactions: int
    trained_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        actors = self.actors

        photos = self.photos

        interactions = self.interactions

        trained_at = self.trained_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "actors": actors,
            "photos": photos,
            "interactions": interactions,
            "trained_at": trained_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        actors = d.pop("actors")

        photos = d.pop("photos")

        interactions = d.pop("interactions")

        trained_at = datetime.datetime.fromisoformat(d.pop("trained_at"))




        training_out = cls(
            actors=actors,
            photos=photos,
            interactions=interactions,
            trained_at=trained_at,
        )


        training_out.additional_properties = d
        return training_out

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
