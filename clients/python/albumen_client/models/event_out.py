from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.event_out_counts import EventOutCounts





T = TypeVar("T", bound="EventOut")



@_attrs_define
class EventOut:
    """ 
        Attributes:
            id (int):
            title (str):
            description (None | str):
            starts_at (datetime.datetime | None):
            ends_at (datetime.datetime | None):
            timezone (None | str):
            location (None | str):
            cover_asset_id (int | None):
            review_required (bool):
            selfie_search (bool):
            guest_comments (bool):
            archived_at (datetime.datetime | None):
            created_at (datetime.datetime):
            role (str):
            counts (EventOutCounts):
     """

    id: int
    title: str
    description: None | str
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    timezone: None | str
    location: None | str
    cover_asset_id: int | None
    review_required: bool
    selfie_search: bool
    guest_comments: bool
    archived_at: datetime.datetime | None
    created_at: datetime.datetime
    role: str
    counts: EventOutCounts
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.event_out_counts import EventOutCounts # noqa: PLC0415
        id = self.id

        title = self.title

        description: None | str
        description = self.description

        starts_at: None | str
        if isinstance(self.starts_at, datetime.datetime):
            starts_at = self.starts_at.isoformat()
        else:
            starts_at = self.starts_at

        ends_at: None | str
        if isinstance(self.ends_at, datetime.datetime):
            ends_at = self.ends_at.isoformat()
        else:
            ends_at = self.ends_at

        timezone: None | str
        timezone = self.timezone

        location: None | str
        location = self.location

        cover_asset_id: int | None
        cover_asset_id = self.cover_asset_id

        review_required = self.review_required

        selfie_search = self.selfie_search

        guest_comments = self.guest_comments

        archived_at: None | str
        if isinstance(self.archived_at, datetime.datetime):
            archived_at = self.archived_at.isoformat()
        else:
            archived_at = self.archived_at

        created_at = self.created_at.isoformat()

        role = self.role

        counts = self.counts.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "title": title,
            "description": description,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "timezone": timezone,
            "location": location,
            "cover_asset_id": cover_asset_id,
            "review_required": review_required,
            "selfie_search": selfie_search,
            "guest_comments": guest_comments,
            "archived_at": archived_at,
            "created_at": created_at,
            "role": role,
            "counts": counts,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_out_counts import EventOutCounts # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        title = d.pop("title")

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))


        def _parse_starts_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                starts_at_type_0 = datetime.datetime.fromisoformat(data)



                return starts_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        starts_at = _parse_starts_at(d.pop("starts_at"))


        def _parse_ends_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ends_at_type_0 = datetime.datetime.fromisoformat(data)



                return ends_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        ends_at = _parse_ends_at(d.pop("ends_at"))


        def _parse_timezone(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        timezone = _parse_timezone(d.pop("timezone"))


        def _parse_location(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        location = _parse_location(d.pop("location"))


        def _parse_cover_asset_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        cover_asset_id = _parse_cover_asset_id(d.pop("cover_asset_id"))


        review_required = d.pop("review_required")

        selfie_search = d.pop("selfie_search")

        guest_comments = d.pop("guest_comments")

        def _parse_archived_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                archived_at_type_0 = datetime.datetime.fromisoformat(data)



                return archived_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        archived_at = _parse_archived_at(d.pop("archived_at"))


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        role = d.pop("role")

        counts = EventOutCounts.from_dict(d.pop("counts"))




        event_out = cls(
            id=id,
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
            archived_at=archived_at,
            created_at=created_at,
            role=role,
            counts=counts,
        )


        event_out.additional_properties = d
        return event_out

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
