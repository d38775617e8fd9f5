from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.web_copy_out import WebCopyOut





T = TypeVar("T", bound="VideoOut")



@_attrs_define
class VideoOut:
    """ What a video is, as read from its container.

        Attributes:
            duration (float | None): seconds
            container (str): mp4 (MP4, MOV, 3GP), matroska (MKV, WebM), avi or mpegts (TS, MTS, M2TS)
            video_codec (str): h264, hevc, av1, vp9, ...
            profile (None | str): the codec's profile
            fps (float | None): frames a second (the average when variable)
            frames (int | None): frames, as the container says or estimated
            variable_frame_rate (bool): frames come at uneven intervals
            rotation (int): degrees the picture is turned counter-clockwise to display (width and height are as displayed)
            bit_rate (int | None): bits a second, all streams
            audio_codec (None | str): aac, opus, ... (null: no sound)
            audio_channels (int | None): sound channels
            audio_sample_rate (int | None): samples a second
            browser_playable (bool): browsers play the original as it is
            poster_time (float | None): second of the frame shown as its picture
            strip_frames (int | None): frames in the scrub strip
            web_copy (None | WebCopyOut): the copy made for browsers (H.264/AAC MP4, or AV1), when one was made
     """

    duration: float | None
    container: str
    video_codec: str
    profile: None | str
    fps: float | None
    frames: int | None
    variable_frame_rate: bool
    rotation: int
    bit_rate: int | None
    audio_codec: None | str
    audio_channels: int | None
    audio_sample_rate: int | None
    browser_playable: bool
    poster_time: float | None
    strip_frames: int | None
    web_copy: None | WebCopyOut
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.web_copy_out import WebCopyOut # noqa: PLC0415
        duration: float | None
        duration = self.duration

        container = self.container

        video_codec = self.video_codec

        profile: None | str
        profile = self.profile

        fps: float | None
        fps = self.fps

        frames: int | None
        frames = self.frames

        variable_frame_rate = self.variable_frame_rate

        rotation = self.rotation

        bit_rate: int | None
        bit_rate = self.bit_rate

        audio_codec: None | str
        audio_codec = self.audio_codec

        audio_channels: int | None
        audio_channels = self.audio_channels

        audio_sample_rate: int | None
        audio_sample_rate = self.audio_sample_rate

        browser_playable = self.browser_playable

        poster_time: float | None
        poster_time = self.poster_time

        strip_frames: int | None
        strip_frames = self.strip_frames

        web_copy: dict[str, Any] | None
        if isinstance(self.web_copy, WebCopyOut):
            web_copy = self.web_copy.to_dict()
        else:
            web_copy = self.web_copy


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "duration": duration,
            "container": container,
            "video_codec": video_codec,
            "profile": profile,
            "fps": fps,
            "frames": frames,
            "variable_frame_rate": variable_frame_rate,
            "rotation": rotation,
            "bit_rate": bit_rate,
            "audio_codec": audio_codec,
            "audio_channels": audio_channels,
            "audio_sample_rate": audio_sample_rate,
            "browser_playable": browser_playable,
            "poster_time": poster_time,
            "strip_frames": strip_frames,
            "web_copy": web_copy,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.web_copy_out import WebCopyOut # noqa: PLC0415
        d = dict(src_dict)
        def _parse_duration(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        duration = _parse_duration(d.pop("duration"))


        container = d.pop("container")

        video_codec = d.pop("video_codec")

        def _parse_profile(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        profile = _parse_profile(d.pop("profile"))


        def _parse_fps(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        fps = _parse_fps(d.pop("fps"))


        def _parse_frames(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        frames = _parse_frames(d.pop("frames"))


        variable_frame_rate = d.pop("variable_frame_rate")

        rotation = d.pop("rotation")

        def _parse_bit_rate(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        bit_rate = _parse_bit_rate(d.pop("bit_rate"))


        def _parse_audio_codec(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        audio_codec = _parse_audio_codec(d.pop("audio_codec"))


        def _parse_audio_channels(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        audio_channels = _parse_audio_channels(d.pop("audio_channels"))


        def _parse_audio_sample_rate(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        audio_sample_rate = _parse_audio_sample_rate(d.pop("audio_sample_rate"))


        browser_playable = d.pop("browser_playable")

        def _parse_poster_time(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        poster_time = _parse_poster_time(d.pop("poster_time"))


        def _parse_strip_frames(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        strip_frames = _parse_strip_frames(d.pop("strip_frames"))


        def _parse_web_copy(data: object) -> None | WebCopyOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                web_copy_type_0 = WebCopyOut.from_dict(data)



                return web_copy_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | WebCopyOut, data)

        web_copy = _parse_web_copy(d.pop("web_copy"))


        video_out = cls(
            duration=duration,
            container=container,
            video_codec=video_codec,
            profile=profile,
            fps=fps,
            frames=frames,
            variable_frame_rate=variable_frame_rate,
            rotation=rotation,
            bit_rate=bit_rate,
            audio_codec=audio_codec,
            audio_channels=audio_channels,
            audio_sample_rate=audio_sample_rate,
            browser_playable=browser_playable,
            poster_time=poster_time,
            strip_frames=strip_frames,
            web_copy=web_copy,
        )


        video_out.additional_properties = d
        return video_out

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
