from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="AssetLinks")



@_attrs_define
class AssetLinks:
    """ 
        Attributes:
            original (str): the original bytes, untouched (supports Range)
            thumbnail (str): WebP thumbnail, short side 250 px
            preview (str): JPEG preview, short side 1440 px
            text (str): the whole text found in the asset, with each line's box
            playback (None | str | Unset): a video as browsers play it: its web copy, or the original when browsers play
                that (Range)
            strip (None | str | Unset): a video's scrub strip: frames spread over it side by side in one WebP
                (video.strip_frames)
            motion (None | str | Unset): a Live Photo's or motion photo's clip as browsers play it
     """

    original: str
    thumbnail: str
    preview: str
    text: str
    playback: None | str | Unset = UNSET
    strip: None | str | Unset = UNSET
    motion: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        original = self.original

        thumbnail = self.thumbnail

        preview = self.preview

        text = self.text

        playback: None | str | Unset
        if isinstance(self.playback, Unset):
            playback = UNSET
        else:
            playback = self.playback

        strip: None | str | Unset
        if isinstance(self.strip, Unset):
            strip = UNSET
        else:
            strip = self.strip

        motion: None | str | Unset
        if isinstance(self.motion, Unset):
            motion = UNSET
        else:
            motion = self.motion


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "original": original,
            "thumbnail": thumbnail,
            "preview": preview,
            "text": text,
        })
        if playback is not UNSET:
            field_dict["playback"] = playback
        if strip is not UNSET:
            field_dict["strip"] = strip
        if motion is not UNSET:
            field_dict["motion"] = motion

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        original = d.pop("original")

        thumbnail = d.pop("thumbnail")

        preview = d.pop("preview")

        text = d.pop("text")

        def _parse_playback(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        playback = _parse_playback(d.pop("playback", UNSET))


        def _parse_strip(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        strip = _parse_strip(d.pop("strip", UNSET))


        def _parse_motion(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        motion = _parse_motion(d.pop("motion", UNSET))


        asset_links = cls(
            original=original,
            thumbnail=thumbnail,
            preview=preview,
            text=text,
            playback=playback,
            strip=strip,
            motion=motion,
        )


        asset_links.additional_properties = d
        return asset_links

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
