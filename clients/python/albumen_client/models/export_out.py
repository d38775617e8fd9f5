from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.export_out_failed_item import ExportOutFailedItem





T = TypeVar("T", bound="ExportOut")



@_attrs_define
class ExportOut:
    """ 
        Attributes:
            id (int):
            state (str): queued, running, done or failed
            query (str):
            selected (int | None): photos in the selection (null: the query)
            options (str):
            format_ (str):
            total (int | None): photos found (once the export started)
            done (int):
            written (int):
            failed (list[ExportOutFailedItem]): photos that could not be made, why
            size (int | None):
            error (None | str):
            created_at (datetime.datetime):
            finished_at (datetime.datetime | None):
            file (None | str): where the ZIP is, once done
     """

    id: int
    state: str
    query: str
    selected: int | None
    options: str
    format_: str
    total: int | None
    done: int
    written: int
    failed: list[ExportOutFailedItem]
    size: int | None
    error: None | str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    file: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.export_out_failed_item import ExportOutFailedItem # noqa: PLC0415
        id = self.id

        state = self.state

        query = self.query

        selected: int | None
        selected = self.selected

        options = self.options

        format_ = self.format_

        total: int | None
        total = self.total

        done = self.done

        written = self.written

        failed = []
        for failed_item_data in self.failed:
            failed_item = failed_item_data.to_dict()
            failed.append(failed_item)



        size: int | None
        size = self.size

        error: None | str
        error = self.error

        created_at = self.created_at.isoformat()

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        file: None | str
        file = self.file


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "state": state,
            "query": query,
            "selected": selected,
            "options": options,
            "format": format_,
            "total": total,
            "done": done,
            "written": written,
            "failed": failed,
            "size": size,
            "error": error,
            "created_at": created_at,
            "finished_at": finished_at,
            "file": file,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.export_out_failed_item import ExportOutFailedItem # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        state = d.pop("state")

        query = d.pop("query")

        def _parse_selected(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        selected = _parse_selected(d.pop("selected"))


        options = d.pop("options")

        format_ = d.pop("format")

        def _parse_total(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        total = _parse_total(d.pop("total"))


        done = d.pop("done")

        written = d.pop("written")

        failed = []
        _failed = d.pop("failed")
        for failed_item_data in (_failed):
            failed_item = ExportOutFailedItem.from_dict(failed_item_data)



            failed.append(failed_item)


        def _parse_size(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        size = _parse_size(d.pop("size"))


        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)



                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))


        def _parse_file(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        file = _parse_file(d.pop("file"))


        export_out = cls(
            id=id,
            state=state,
            query=query,
            selected=selected,
            options=options,
            format_=format_,
            total=total,
            done=done,
            written=written,
            failed=failed,
            size=size,
            error=error,
            created_at=created_at,
            finished_at=finished_at,
            file=file,
        )


        export_out.additional_properties = d
        return export_out

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
