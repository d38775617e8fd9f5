from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.share_info_kind import ShareInfoKind
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.guest_out import GuestOut





T = TypeVar("T", bound="ShareInfo")



@_attrs_define
class ShareInfo:
    """ 
        Attributes:
            kind (ShareInfoKind):
            title (str):
            description (None | str):
            can_view (bool):
            can_upload (bool):
            can_download (bool):
            expires_at (datetime.datetime | None):
            upload_opens_at (datetime.datetime | None):
            upload_closes_at (datetime.datetime | None):
            reveal_at (datetime.datetime | None):
            max_uploads_per_guest (int | None):
            review_required (bool): uploads wait for the host's approval
            selfie_search (bool): POST …/selfie-search is open on this link
            can_comment (bool): guests may react and comment (after PUT …/guest)
            guest (GuestOut | None):
     """

    kind: ShareInfoKind
    title: str
    description: None | str
    can_view: bool
    can_upload: bool
    can_download: bool
    expires_at: datetime.datetime | None
    upload_opens_at: datetime.datetime | None
    upload_closes_at: datetime.datetime | None
    reveal_at: datetime.datetime | None
    max_uploads_per_guest: int | None
    review_required: bool
    selfie_search: bool
    can_comment: bool
    guest: GuestOut | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.guest_out import GuestOut # noqa: PLC0415
        kind = self.kind.value

        title = self.title

        description: None | str
        description = self.description

        can_view = self.can_view

        can_upload = self.can_upload

        can_download = self.can_download

        expires_at: None | str
        if isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

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

        max_uploads_per_guest: int | None
        max_uploads_per_guest = self.max_uploads_per_guest

        review_required = self.review_required

        selfie_search = self.selfie_search

        can_comment = self.can_comment

        guest: dict[str, Any] | None
        if isinstance(self.guest, GuestOut):
            guest = self.guest.to_dict()
        else:
            guest = self.guest


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "kind": kind,
            "title": title,
            "description": description,
            "can_view": can_view,
            "can_upload": can_upload,
            "can_download": can_download,
            "expires_at": expires_at,
            "upload_opens_at": upload_opens_at,
            "upload_closes_at": upload_closes_at,
            "reveal_at": reveal_at,
            "max_uploads_per_guest": max_uploads_per_guest,
            "review_required": review_required,
            "selfie_search": selfie_search,
            "can_comment": can_comment,
            "guest": guest,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.guest_out import GuestOut # noqa: PLC0415
        d = dict(src_dict)
        kind = ShareInfoKind(d.pop("kind"))




        title = d.pop("title")

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))


        can_view = d.pop("can_view")

        can_upload = d.pop("can_upload")

        can_download = d.pop("can_download")

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


        def _parse_max_uploads_per_guest(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        max_uploads_per_guest = _parse_max_uploads_per_guest(d.pop("max_uploads_per_guest"))


        review_required = d.pop("review_required")

        selfie_search = d.pop("selfie_search")

        can_comment = d.pop("can_comment")

        def _parse_guest(data: object) -> GuestOut | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                guest_type_0 = GuestOut.from_dict(data)



                return guest_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GuestOut | None, data)

        guest = _parse_guest(d.pop("guest"))


        share_info = cls(
            kind=kind,
            title=title,
            description=description,
            can_view=can_view,
            can_upload=can_upload,
            can_download=can_download,
            expires_at=expires_at,
            upload_opens_at=upload_opens_at,
            upload_closes_at=upload_closes_at,
            reveal_at=reveal_at,
            max_uploads_per_guest=max_uploads_per_guest,
            review_required=review_required,
            selfie_search=selfie_search,
            can_comment=can_comment,
            guest=guest,
        )


        share_info.additional_properties = d
        return share_info

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
