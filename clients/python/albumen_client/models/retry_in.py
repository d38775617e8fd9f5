from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="RetryIn")



@_attrs_define
class RetryIn:
    """ 
        Attributes:
            asset_ids (list[int] | None | Unset): the assets to process again (all their stages); empty: every failed one
            may_pass_only (bool | Unset): with no asset_ids: only the failed assets whose failures may pass (the worker
                died, storage or the database was away); a file refused for good fails again until albumen changes Default:
                False.
     """

    asset_ids: list[int] | None | Unset = UNSET
    may_pass_only: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        asset_ids: list[int] | None | Unset
        if isinstance(self.asset_ids, Unset):
            asset_ids = UNSET
        elif isinstance(self.asset_ids, list):
            asset_ids = self.asset_ids


        else:
            asset_ids = self.asset_ids

        may_pass_only = self.may_pass_only


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if asset_ids is not UNSET:
            field_dict["asset_ids"] = asset_ids
        if may_pass_only is not UNSET:
            field_dict["may_pass_only"] = may_pass_only

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
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


        may_pass_only = d.pop("may_pass_only", UNSET)

        retry_in = cls(
            asset_ids=asset_ids,
            may_pass_only=may_pass_only,
        )


        retry_in.additional_properties = d
        return retry_in

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
