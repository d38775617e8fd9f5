from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.audit_out_details_type_0 import AuditOutDetailsType0





T = TypeVar("T", bound="AuditOut")



@_attrs_define
class AuditOut:
    """ 
        Attributes:
            id (int):
            at (datetime.datetime):
            action (str):
            actor_user_id (int | None):
            actor_guest_id (int | None):
            ip (None | str):
            target_type (None | str):
            target_id (int | None):
            details (AuditOutDetailsType0 | None):
     """

    id: int
    at: datetime.datetime
    action: str
    actor_user_id: int | None
    actor_guest_id: int | None
    ip: None | str
    target_type: None | str
    target_id: int | None
    details: AuditOutDetailsType0 | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.audit_out_details_type_0 import AuditOutDetailsType0 # noqa: PLC0415
        id = self.id

        at = self.at.isoformat()

        action = self.action

        actor_user_id: int | None
        actor_user_id = self.actor_user_id

        actor_guest_id: int | None
        actor_guest_id = self.actor_guest_id

        ip: None | str
        ip = self.ip

        target_type: None | str
        target_type = self.target_type

        target_id: int | None
        target_id = self.target_id

        details: dict[str, Any] | None
        if isinstance(self.details, AuditOutDetailsType0):
            details = self.details.to_dict()
        else:
            details = self.details


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "at": at,
            "action": action,
            "actor_user_id": actor_user_id,
            "actor_guest_id": actor_guest_id,
            "ip": ip,
            "target_type": target_type,
            "target_id": target_id,
            "details": details,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_out_details_type_0 import AuditOutDetailsType0 # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        at = datetime.datetime.fromisoformat(d.pop("at"))




        action = d.pop("action")

        def _parse_actor_user_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        actor_user_id = _parse_actor_user_id(d.pop("actor_user_id"))


        def _parse_actor_guest_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        actor_guest_id = _parse_actor_guest_id(d.pop("actor_guest_id"))


        def _parse_ip(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        ip = _parse_ip(d.pop("ip"))


        def _parse_target_type(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        target_type = _parse_target_type(d.pop("target_type"))


        def _parse_target_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        target_id = _parse_target_id(d.pop("target_id"))


        def _parse_details(data: object) -> AuditOutDetailsType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                details_type_0 = AuditOutDetailsType0.from_dict(data)



                return details_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AuditOutDetailsType0 | None, data)

        details = _parse_details(d.pop("details"))


        audit_out = cls(
            id=id,
            at=at,
            action=action,
            actor_user_id=actor_user_id,
            actor_guest_id=actor_guest_id,
            ip=ip,
            target_type=target_type,
            target_id=target_id,
            details=details,
        )


        audit_out.additional_properties = d
        return audit_out

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
