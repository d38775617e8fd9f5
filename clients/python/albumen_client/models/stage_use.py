from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="StageUse")



@_attrs_define
class StageUse:
    """ 
        Attributes:
            name (str): An enrichment stage that runs this model (a name of ALBUMEN_ENRICHMENTS)
            enabled (bool): Whether this configuration runs the stage
            queue (str): The job queue whose workers run the stage (media or ml)
            failed (int | None): Assets whose stage failed for good (from the database: every worker's); null in a summary
     """

    name: str
    enabled: bool
    queue: str
    failed: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        enabled = self.enabled

        queue = self.queue

        failed: int | None
        failed = self.failed


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "name": name,
            "enabled": enabled,
            "queue": queue,
            "failed": failed,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        enabled = d.pop("enabled")

        queue = d.pop("queue")

        def _parse_failed(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        failed = _parse_failed(d.pop("failed"))


        stage_use = cls(
            name=name,
            enabled=enabled,
            queue=queue,
            failed=failed,
        )


        stage_use.additional_properties = d
        return stage_use

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
