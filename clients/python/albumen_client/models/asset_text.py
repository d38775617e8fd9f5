from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.dropped_line_out import DroppedLineOut
  from ..models.page_out import PageOut
  from ..models.text_line_out import TextLineOut





T = TypeVar("T", bound="AssetText")



@_attrs_define
class AssetText:
    """ 
        Attributes:
            asset_id (int): the asset
            text (str): the whole text found, line by line in reading order (a document's pages one after another)
            lines (list[TextLineOut]): each line with where it is (photos)
            dropped (list[DroppedLineOut]): what the reader also returned that does not count as text (a face or a pattern
                read as letters), with why; not in text, search or has:text
            pages (list[PageOut]): a document's pages, each with its text
     """

    asset_id: int
    text: str
    lines: list[TextLineOut]
    dropped: list[DroppedLineOut]
    pages: list[PageOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.dropped_line_out import DroppedLineOut # noqa: PLC0415
        from ..models.page_out import PageOut # noqa: PLC0415
        from ..models.text_line_out import TextLineOut # noqa: PLC0415
        asset_id = self.asset_id

        text = self.text

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)



        dropped = []
        for dropped_item_data in self.dropped:
            dropped_item = dropped_item_data.to_dict()
            dropped.append(dropped_item)



        pages = []
        for pages_item_data in self.pages:
            pages_item = pages_item_data.to_dict()
            pages.append(pages_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "asset_id": asset_id,
            "text": text,
            "lines": lines,
            "dropped": dropped,
            "pages": pages,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dropped_line_out import DroppedLineOut # noqa: PLC0415
        from ..models.page_out import PageOut # noqa: PLC0415
        from ..models.text_line_out import TextLineOut # noqa: PLC0415
        d = dict(src_dict)
        asset_id = d.pop("asset_id")

        text = d.pop("text")

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in (_lines):
            lines_item = TextLineOut.from_dict(lines_item_data)



            lines.append(lines_item)


        dropped = []
        _dropped = d.pop("dropped")
        for dropped_item_data in (_dropped):
            dropped_item = DroppedLineOut.from_dict(dropped_item_data)



            dropped.append(dropped_item)


        pages = []
        _pages = d.pop("pages")
        for pages_item_data in (_pages):
            pages_item = PageOut.from_dict(pages_item_data)



            pages.append(pages_item)


        asset_text = cls(
            asset_id=asset_id,
            text=text,
            lines=lines,
            dropped=dropped,
            pages=pages,
        )


        asset_text.additional_properties = d
        return asset_text

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
