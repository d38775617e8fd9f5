from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.guest_upload_status import GuestUploadStatus
from typing import cast

if TYPE_CHECKING:
  from ..models.guest_asset import GuestAsset





T = TypeVar("T", bound="GuestUpload")



@_attrs_define
class GuestUpload:
    """ 
        Attributes:
            status (GuestUploadStatus):
            asset (GuestAsset):
            guest_token (str):
     """

    status: GuestUploadStatus
    asset: GuestAsset
    guest_token: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.guest_asset import GuestAsset # noqa: PLC0415
        status = self.status.value

        asset = self.asset.to_dict()

        guest_token = self.guest_token


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "status": status,
            "asset": asset,
            "guest_token": guest_token,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.guest_asset import GuestAsset # noqa: PLC0415
        d = dict(src_dict)
        status = GuestUploadStatus(d.pop("status"))




        asset = GuestAsset.from_dict(d.pop("asset"))




        guest_token = d.pop("guest_token")

        guest_upload = cls(
            status=status,
            asset=asset,
            guest_token=guest_token,
        )


        guest_upload.additional_properties = d
        return guest_upload

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
