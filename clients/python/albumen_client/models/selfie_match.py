from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.selfie_match_links import SelfieMatchLinks





T = TypeVar("T", bound="SelfieMatch")



@_attrs_define
class SelfieMatch:
    """ 
        Attributes:
            id (int):
            original_filename (str):
            width (int | None):
            height (int | None):
            taken_at (datetime.datetime | None):
            created_at (datetime.datetime):
            thumbhash (None | str):
            state (str):
            mine (bool):
            moderation (None | str): shown for your own uploads only
            links (SelfieMatchLinks):
            distance (float): face distance to the selfie; below 0.6 is the same person, lower is surer
            media_type (str | Unset): image, video or document Default: 'image'.
            duration (float | None | Unset): a video's length in seconds
     """

    id: int
    original_filename: str
    width: int | None
    height: int | None
    taken_at: datetime.datetime | None
    created_at: datetime.datetime
    thumbhash: None | str
    state: str
    mine: bool
    moderation: None | str
    links: SelfieMatchLinks
    distance: float
    media_type: str | Unset = 'image'
    duration: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.selfie_match_links import SelfieMatchLinks # noqa: PLC0415
        id = self.id

        original_filename = self.original_filename

        width: int | None
        width = self.width

        height: int | None
        height = self.height

        taken_at: None | str
        if isinstance(self.taken_at, datetime.datetime):
            taken_at = self.taken_at.isoformat()
        else:
            taken_at = self.taken_at

        created_at = self.created_at.isoformat()

        thumbhash: None | str
        thumbhash = self.thumbhash

        state = self.state

        mine = self.mine

        moderation: None | str
        moderation = self.moderation

        links = self.links.to_dict()

        distance = self.distance

        media_type = self.media_type

        duration: float | None | Unset
        if isinstance(self.duration, Unset):
            duration = UNSET
        else:
            duration = self.duration


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "original_filename": original_filename,
            "width": width,
            "height": height,
            "taken_at": taken_at,
            "created_at": created_at,
            "thumbhash": thumbhash,
            "state": state,
            "mine": mine,
            "moderation": moderation,
            "links": links,
            "distance": distance,
        })
        if media_type is not UNSET:
            field_dict["media_type"] = media_type
        if duration is not UNSET:
            field_dict["duration"] = duration

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.selfie_match_links import SelfieMatchLinks # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        original_filename = d.pop("original_filename")

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


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        def _parse_thumbhash(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        thumbhash = _parse_thumbhash(d.pop("thumbhash"))


        state = d.pop("state")

        mine = d.pop("mine")

        def _parse_moderation(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        moderation = _parse_moderation(d.pop("moderation"))


        links = SelfieMatchLinks.from_dict(d.pop("links"))




        distance = d.pop("distance")

        media_type = d.pop("media_type", UNSET)

        def _parse_duration(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        duration = _parse_duration(d.pop("duration", UNSET))


        selfie_match = cls(
            id=id,
            original_filename=original_filename,
            width=width,
            height=height,
            taken_at=taken_at,
            created_at=created_at,
            thumbhash=thumbhash,
            state=state,
            mine=mine,
            moderation=moderation,
            links=links,
            distance=distance,
            media_type=media_type,
            duration=duration,
        )


        selfie_match.additional_properties = d
        return selfie_match

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
