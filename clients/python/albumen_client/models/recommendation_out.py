from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.recommendation_out_source import RecommendationOutSource
from typing import cast

if TYPE_CHECKING:
  from ..models.asset_out import AssetOut





T = TypeVar("T", bound="RecommendationOut")



@_attrs_define
class RecommendationOut:
    """ 
        Attributes:
            asset (AssetOut): An asset as lists and search results give it (compact: no raw metadata, the first part
                of its text).
            score (float): higher is a better match (comparable within one list)
            reason (str): why, for people: "because you liked photos with Anna"
            source (RecommendationOutSource): collaborative: from what people like you engaged with; content: from who is in
                it (newer than the model); popular: most engaged-with
     """

    asset: AssetOut
    score: float
    reason: str
    source: RecommendationOutSource
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.asset_out import AssetOut # noqa: PLC0415
        asset = self.asset.to_dict()

        score = self.score

        reason = self.reason

        source = self.source.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "asset": asset,
            "score": score,
            "reason": reason,
            "source": source,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.asset_out import AssetOut # noqa: PLC0415
        d = dict(src_dict)
        asset = AssetOut.from_dict(d.pop("asset"))




        score = d.pop("score")

        reason = d.pop("reason")

        source = RecommendationOutSource(d.pop("source"))




        recommendation_out = cls(
            asset=asset,
            score=score,
            reason=reason,
            source=source,
        )


        recommendation_out.additional_properties = d
        return recommendation_out

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
