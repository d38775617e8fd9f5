from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.hit import Hit
  from ..models.search_page_facets import SearchPageFacets





T = TypeVar("T", bound="SearchPage")



@_attrs_define
class SearchPage:
    """ 
        Attributes:
            items (list[Hit]):
            next_cursor (None | str):
            facets (SearchPageFacets | Unset):
            ranked_by (None | str | Unset): how similar: or smart: results are ranked: clip (by content), or appearance
                (perceptual hash and the people in them: similar: where CLIP cannot answer); null for other searches
            note (None | str | Unset): what to read the results with, e.g. that similar photos were found by appearance as
                no CLIP model is installed, and how to install one; null when there is nothing to say
     """

    items: list[Hit]
    next_cursor: None | str
    facets: SearchPageFacets | Unset = UNSET
    ranked_by: None | str | Unset = UNSET
    note: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.hit import Hit # noqa: PLC0415
        from ..models.search_page_facets import SearchPageFacets # noqa: PLC0415
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)



        next_cursor: None | str
        next_cursor = self.next_cursor

        facets: dict[str, Any] | Unset = UNSET
        if not isinstance(self.facets, Unset):
            facets = self.facets.to_dict()

        ranked_by: None | str | Unset
        if isinstance(self.ranked_by, Unset):
            ranked_by = UNSET
        else:
            ranked_by = self.ranked_by

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "items": items,
            "next_cursor": next_cursor,
        })
        if facets is not UNSET:
            field_dict["facets"] = facets
        if ranked_by is not UNSET:
            field_dict["ranked_by"] = ranked_by
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.hit import Hit # noqa: PLC0415
        from ..models.search_page_facets import SearchPageFacets # noqa: PLC0415
        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in (_items):
            items_item = Hit.from_dict(items_item_data)



            items.append(items_item)


        def _parse_next_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))


        _facets = d.pop("facets", UNSET)
        facets: SearchPageFacets | Unset
        if isinstance(_facets,  Unset):
            facets = UNSET
        else:
            facets = SearchPageFacets.from_dict(_facets)




        def _parse_ranked_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ranked_by = _parse_ranked_by(d.pop("ranked_by", UNSET))


        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))


        search_page = cls(
            items=items,
            next_cursor=next_cursor,
            facets=facets,
            ranked_by=ranked_by,
            note=note,
        )


        search_page.additional_properties = d
        return search_page

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
