from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.asset_out import AssetOut
  from ..models.related_out_signals import RelatedOutSignals





T = TypeVar("T", bound="RelatedOut")



@_attrs_define
class RelatedOut:
    """ 
        Attributes:
            asset (AssetOut): An asset as lists and search results give it (compact: no raw metadata, the first part
                of its text).
            score (float): the weighted sum of the signals (comparable within one list)
            reasons (list[str]): the strongest signals in words: "with Anna", "taken 12 min apart", "looks alike"
            signals (RelatedOutSignals): each signal's score, 0 .. 1: clip, look, people, burst, text, place, time
     """

    asset: AssetOut
    score: float
    reasons: list[str]
    signals: RelatedOutSignals
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.asset_out import AssetOut # noqa: PLC0415
        from ..models.related_out_signals import RelatedOutSignals # noqa: PLC0415
        asset = self.asset.to_dict()

        score = self.score

        reasons = self.reasons



        signals = self.signals.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "asset": asset,
            "score": score,
            "reasons": reasons,
            "signals": signals,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.asset_out import AssetOut # noqa: PLC0415
        from ..models.related_out_signals import RelatedOutSignals # noqa: PLC0415
        d = dict(src_dict)
        asset = AssetOut.from_dict(d.pop("asset"))




        score = d.pop("score")

        reasons = cast(list[str], d.pop("reasons"))


        signals = RelatedOutSignals.from_dict(d.pop("signals"))




        related_out = cls(
            asset=asset,
            score=score,
            reasons=reasons,
            signals=signals,
        )


        related_out.additional_properties = d
        return related_out

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
