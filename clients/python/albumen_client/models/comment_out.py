from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="CommentOut")



@_attrs_define
class CommentOut:
    """ 
        Attributes:
            id (int):
            asset_id (int):
            author (None | str):
            text (str):
            sentiment (float | None): VADER compound score, -1 .. +1
            by_guest (bool):
            created_at (datetime.datetime):
     """

    id: int
    asset_id: int
    author: None | str
    text: str
    sentiment: float | None
    by_guest: bool
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        asset_id = self.asset_id

        author: None | str
        author = self.author

        text = self.text

        sentiment: float | None
        sentiment = self.sentiment

        by_guest = self.by_guest

        created_at = self.created_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "asset_id": asset_id,
            "author": author,
            "text": text,
            "sentiment": sentiment,
            "by_guest": by_guest,
            "created_at": created_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        asset_id = d.pop("asset_id")

        def _parse_author(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        author = _parse_author(d.pop("author"))


        text = d.pop("text")

        def _parse_sentiment(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        sentiment = _parse_sentiment(d.pop("sentiment"))


        by_guest = d.pop("by_guest")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        comment_out = cls(
            id=id,
            asset_id=asset_id,
            author=author,
            text=text,
            sentiment=sentiment,
            by_guest=by_guest,
            created_at=created_at,
        )


        comment_out.additional_properties = d
        return comment_out

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
