from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="GridItem")



@_attrs_define
class GridItem:
    """ What a grid cell needs; the whole asset is at /api/v1/assets/{id}.

        Attributes:
            id (int):
            media_type (str):
            width (int | None):
            height (int | None):
            thumbhash (None | str):
            taken_at (datetime.datetime | None):
            local_date (str): local capture date (YYYY-MM-DD) for headers
            favorite (bool):
            rating (int | None):
            stack_id (int | None):
            state (str):
            moderation (str):
            pages (int | None | Unset): a document's page count
            score (float | None | Unset):
     """

    id: int
    media_type: str
    width: int | None
    height: int | None
    thumbhash: None | str
    taken_at: datetime.datetime | None
    local_date: str
    favorite: bool
    rating: int | None
    stack_id: int | None
    state: str
    moderation: str
    pages: int | None | Unset = UNSET
    score: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        media_type = self.media_type

        width: int | None
        width = self.width

        height: int | None
        height = self.height

        thumbhash: None | str
        thumbhash = self.thumbhash

        taken_at: None | str
        if isinstance(self.taken_at, datetime.datetime):
            taken_at = self.taken_at.isoformat()
        else:
            taken_at = self.taken_at

        local_date = self.local_date

        favorite = self.favorite

        rating: int | None
        rating = self.rating

        stack_id: int | None
        stack_id = self.stack_id

        state = self.state

        moderation = self.moderation

        pages: int | None | Unset
        if isinstance(self.pages, Unset):
            pages = UNSET
        else:
            pages = self.pages

        score: float | None | Unset
        if isinstance(self.score, Unset):
            score = UNSET
        else:
            score = self.score


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "media_type": media_type,
            "width": width,
            "height": height,
            "thumbhash": thumbhash,
            "taken_at": taken_at,
            "local_date": local_date,
            "favorite": favorite,
            "rating": rating,
            "stack_id": stack_id,
            "state": state,
            "moderation": moderation,
        })
        if pages is not UNSET:
            field_dict["pages"] = pages
        if score is not UNSET:
            field_dict["score"] = score

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        media_type = d.pop("media_type")

        def _parse_width(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        width = _parse_width(d.pop("width"))


        def _parse_height(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        height = _parse_height(d.pop("height"))


        def _parse_thumbhash(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        thumbhash = _parse_thumbhash(d.pop("thumbhash"))


        def _parse_taken_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                taken_at_type_0 = datetime.datetime.fromisoformat(data)



                return taken_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        taken_at = _parse_taken_at(d.pop("taken_at"))


        local_date = d.pop("local_date")

        favorite = d.pop("favorite")

        def _parse_rating(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        rating = _parse_rating(d.pop("rating"))


        def _parse_stack_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        stack_id = _parse_stack_id(d.pop("stack_id"))


        state = d.pop("state")

        moderation = d.pop("moderation")

        def _parse_pages(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        pages = _parse_pages(d.pop("pages", UNSET))


        def _parse_score(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        score = _parse_score(d.pop("score", UNSET))


        grid_item = cls(
            id=id,
            media_type=media_type,
            width=width,
            height=height,
            thumbhash=thumbhash,
            taken_at=taken_at,
            local_date=local_date,
            favorite=favorite,
            rating=rating,
            stack_id=stack_id,
            state=state,
            moderation=moderation,
            pages=pages,
            score=score,
        )


        grid_item.additional_properties = d
        return grid_item

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
