from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="LinkIn")



@_attrs_define
class LinkIn:
    """ 
        Attributes:
            label (None | str | Unset):
            can_view (bool | Unset):  Default: True.
            can_upload (bool | Unset):  Default: False.
            can_download (bool | Unset):  Default: False.
            password (None | str | Unset):
            expires_at (datetime.datetime | None | Unset):
            max_uploads (int | None | Unset):
            max_uploads_per_guest (int | None | Unset):
            upload_opens_at (datetime.datetime | None | Unset):
            upload_closes_at (datetime.datetime | None | Unset):
            reveal_at (datetime.datetime | None | Unset):
            strip_location (bool | Unset):  Default: False.
     """

    label: None | str | Unset = UNSET
    can_view: bool | Unset = True
    can_upload: bool | Unset = False
    can_download: bool | Unset = False
    password: None | str | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET
    max_uploads: int | None | Unset = UNSET
    max_uploads_per_guest: int | None | Unset = UNSET
    upload_opens_at: datetime.datetime | None | Unset = UNSET
    upload_closes_at: datetime.datetime | None | Unset = UNSET
    reveal_at: datetime.datetime | None | Unset = UNSET
    strip_location: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        label: None | str | Unset
        if isinstance(self.label, Unset):
            label = UNSET
        else:
            label = self.label

        can_view = self.can_view

        can_upload = self.can_upload

        can_download = self.can_download

        password: None | str | Unset
        if isinstance(self.password, Unset):
            password = UNSET
        else:
            password = self.password

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        max_uploads: int | None | Unset
        if isinstance(self.max_uploads, Unset):
            max_uploads = UNSET
        else:
            max_uploads = self.max_uploads

        max_uploads_per_guest: int | None | Unset
        if isinstance(self.max_uploads_per_guest, Unset):
            max_uploads_per_guest = UNSET
        else:
            max_uploads_per_guest = self.max_uploads_per_guest

        upload_opens_at: None | str | Unset
        if isinstance(self.upload_opens_at, Unset):
            upload_opens_at = UNSET
        elif isinstance(self.upload_opens_at, datetime.datetime):
            upload_opens_at = self.upload_opens_at.isoformat()
        else:
            upload_opens_at = self.upload_opens_at

        upload_closes_at: None | str | Unset
        if isinstance(self.upload_closes_at, Unset):
            upload_closes_at = UNSET
        elif isinstance(self.upload_closes_at, datetime.datetime):
            upload_closes_at = self.upload_closes_at.isoformat()
        else:
            upload_closes_at = self.upload_closes_at

        reveal_at: None | str | Unset
        if isinstance(self.reveal_at, Unset):
            reveal_at = UNSET
        elif isinstance(self.reveal_at, datetime.datetime):
            reveal_at = self.reveal_at.isoformat()
        else:
            reveal_at = self.reveal_at

        strip_location = self.strip_location


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if label is not UNSET:
            field_dict["label"] = label
        if can_view is not UNSET:
            field_dict["can_view"] = can_view
        if can_upload is not UNSET:
            field_dict["can_upload"] = can_upload
        if can_download is not UNSET:
            field_dict["can_download"] = can_download
        if password is not UNSET:
            field_dict["password"] = password
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if max_uploads is not UNSET:
            field_dict["max_uploads"] = max_uploads
        if max_uploads_per_guest is not UNSET:
            field_dict["max_uploads_per_guest"] = max_uploads_per_guest
        if upload_opens_at is not UNSET:
            field_dict["upload_opens_at"] = upload_opens_at
        if upload_closes_at is not UNSET:
            field_dict["upload_closes_at"] = upload_closes_at
        if reveal_at is not UNSET:
            field_dict["reveal_at"] = reveal_at
        if strip_location is not UNSET:
            field_dict["strip_location"] = strip_location

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_label(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        label = _parse_label(d.pop("label", UNSET))


        can_view = d.pop("can_view", UNSET)

        can_upload = d.pop("can_upload", UNSET)

        can_download = d.pop("can_download", UNSET)

        def _parse_password(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        password = _parse_password(d.pop("password", UNSET))


        def _parse_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)



                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expires_at", UNSET))


        def _parse_max_uploads(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_uploads = _parse_max_uploads(d.pop("max_uploads", UNSET))


        def _parse_max_uploads_per_guest(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_uploads_per_guest = _parse_max_uploads_per_guest(d.pop("max_uploads_per_guest", UNSET))


        def _parse_upload_opens_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                upload_opens_at_type_0 = datetime.datetime.fromisoformat(data)



                return upload_opens_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        upload_opens_at = _parse_upload_opens_at(d.pop("upload_opens_at", UNSET))


        def _parse_upload_closes_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                upload_closes_at_type_0 = datetime.datetime.fromisoformat(data)



                return upload_closes_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        upload_closes_at = _parse_upload_closes_at(d.pop("upload_closes_at", UNSET))


        def _parse_reveal_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reveal_at_type_0 = datetime.datetime.fromisoformat(data)



                return reveal_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        reveal_at = _parse_reveal_at(d.pop("reveal_at", UNSET))


        strip_location = d.pop("strip_location", UNSET)

        link_in = cls(
            label=label,
            can_view=can_view,
            can_upload=can_upload,
            can_download=can_download,
            password=password,
            expires_at=expires_at,
            max_uploads=max_uploads,
            max_uploads_per_guest=max_uploads_per_guest,
            upload_opens_at=upload_opens_at,
            upload_closes_at=upload_closes_at,
            reveal_at=reveal_at,
            strip_location=strip_location,
        )


        link_in.additional_properties = d
        return link_in

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
