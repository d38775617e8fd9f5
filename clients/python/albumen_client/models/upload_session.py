from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="UploadSession")



@_attrs_define
class UploadSession:
    """ 
        Attributes:
            id (str): the upload's id (unguessable)
            url (str): where its parts go (PATCH) and how far it is (HEAD, GET)
            filename (str):
            length (int): the file's size in bytes
            offset (int): bytes received so far: the next part starts here
            expires_at (datetime.datetime): an unfinished upload is removed then
            outcome (None | str): once whole: imported, duplicate or rejected
            asset_id (int | None): once whole: the asset it became or duplicates
            error (None | str): why the finished file was refused
            guest_token (None | str | Unset): a new guest's token (send it back as X-Guest-Token or the cookie)
     """

    id: str
    url: str
    filename: str
    length: int
    offset: int
    expires_at: datetime.datetime
    outcome: None | str
    asset_id: int | None
    error: None | str
    guest_token: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        url = self.url

        filename = self.filename

        length = self.length

        offset = self.offset

        expires_at = self.expires_at.isoformat()

        outcome: None | str
        outcome = self.outcome

        asset_id: int | None
        asset_id = self.asset_id

        error: None | str
        error = self.error

        guest_token: None | str | Unset
        if isinstance(self.guest_token, Unset):
            guest_token = UNSET
        else:
            guest_token = self.guest_token


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "url": url,
            "filename": filename,
            "length": length,
            "offset": offset,
            "expires_at": expires_at,
            "outcome": outcome,
            "asset_id": asset_id,
            "error": error,
        })
        if guest_token is not UNSET:
            field_dict["guest_token"] = guest_token

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        url = d.pop("url")

        filename = d.pop("filename")

        length = d.pop("length")

        offset = d.pop("offset")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))




        def _parse_outcome(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        outcome = _parse_outcome(d.pop("outcome"))


        def _parse_asset_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        asset_id = _parse_asset_id(d.pop("asset_id"))


        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))


        def _parse_guest_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        guest_token = _parse_guest_token(d.pop("guest_token", UNSET))


        upload_session = cls(
            id=id,
            url=url,
            filename=filename,
            length=length,
            offset=offset,
            expires_at=expires_at,
            outcome=outcome,
            asset_id=asset_id,
            error=error,
            guest_token=guest_token,
        )


        upload_session.additional_properties = d
        return upload_session

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
