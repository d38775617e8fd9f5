from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="EventPatch")



@_attrs_define
class EventPatch:
    """ 
        Attributes:
            title (None | str | Unset):
            description (None | str | Unset):
            starts_at (datetime.datetime | None | Unset):
            ends_at (datetime.datetime | None | Unset):
            timezone (None | str | Unset):
            location (None | str | Unset):
            cover_asset_id (int | None | Unset):
            review_required (bool | None | Unset):
            selfie_search (bool | None | Unset):
            guest_comments (bool | None | Unset):
            archived (bool | None | Unset):
     """

    title: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    starts_at: datetime.datetime | None | Unset = UNSET
    ends_at: datetime.datetime | None | Unset = UNSET
    timezone: None | str | Unset = UNSET
    location: None | str | Unset = UNSET
    cover_asset_id: int | None | Unset = UNSET
    review_required: bool | None | Unset = UNSET
    selfie_search: bool | None | Unset = UNSET
    guest_comments: bool | None | Unset = UNSET
    archived: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        title: None | str | Unset
        if isinstance(self.title, Unset):
            title = UNSET
        else:
            title = self.title

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        starts_at: None | str | Unset
        if isinstance(self.starts_at, Unset):
            starts_at = UNSET
        elif isinstance(self.starts_at, datetime.datetime):
            starts_at = self.starts_at.isoformat()
        else:
            starts_at = self.starts_at

        ends_at: None | str | Unset
        if isinstance(self.ends_at, Unset):
            ends_at = UNSET
        elif isinstance(self.ends_at, datetime.datetime):
            ends_at = self.ends_at.isoformat()
        else:
            ends_at = self.ends_at

        timezone: None | str | Unset
        if isinstance(self.timezone, Unset):
            timezone = UNSET
        else:
            timezone = self.timezone

        location: None | str | Unset
        if isinstance(self.location, Unset):
            location = UNSET
        else:
            location = self.location

        cover_asset_id: int | None | Unset
        if isinstance(self.cover_asset_id, Unset):
            cover_asset_id = UNSET
        else:
            cover_asset_id = self.cover_asset_id

        review_required: bool | None | Unset
        if isinstance(self.review_required, Unset):
            review_required = UNSET
        else:
            review_required = self.review_required

        selfie_search: bool | None | Unset
        if isinstance(self.selfie_search, Unset):
            selfie_search = UNSET
        else:
            selfie_search = self.selfie_search

        guest_comments: bool | None | Unset
        if isinstance(self.guest_comments, Unset):
            guest_comments = UNSET
        else:
            guest_comments = self.guest_comments

        archived: bool | None | Unset
        if isinstance(self.archived, Unset):
            archived = UNSET
        else:
            archived = self.archived


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if title is not UNSET:
            field_dict["title"] = title
        if description is not UNSET:
            field_dict["description"] = description
        if starts_at is not UNSET:
            field_dict["starts_at"] = starts_at
        if ends_at is not UNSET:
            field_dict["ends_at"] = ends_at
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if location is not UNSET:
            field_dict["location"] = location
        if cover_asset_id is not UNSET:
            field_dict["cover_asset_id"] = cover_asset_id
        if review_required is not UNSET:
            field_dict["review_required"] = review_required
        if selfie_search is not UNSET:
            field_dict["selfie_search"] = selfie_search
        if guest_comments is not UNSET:
            field_dict["guest_comments"] = guest_comments
        if archived is not UNSET:
            field_dict["archived"] = archived

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_title(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        title = _parse_title(d.pop("title", UNSET))


        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))


        def _parse_starts_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                starts_at_type_0 = datetime.datetime.fromisoformat(data)



                return starts_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        starts_at = _parse_starts_at(d.pop("starts_at", UNSET))


        def _parse_ends_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ends_at_type_0 = datetime.datetime.fromisoformat(data)



                return ends_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        ends_at = _parse_ends_at(d.pop("ends_at", UNSET))


        def _parse_timezone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        timezone = _parse_timezone(d.pop("timezone", UNSET))


        def _parse_location(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        location = _parse_location(d.pop("location", UNSET))


        def _parse_cover_asset_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        cover_asset_id = _parse_cover_asset_id(d.pop("cover_asset_id", UNSET))


        def _parse_review_required(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        review_required = _parse_review_required(d.pop("review_required", UNSET))


        def _parse_selfie_search(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        selfie_search = _parse_selfie_search(d.pop("selfie_search", UNSET))


        def _parse_guest_comments(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        guest_comments = _parse_guest_comments(d.pop("guest_comments", UNSET))


        def _parse_archived(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        archived = _parse_archived(d.pop("archived", UNSET))


        event_patch = cls(
            title=title,
            description=description,
            starts_at=starts_at,
            ends_at=ends_at,
            timezone=timezone,
            location=location,
            cover_asset_id=cover_asset_id,
            review_required=review_required,
            selfie_search=selfie_search,
            guest_comments=guest_comments,
            archived=archived,
        )


        event_patch.additional_properties = d
        return event_patch

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
