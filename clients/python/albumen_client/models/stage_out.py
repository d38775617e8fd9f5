from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="StageOut")



@_attrs_define
class StageOut:
    """ 
        Attributes:
            stage (str): processing stage: metadata, derivatives, faces, ocr, ...
            state (str): pending, running, done or failed
            attempts (int): how many times the stage has run
            error (None | str): why the stage failed (null unless failed)
            progress_done (int | None | Unset): how far a long stage is: units done (a document's pages read, seconds of a
                video's web copy made)
            progress_total (int | None | Unset): of this many units
     """

    stage: str
    state: str
    attempts: int
    error: None | str
    progress_done: int | None | Unset = UNSET
    progress_total: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        stage = self.stage

        state = self.state

        attempts = self.attempts

        error: None | str
        error = self.error

        progress_done: int | None | Unset
        if isinstance(self.progress_done, Unset):
            progress_done = UNSET
        else:
            progress_done = self.progress_done

        progress_total: int | None | Unset
        if isinstance(self.progress_total, Unset):
            progress_total = UNSET
        else:
            progress_total = self.progress_total


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "stage": stage,
            "state": state,
            "attempts": attempts,
            "error": error,
        })
        if progress_done is not UNSET:
            field_dict["progress_done"] = progress_done
        if progress_total is not UNSET:
            field_dict["progress_total"] = progress_total

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        stage = d.pop("stage")

        state = d.pop("state")

        attempts = d.pop("attempts")

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))


        def _parse_progress_done(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        progress_done = _parse_progress_done(d.pop("progress_done", UNSET))


        def _parse_progress_total(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        progress_total = _parse_progress_total(d.pop("progress_total", UNSET))


        stage_out = cls(
            stage=stage,
            state=state,
            attempts=attempts,
            error=error,
            progress_done=progress_done,
            progress_total=progress_total,
        )


        stage_out.additional_properties = d
        return stage_out

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
