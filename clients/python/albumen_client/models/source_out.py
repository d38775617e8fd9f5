from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="SourceOut")



@_attrs_define
class SourceOut:
    """ 
        Attributes:
            via (str): how these bytes arrived: upload, import, guest, ...
            original_filename (str): the file's name as it arrived
            source_path (None | str): the imported file's path (imports only)
            created_at (datetime.datetime): when it arrived
     """

    via: str
    original_filename: str
    source_path: None | str
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        via = self.via

        original_filename = self.original_filename

        source_path: None | str
        source_path = self.source_path

        created_at = self.created_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "via": via,
            "original_filename": original_filename,
            "source_path": source_path,
            "created_at": created_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        via = d.pop("via")

        original_filename = d.pop("original_filename")

        def _parse_source_path(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        source_path = _parse_source_path(d.pop("source_path"))


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        source_out = cls(
            via=via,
            original_filename=original_filename,
            source_path=source_path,
            created_at=created_at,
        )


        source_out.additional_properties = d
        return source_out

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
