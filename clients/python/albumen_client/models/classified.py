from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.keyword_out import KeywordOut





T = TypeVar("T", bound="Classified")



@_attrs_define
class Classified:
    """ 
        Attributes:
            language (None | str): ISO 639-1 code
            keywords (list[KeywordOut]):
            summary (None | str): the most central sentences, in order
            category (None | str): a rule's category, else the classifier's prediction (null: no rule matched and no
                classifier yet)
            category_confidence (float | None):
            category_source (None | str): rule or model
            category_suggested (bool): an unsure prediction: a suggestion only
            text_chars (int): characters of text read from what was sent
     """

    language: None | str
    keywords: list[KeywordOut]
    summary: None | str
    category: None | str
    category_confidence: float | None
    category_source: None | str
    category_suggested: bool
    text_chars: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.keyword_out import KeywordOut # noqa: PLC0415
        language: None | str
        language = self.language

        keywords = []
        for keywords_item_data in self.keywords:
            keywords_item = keywords_item_data.to_dict()
            keywords.append(keywords_item)



        summary: None | str
        summary = self.summary

        category: None | str
        category = self.category

        category_confidence: float | None
        category_confidence = self.category_confidence

        category_source: None | str
        category_source = self.category_source

        category_suggested = self.category_suggested

        text_chars = self.text_chars


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "language": language,
            "keywords": keywords,
            "summary": summary,
            "category": category,
            "category_confidence": category_confidence,
            "category_source": category_source,
            "category_suggested": category_suggested,
            "text_chars": text_chars,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.keyword_out import KeywordOut # noqa: PLC0415
        d = dict(src_dict)
        def _parse_language(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        language = _parse_language(d.pop("language"))


        keywords = []
        _keywords = d.pop("keywords")
        for keywords_item_data in (_keywords):
            keywords_item = KeywordOut.from_dict(keywords_item_data)



            keywords.append(keywords_item)


        def _parse_summary(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        summary = _parse_summary(d.pop("summary"))


        def _parse_category(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        category = _parse_category(d.pop("category"))


        def _parse_category_confidence(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        category_confidence = _parse_category_confidence(d.pop("category_confidence"))


        def _parse_category_source(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        category_source = _parse_category_source(d.pop("category_source"))


        category_suggested = d.pop("category_suggested")

        text_chars = d.pop("text_chars")

        classified = cls(
            language=language,
            keywords=keywords,
            summary=summary,
            category=category,
            category_confidence=category_confidence,
            category_source=category_source,
            category_suggested=category_suggested,
            text_chars=text_chars,
        )


        classified.additional_properties = d
        return classified

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
