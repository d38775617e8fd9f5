from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="SignIn")



@_attrs_define
class SignIn:
    """ 
        Attributes:
            asset_id (int):
            width (int | None | Unset):
            height (int | None | Unset):
            fit (str | Unset):  Default: 'inside'.
            gravity (str | Unset):  Default: 'centre'.
            dpr (float | Unset):  Default: 1.0.
            quality (int | None | Unset):
            strip (bool | Unset):  Default: True.
            blur (float | Unset):  Default: 0.0.
            rotate (int | Unset): 0, 90, 180 or 270 Default: 0.
            background (None | str | Unset):
            format_ (str | Unset):  Default: 'auto'.
            expires_in (int | None | Unset): seconds the address works
     """

    asset_id: int
    width: int | None | Unset = UNSET
    height: int | None | Unset = UNSET
    fit: str | Unset = 'inside'
    gravity: str | Unset = 'centre'
    dpr: float | Unset = 1.0
    quality: int | None | Unset = UNSET
    strip: bool | Unset = True
    blur: float | Unset = 0.0
    rotate: int | Unset = 0
    background: None | str | Unset = UNSET
    format_: str | Unset = 'auto'
    expires_in: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        asset_id = self.asset_id

        width: int | None | Unset
        if isinstance(self.width, Unset):
            width = UNSET
        else:
            width = self.width

        height: int | None | Unset
        if isinstance(self.height, Unset):
            height = UNSET
        else:
            height = self.height

        fit = self.fit

        gravity = self.gravity

        dpr = self.dpr

        quality: int | None | Unset
        if isinstance(self.quality, Unset):
            quality = UNSET
        else:
            quality = self.quality

        strip = self.strip

        blur = self.blur

        rotate = self.rotate

        background: None | str | Unset
        if isinstance(self.background, Unset):
            background = UNSET
        else:
            background = self.background

        format_ = self.format_

        expires_in: int | None | Unset
        if isinstance(self.expires_in, Unset):
            expires_in = UNSET
        else:
            expires_in = self.expires_in


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "asset_id": asset_id,
        })
        if width is not UNSET:
            field_dict["width"] = width
        if height is not UNSET:
            field_dict["height"] = height
        if fit is not UNSET:
            field_dict["fit"] = fit
        if gravity is not UNSET:
            field_dict["gravity"] = gravity
        if dpr is not UNSET:
            field_dict["dpr"] = dpr
        if quality is not UNSET:
            field_dict["quality"] = quality
        if strip is not UNSET:
            field_dict["strip"] = strip
        if blur is not UNSET:
            field_dict["blur"] = blur
        if rotate is not UNSET:
            field_dict["rotate"] = rotate
        if background is not UNSET:
            field_dict["background"] = background
        if format_ is not UNSET:
            field_dict["format"] = format_
        if expires_in is not UNSET:
            field_dict["expires_in"] = expires_in

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        asset_id = d.pop("asset_id")

        def _parse_width(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        width = _parse_width(d.pop("width", UNSET))


        def _parse_height(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        height = _parse_height(d.pop("height", UNSET))


        fit = d.pop("fit", UNSET)

        gravity = d.pop("gravity", UNSET)

        dpr = d.pop("dpr", UNSET)

        def _parse_quality(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        quality = _parse_quality(d.pop("quality", UNSET))


        strip = d.pop("strip", UNSET)

        blur = d.pop("blur", UNSET)

        rotate = d.pop("rotate", UNSET)

        def _parse_background(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        background = _parse_background(d.pop("background", UNSET))


        format_ = d.pop("format", UNSET)

        def _parse_expires_in(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        expires_in = _parse_expires_in(d.pop("expires_in", UNSET))


        sign_in = cls(
            asset_id=asset_id,
            width=width,
            height=height,
            fit=fit,
            gravity=gravity,
            dpr=dpr,
            quality=quality,
            strip=strip,
            blur=blur,
            rotate=rotate,
            background=background,
            format_=format_,
            expires_in=expires_in,
        )


        sign_in.additional_properties = d
        return sign_in

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
