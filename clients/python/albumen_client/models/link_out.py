from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="LinkOut")



@_attrs_define
class LinkOut:
    """ 
        Attributes:
            id (int):
            event_id (int | None):
            album_id (int | None):
            label (None | str):
            can_view (bool):
            can_upload (bool):
            can_download (bool):
            has_password (bool):
            expires_at (datetime.datetime | None):
            max_uploads (int | None):
            max_uploads_per_guest (int | None):
            upload_count (int):
            upload_opens_at (datetime.datetime | None):
            upload_closes_at (datetime.datetime | None):
            reveal_at (datetime.datetime | None):
            strip_location (bool):
            created_at (datetime.datetime):
            revoked_at (datetime.datetime | None):
            token (None | str): guests use /s/{token} and /api/v1/share/{token}; shown to the link's managers (null for a
                link made before albumen kept them, or after its secret key changed)
            url (None | str): the address to give guests (its QR code: /api/v1/share/{token}/qr.svg, a poster:
                /s/{token}/poster)
     """

    id: int
    event_id: int | None
    album_id: int | None
    label: None | str
    can_view: bool
    can_upload: bool
    can_download: bool
    has_password: bool
    expires_at: datetime.datetime | None
    max_uploads: int | None
    max_uploads_per_guest: int | None
    upload_count: int
    upload_opens_at: datetime.datetime | None
    upload_closes_at: datetime.datetime | None
    reveal_at: datetime.datetime | None
    strip_location: bool
    created_at: datetime.datetime
    revoked_at: datetime.datetime | None
    token: None | str
    url: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        event_id: int | None
        event_id = self.event_id

        album_id: int | None
        album_id = self.album_id

        label: None | str
        label = self.label

        can_view = self.can_view

        can_upload = self.can_upload

        can_download = self.can_download

        has_password = self.has_password

        expires_at: None | str
        if isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        max_uploads: int | None
        max_uploads = self.max_uploads

        max_uploads_per_guest: int | None
        max_uploads_per_guest = self.max_uploads_per_guest

        upload_count = self.upload_count

        upload_opens_at: None | str
        if isinstance(self.upload_opens_at, datetime.datetime):
            upload_opens_at = self.upload_opens_at.isoformat()
        else:
            upload_opens_at = self.upload_opens_at

        upload_closes_at: None | str
        if isinstance(self.upload_closes_at, datetime.datetime):
            upload_closes_at = self.upload_closes_at.isoformat()
        else:
            upload_closes_at = self.upload_closes_at

        reveal_at: None | str
        if isinstance(self.reveal_at, datetime.datetime):
            reveal_at = self.reveal_at.isoformat()
        else:
            reveal_at = self.reveal_at

        strip_location = self.strip_location

        created_at = self.created_at.isoformat()

        revoked_at: None | str
        if isinstance(self.revoked_at, datetime.datetime):
            revoked_at = self.revoked_at.isoformat()
        else:
            revoked_at = self.revoked_at

        token: None | str
        token = self.token

        url: None | str
        url = self.url


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "event_id": event_id,
            "album_id": album_id,
            "label": label,
            "can_view": can_view,
            "can_upload": can_upload,
            "can_download": can_download,
            "has_password": has_password,
            "expires_at": expires_at,
            "max_uploads": max_uploads,
            "max_uploads_per_guest": max_uploads_per_guest,
            "upload_count": upload_count,
            "upload_opens_at": upload_opens_at,
            "upload_closes_at": upload_closes_at,
            "reveal_at": reveal_at,
            "strip_location": strip_location,
            "created_at": created_at,
            "revoked_at": revoked_at,
            "token": token,
            "url": url,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        def _parse_event_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        event_id = _parse_event_id(d.pop("event_id"))


        def _parse_album_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        album_id = _parse_album_id(d.pop("album_id"))


        def _parse_label(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        label = _parse_label(d.pop("label"))


        can_view = d.pop("can_view")

        can_upload = d.pop("can_upload")

        can_download = d.pop("can_download")

        has_password = d.pop("has_password")

        def _parse_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)



                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expires_at = _parse_expires_at(d.pop("expires_at"))


        def _parse_max_uploads(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        max_uploads = _parse_max_uploads(d.pop("max_uploads"))


        def _parse_max_uploads_per_guest(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        max_uploads_per_guest = _parse_max_uploads_per_guest(d.pop("max_uploads_per_guest"))


        upload_count = d.pop("upload_count")

        def _parse_upload_opens_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                upload_opens_at_type_0 = datetime.datetime.fromisoformat(data)



                return upload_opens_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        upload_opens_at = _parse_upload_opens_at(d.pop("upload_opens_at"))


        def _parse_upload_closes_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                upload_closes_at_type_0 = datetime.datetime.fromisoformat(data)



                return upload_closes_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        upload_closes_at = _parse_upload_closes_at(d.pop("upload_closes_at"))


        def _parse_reveal_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reveal_at_type_0 = datetime.datetime.fromisoformat(data)



                return reveal_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        reveal_at = _parse_reveal_at(d.pop("reveal_at"))


        strip_location = d.pop("strip_location")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        def _parse_revoked_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                revoked_at_type_0 = datetime.datetime.fromisoformat(data)



                return revoked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at"))


        def _parse_token(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        token = _parse_token(d.pop("token"))


        def _parse_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        url = _parse_url(d.pop("url"))


        link_out = cls(
            id=id,
            event_id=event_id,
            album_id=album_id,
            label=label,
            can_view=can_view,
            can_upload=can_upload,
            can_download=can_download,
            has_password=has_password,
            expires_at=expires_at,
            max_uploads=max_uploads,
            max_uploads_per_guest=max_uploads_per_guest,
            upload_count=upload_count,
            upload_opens_at=upload_opens_at,
            upload_closes_at=upload_closes_at,
            reveal_at=reveal_at,
            strip_location=strip_location,
            created_at=created_at,
            revoked_at=revoked_at,
            token=token,
            url=url,
        )


        link_out.additional_properties = d
        return link_out

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
