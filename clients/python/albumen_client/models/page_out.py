from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="PageOut")



@_attrs_define
class PageOut:
    """ 
        Attributes:
            page (int): the page number, from 1
            text (str): the page's text
            source (str): layer (the PDF's own text), ocr (read from the page's pixels) or none (not read yet: a scan
                waiting for OCR)
            confidence (float | None): the OCR's mean confidence (ocr pages)
            thumbnail (str): the page's thumbnail
     """

    page: int
    text: str
    source: str
    confidence: float | None
    thumbnail: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        page = self.page

        text = self.text

        source = self.source

        confidence: float | None
        confidence = self.confidence

        thumbnail = self.thumbnail


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "page": page,
            "text": text,
            "source": source,
            "confidence": confidence,
            "thumbnail": thumbnail,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        page = d.pop("page")

        text = d.pop("text")

        source = d.pop("source")

        def _parse_confidence(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        confidence = _parse_confidence(d.pop("confidence"))


        thumbnail = d.pop("thumbnail")

        page_out = cls(
            page=page,
            text=text,
            source=source,
            confidence=confidence,
            thumbnail=thumbnail,
        )


        page_out.additional_properties = d
        return page_out

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
