from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.models_out_detail import ModelsOutDetail
from typing import cast

if TYPE_CHECKING:
  from ..models.model_info import ModelInfo
  from ..models.process_info import ProcessInfo





T = TypeVar("T", bound="ModelsOut")



@_attrs_define
class ModelsOut:
    """ 
        Attributes:
            detail (ModelsOutDetail): full (administrators, the CLI): with errors, asset ids, failure counts, files and
                endpoint; summary (other signed-in users): those are null
            process (ProcessInfo):
            models (list[ModelInfo]): Every model, in the order its stages run
     """

    detail: ModelsOutDetail
    process: ProcessInfo
    models: list[ModelInfo]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.model_info import ModelInfo # noqa: PLC0415
        from ..models.process_info import ProcessInfo # noqa: PLC0415
        detail = self.detail.value

        process = self.process.to_dict()

        models = []
        for models_item_data in self.models:
            models_item = models_item_data.to_dict()
            models.append(models_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "detail": detail,
            "process": process,
            "models": models,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_info import ModelInfo # noqa: PLC0415
        from ..models.process_info import ProcessInfo # noqa: PLC0415
        d = dict(src_dict)
        detail = ModelsOutDetail(d.pop("detail"))




        process = ProcessInfo.from_dict(d.pop("process"))




        models = []
        _models = d.pop("models")
        for models_item_data in (_models):
            models_item = ModelInfo.from_dict(models_item_data)



            models.append(models_item)


        models_out = cls(
            detail=detail,
            process=process,
            models=models,
        )


        models_out.additional_properties = d
        return models_out

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
