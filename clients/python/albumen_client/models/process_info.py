from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="ProcessInfo")



@_attrs_define
class ProcessInfo:
    """ 
        Attributes:
            hostname (str): The machine that answered
            pid (int): The process that answered; loaded and the counters are its
            runs_jobs (list[str]): Queues whose jobs run in this process's own threads (in-process thread workers, or
                immediate mode): loaded and the counters include that work. Empty when jobs run in other processes (albumen
                worker, process workers), whose loaded models this listing cannot see
            live_workers (int): Worker hosts with a recent heartbeat, on any machine
     """

    hostname: str
    pid: int
    runs_jobs: list[str]
    live_workers: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        hostname = self.hostname

        pid = self.pid

        runs_jobs = self.runs_jobs



        live_workers = self.live_workers


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "hostname": hostname,
            "pid": pid,
            "runs_jobs": runs_jobs,
            "live_workers": live_workers,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        hostname = d.pop("hostname")

        pid = d.pop("pid")

        runs_jobs = cast(list[str], d.pop("runs_jobs"))


        live_workers = d.pop("live_workers")

        process_info = cls(
            hostname=hostname,
            pid=pid,
            runs_jobs=runs_jobs,
            live_workers=live_workers,
        )


        process_info.additional_properties = d
        return process_info

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
