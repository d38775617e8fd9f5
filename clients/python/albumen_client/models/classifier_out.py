from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="ClassifierOut")



@_attrs_define
class ClassifierOut:
    """ 
        Attributes:
            labels (int): labelled documents it learned from
            categories (list[str]):
            trained_at (datetime.datetime | None):
            requested_at (datetime.datetime | None): when labels or rules last changed
            error (None | str): why there is no classifier (too few labels)
     """

    labels: int
    categories: list[str]
    trained_at: datetime.datetime | None
    requested_at: datetime.datetime | None
    error: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        labels = self.labels

        categories = self.categories



        trained_at: None | str
        if isinstance(self.trained_at, datetime.datetime):
            trained_at = self.trained_at.isoformat()
        else:
            trained_at = self.trained_at

        requested_at: None | str
        if isinstance(self.requested_at, datetime.datetime):
            requested_at = self.requested_at.isoformat()
        else:
            requested_at = self.requested_at

        error: None | str
        error = self.error


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "labels": labels,
            "categories": categories,
            "trained_at": trained_at,
            "requested_at": requested_at,
            "error": error,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        labels = d.pop("labels")

        categories = cast(list[str], d.pop("categories"))


        def _parse_trained_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                trained_at_type_0 = datetime.datetime.fromisoformat(data)



                return trained_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        trained_at = _parse_trained_at(d.pop("trained_at"))


        def _parse_requested_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                requested_at_type_0 = datetime.datetime.fromisoformat(data)



                return requested_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        requested_at = _parse_requested_at(d.pop("requested_at"))


        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))


        classifier_out = cls(
            labels=labels,
            categories=categories,
            trained_at=trained_at,
            requested_at=requested_at,
            error=error,
        )


        classifier_out.additional_properties = d
        return classifier_out

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
