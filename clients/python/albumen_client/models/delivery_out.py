from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="DeliveryOut")



@_attrs_define
class DeliveryOut:
    """ 
        Attributes:
            id (int):
            message_id (str): the webhook-id header: the same on every retry
            type_ (str):
            state (str): pending, delivered or failed
            attempts (int):
            next_attempt_at (datetime.datetime | None):
            last_status (int | None):
            last_latency_ms (float | None):
            last_error (None | str):
            created_at (datetime.datetime):
            delivered_at (datetime.datetime | None):
     """

    id: int
    message_id: str
    type_: str
    state: str
    attempts: int
    next_attempt_at: datetime.datetime | None
    last_status: int | None
    last_latency_ms: float | None
    last_error: None | str
    created_at: datetime.datetime
    delivered_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        message_id = self.message_id

        type_ = self.type_

        state = self.state

        attempts = self.attempts

        next_attempt_at: None | str
        if isinstance(self.next_attempt_at, datetime.datetime):
            next_attempt_at = self.next_attempt_at.isoformat()
        else:
            next_attempt_at = self.next_attempt_at

        last_status: int | None
        last_status = self.last_status

        last_latency_ms: float | None
        last_latency_ms = self.last_latency_ms

        last_error: None | str
        last_error = self.last_error

        created_at = self.created_at.isoformat()

        delivered_at: None | str
        if isinstance(self.delivered_at, datetime.datetime):
            delivered_at = self.delivered_at.isoformat()
        else:
            delivered_at = self.delivered_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "message_id": message_id,
            "type": type_,
            "state": state,
            "attempts": attempts,
            "next_attempt_at": next_attempt_at,
            "last_status": last_status,
            "last_latency_ms": last_latency_ms,
            "last_error": last_error,
            "created_at": created_at,
            "delivered_at": delivered_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        message_id = d.pop("message_id")

        type_ = d.pop("type")

        state = d.pop("state")

        attempts = d.pop("attempts")

        def _parse_next_attempt_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_attempt_at_type_0 = datetime.datetime.fromisoformat(data)



                return next_attempt_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("next_attempt_at"))


        def _parse_last_status(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        last_status = _parse_last_status(d.pop("last_status"))


        def _parse_last_latency_ms(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        last_latency_ms = _parse_last_latency_ms(d.pop("last_latency_ms"))


        def _parse_last_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_error = _parse_last_error(d.pop("last_error"))


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        def _parse_delivered_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                delivered_at_type_0 = datetime.datetime.fromisoformat(data)



                return delivered_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        delivered_at = _parse_delivered_at(d.pop("delivered_at"))


        delivery_out = cls(
            id=id,
            message_id=message_id,
            type_=type_,
            state=state,
            attempts=attempts,
            next_attempt_at=next_attempt_at,
            last_status=last_status,
            last_latency_ms=last_latency_ms,
            last_error=last_error,
            created_at=created_at,
            delivered_at=delivered_at,
        )


        delivery_out.additional_properties = d
        return delivery_out

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
