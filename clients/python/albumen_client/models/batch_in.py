from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="BatchIn")



@_attrs_define
class BatchIn:
    """ 
        Attributes:
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
            query (str | Unset): the photos, in the query language ("" for all yours) Default: ''.
            asset_ids (list[int] | None | Unset): a selection instead of a query (those you may see, in this order)
            format_ (str | Unset):  Default: 'jpeg'.
     """

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
    query: str | Unset = ''
    asset_ids: list[int] | None | Unset = UNSET
    format_: str | Unset = 'jpeg'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
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

        query = self.query

        asset_ids: list[int] | None | Unset
        if isinstance(self.asset_ids, Unset):
            asset_ids = UNSET
        elif isinstance(self.asset_ids, list):
            asset_ids = self.asset_ids


        else:
            asset_ids = self.asset_ids

        format_ = self.format_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
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
        if query is not UNSET:
            field_dict["query"] = query
        if asset_ids is not UNSET:
            field_dict["asset_ids"] = asset_ids
        if format_ is not UNSET:
            field_dict["format"] = format_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
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


        query = d.pop("query", UNSET)

        def _parse_asset_ids(data: object) -> list[int] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                asset_ids_type_0 = cast(list[int], data)

                return asset_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | None | Unset, data)

        asset_ids = _parse_asset_ids(d.pop("asset_ids", UNSET))


        format_ = d.pop("format", UNSET)

        batch_in = cls(
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
            query=query,
            asset_ids=asset_ids,
            format_=format_,
        )


        batch_in.additional_properties = d
        return batch_in

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
