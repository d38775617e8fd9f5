from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.model_info_kind import ModelInfoKind
from typing import cast

if TYPE_CHECKING:
  from ..models.load_error import LoadError
  from ..models.model_info_packages import ModelInfoPackages
  from ..models.stage_error import StageError
  from ..models.stage_use import StageUse
  from ..models.weight_file import WeightFile





T = TypeVar("T", bound="ModelInfo")



@_attrs_define
class ModelInfo:
    """ 
        Attributes:
            name (str): The model's name (faces, ocr, screening, places, clip, captions, ...)
            description (str): What it does
            kind (ModelInfoKind): on-device: runs in albumen's processes; remote: an endpoint it calls
            stages (list[StageUse]): The enrichment stages that use it
            enabled (bool): Whether any of its stages is enabled here
            installed (bool): Whether it can run here: its packages and weights are installed (remote: its endpoint is
                configured; the endpoint is not called)
            reason (None | str): Why it cannot run here (null when installed)
            affected_stages (list[str]): Enabled stages that fail for want of this model: not installed, so every asset's
                stage fails with the reason above
            loaded (bool | None): Whether the model is loaded in the process that answered (see process.runs_jobs for whose
                jobs that covers); null for a remote model
            loads (int | None): Times it was loaded in that process (it unloads when idle); null for a remote model
            calls (int | None): Batched predict calls in that process; null for a remote model
            items (int | None): Items (photos, texts, positions) predicted in that process; items / calls is the batch size
                achieved
            version (None | str): The weights' version: that of the package that ships them, a digest (blake2b:...) of
                operator-supplied files, or the remote model's name
            packages (ModelInfoPackages): Installed version of each Python package it runs on (missing ones left out)
            size_bytes (int | None): Bytes of the weight files it loads (null when none: remote, or not installed)
            files (list[WeightFile] | None): The weight files it loads; null in a summary
            endpoint (None | str): The remote endpoint's URL without credentials; null for on-device models and in a summary
            last_load_error (LoadError | None): The most recent failure to load it in the process that answered; null when
                none, and in a summary
            last_stage_error (None | StageError): The most recent stage that failed for good among its stages (from the
                database: any worker); null when none, and in a summary
     """

    name: str
    description: str
    kind: ModelInfoKind
    stages: list[StageUse]
    enabled: bool
    installed: bool
    reason: None | str
    affected_stages: list[str]
    loaded: bool | None
    loads: int | None
    calls: int | None
    items: int | None
    version: None | str
    packages: ModelInfoPackages
    size_bytes: int | None
    files: list[WeightFile] | None
    endpoint: None | str
    last_load_error: LoadError | None
    last_stage_error: None | StageError
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.load_error import LoadError # noqa: PLC0415
        from ..models.model_info_packages import ModelInfoPackages # noqa: PLC0415
        from ..models.stage_error import StageError # noqa: PLC0415
        from ..models.stage_use import StageUse # noqa: PLC0415
        from ..models.weight_file import WeightFile # noqa: PLC0415
        name = self.name

        description = self.description

        kind = self.kind.value

        stages = []
        for stages_item_data in self.stages:
            stages_item = stages_item_data.to_dict()
            stages.append(stages_item)



        enabled = self.enabled

        installed = self.installed

        reason: None | str
        reason = self.reason

        affected_stages = self.affected_stages



        loaded: bool | None
        loaded = self.loaded

        loads: int | None
        loads = self.loads

        calls: int | None
        calls = self.calls

        items: int | None
        items = self.items

        version: None | str
        version = self.version

        packages = self.packages.to_dict()

        size_bytes: int | None
        size_bytes = self.size_bytes

        files: list[dict[str, Any]] | None
        if isinstance(self.files, list):
            files = []
            for files_type_0_item_data in self.files:
                files_type_0_item = files_type_0_item_data.to_dict()
                files.append(files_type_0_item)


        else:
            files = self.files

        endpoint: None | str
        endpoint = self.endpoint

        last_load_error: dict[str, Any] | None
        if isinstance(self.last_load_error, LoadError):
            last_load_error = self.last_load_error.to_dict()
        else:
            last_load_error = self.last_load_error

        last_stage_error: dict[str, Any] | None
        if isinstance(self.last_stage_error, StageError):
            last_stage_error = self.last_stage_error.to_dict()
        else:
            last_stage_error = self.last_stage_error


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "name": name,
            "description": description,
            "kind": kind,
            "stages": stages,
            "enabled": enabled,
            "installed": installed,
            "reason": reason,
            "affected_stages": affected_stages,
            "loaded": loaded,
            "loads": loads,
            "calls": calls,
            "items": items,
            "version": version,
            "packages": packages,
            "size_bytes": size_bytes,
            "files": files,
            "endpoint": endpoint,
            "last_load_error": last_load_error,
            "last_stage_error": last_stage_error,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.load_error import LoadError # noqa: PLC0415
        from ..models.model_info_packages import ModelInfoPackages # noqa: PLC0415
        from ..models.stage_error import StageError # noqa: PLC0415
        from ..models.stage_use import StageUse # noqa: PLC0415
        from ..models.weight_file import WeightFile # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name")

        description = d.pop("description")

        kind = ModelInfoKind(d.pop("kind"))




        stages = []
        _stages = d.pop("stages")
        for stages_item_data in (_stages):
            stages_item = StageUse.from_dict(stages_item_data)



            stages.append(stages_item)


        enabled = d.pop("enabled")

        installed = d.pop("installed")

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))


        affected_stages = cast(list[str], d.pop("affected_stages"))


        def _parse_loaded(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        loaded = _parse_loaded(d.pop("loaded"))


        def _parse_loads(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        loads = _parse_loads(d.pop("loads"))


        def _parse_calls(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        calls = _parse_calls(d.pop("calls"))


        def _parse_items(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        items = _parse_items(d.pop("items"))


        def _parse_version(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        version = _parse_version(d.pop("version"))


        packages = ModelInfoPackages.from_dict(d.pop("packages"))




        def _parse_size_bytes(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        size_bytes = _parse_size_bytes(d.pop("size_bytes"))


        def _parse_files(data: object) -> list[WeightFile] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                files_type_0 = []
                _files_type_0 = data
                for files_type_0_item_data in (_files_type_0):
                    files_type_0_item = WeightFile.from_dict(files_type_0_item_data)



                    files_type_0.append(files_type_0_item)

                return files_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[WeightFile] | None, data)

        files = _parse_files(d.pop("files"))


        def _parse_endpoint(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        endpoint = _parse_endpoint(d.pop("endpoint"))


        def _parse_last_load_error(data: object) -> LoadError | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_load_error_type_0 = LoadError.from_dict(data)



                return last_load_error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LoadError | None, data)

        last_load_error = _parse_last_load_error(d.pop("last_load_error"))


        def _parse_last_stage_error(data: object) -> None | StageError:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_stage_error_type_0 = StageError.from_dict(data)



                return last_stage_error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StageError, data)

        last_stage_error = _parse_last_stage_error(d.pop("last_stage_error"))


        model_info = cls(
            name=name,
            description=description,
            kind=kind,
            stages=stages,
            enabled=enabled,
            installed=installed,
            reason=reason,
            affected_stages=affected_stages,
            loaded=loaded,
            loads=loads,
            calls=calls,
            items=items,
            version=version,
            packages=packages,
            size_bytes=size_bytes,
            files=files,
            endpoint=endpoint,
            last_load_error=last_load_error,
            last_stage_error=last_stage_error,
        )


        model_info.additional_properties = d
        return model_info

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
