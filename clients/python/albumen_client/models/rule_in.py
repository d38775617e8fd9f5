from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.rule_in_algorithm import RuleInAlgorithm
from ..types import UNSET, Unset






T = TypeVar("T", bound="RuleIn")



@_attrs_define
class RuleIn:
    """ 
        Attributes:
            category (str):
            algorithm (RuleInAlgorithm): any: any of the words; all: all of them; literal: the exact phrase; regex: a
                regular expression; fuzzy: the phrase, allowing for OCR slips
            pattern (str):
            case_sensitive (bool | Unset):  Default: False.
     """

    category: str
    algorithm: RuleInAlgorithm
    pattern: str
    case_sensitive: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        category = self.category

        algorithm = self.algorithm.value

        pattern = self.pattern

        case_sensitive = self.case_sensitive


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "category": category,
            "algorithm": algorithm,
            "pattern": pattern,
        })
        if case_sensitive is not UNSET:
            field_dict["case_sensitive"] = case_sensitive

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        category = d.pop("category")

        algorithm = RuleInAlgorithm(d.pop("algorithm"))




        pattern = d.pop("pattern")

        case_sensitive = d.pop("case_sensitive", UNSET)

        rule_in = cls(
            category=category,
            algorithm=algorithm,
            pattern=pattern,
            case_sensitive=case_sensitive,
        )


        rule_in.additional_properties = d
        return rule_in

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
