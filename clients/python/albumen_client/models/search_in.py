from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.near_in import NearIn





T = TypeVar("T", bound="SearchIn")



@_attrs_define
class SearchIn:
    """ Structured filters; ``q`` (the query language) adds to them.

        Attributes:
            q (None | str | Unset):
            text (list[str] | Unset):
            not_text (list[str] | Unset):
            date_from (datetime.date | None | Unset):
            date_to (datetime.date | None | Unset):
            taken_after (datetime.datetime | None | Unset):
            taken_before (datetime.datetime | None | Unset):
            cameras (list[str] | Unset):
            lens (None | str | Unset):
            media_type (None | str | Unset):
            rating_min (int | None | Unset):
            favorite (bool | None | Unset):
            people (list[int] | Unset):
            people_names (list[str] | Unset):
            people_mode (str | Unset):  Default: 'all'.
            place (None | str | Unset):
            near (NearIn | None | Unset):
            tags (list[str] | Unset):
            not_tags (list[str] | Unset):
            has_text (bool | None | Unset):
            has_faces (bool | None | Unset):
            category (None | str | Unset): documents in this category (not suggestions)
            has_gps (bool | None | Unset):
            event_id (int | None | Unset):
            album_id (int | None | Unset):
            state (None | str | Unset):
            owner (None | str | Unset):
            semantic (None | str | Unset): a description, matched against what photos show (CLIP, like smart:)
            about (None | str | Unset): search by meaning: what the text of documents and photos is about (like about:),
                ranked by the best passage
            similar_to (int | None | Unset):
            sort (None | str | Unset):
            trashed (bool | Unset):  Default: False.
            facets (list[str] | Unset):
            limit (int | Unset):  Default: 50.
            cursor (None | str | Unset):
     """

    q: None | str | Unset = UNSET
    text: list[str] | Unset = UNSET
    not_text: list[str] | Unset = UNSET
    date_from: datetime.date | None | Unset = UNSET
    date_to: datetime.date | None | Unset = UNSET
    taken_after: datetime.datetime | None | Unset = UNSET
    taken_before: datetime.datetime | None | Unset = UNSET
    cameras: list[str] | Unset = UNSET
    lens: None | str | Unset = UNSET
    media_type: None | str | Unset = UNSET
    rating_min: int | None | Unset = UNSET
    favorite: bool | None | Unset = UNSET
    people: list[int] | Unset = UNSET
    people_names: list[str] | Unset = UNSET
    people_mode: str | Unset = 'all'
    place: None | str | Unset = UNSET
    near: NearIn | None | Unset = UNSET
    tags: list[str] | Unset = UNSET
    not_tags: list[str] | Unset = UNSET
    has_text: bool | None | Unset = UNSET
    has_faces: bool | None | Unset = UNSET
    category: None | str | Unset = UNSET
    has_gps: bool | None | Unset = UNSET
    event_id: int | None | Unset = UNSET
    album_id: int | None | Unset = UNSET
    state: None | str | Unset = UNSET
    owner: None | str | Unset = UNSET
    semantic: None | str | Unset = UNSET
    about: None | str | Unset = UNSET
    similar_to: int | None | Unset = UNSET
    sort: None | str | Unset = UNSET
    trashed: bool | Unset = False
    facets: list[str] | Unset = UNSET
    limit: int | Unset = 50
    cursor: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.near_in import NearIn # noqa: PLC0415
        q: None | str | Unset
        if isinstance(self.q, Unset):
            q = UNSET
        else:
            q = self.q

        text: list[str] | Unset = UNSET
        if not isinstance(self.text, Unset):
            text = self.text



        not_text: list[str] | Unset = UNSET
        if not isinstance(self.not_text, Unset):
            not_text = self.not_text



        date_from: None | str | Unset
        if isinstance(self.date_from, Unset):
            date_from = UNSET
        elif isinstance(self.date_from, datetime.date):
            date_from = self.date_from.isoformat()
        else:
            date_from = self.date_from

        date_to: None | str | Unset
        if isinstance(self.date_to, Unset):
            date_to = UNSET
        elif isinstance(self.date_to, datetime.date):
            date_to = self.date_to.isoformat()
        else:
            date_to = self.date_to

        taken_after: None | str | Unset
        if isinstance(self.taken_after, Unset):
            taken_after = UNSET
        elif isinstance(self.taken_after, datetime.datetime):
            taken_after = self.taken_after.isoformat()
        else:
            taken_after = self.taken_after

        taken_before: None | str | Unset
        if isinstance(self.taken_before, Unset):
            taken_before = UNSET
        elif isinstance(self.taken_before, datetime.datetime):
            taken_before = self.taken_before.isoformat()
        else:
            taken_before = self.taken_before

        cameras: list[str] | Unset = UNSET
        if not isinstance(self.cameras, Unset):
            cameras = self.cameras



        lens: None | str | Unset
        if isinstance(self.lens, Unset):
            lens = UNSET
        else:
            lens = self.lens

        media_type: None | str | Unset
        if isinstance(self.media_type, Unset):
            media_type = UNSET
        else:
            media_type = self.media_type

        rating_min: int | None | Unset
        if isinstance(self.rating_min, Unset):
            rating_min = UNSET
        else:
            rating_min = self.rating_min

        favorite: bool | None | Unset
        if isinstance(self.favorite, Unset):
            favorite = UNSET
        else:
            favorite = self.favorite

        people: list[int] | Unset = UNSET
        if not isinstance(self.people, Unset):
            people = self.people



        people_names: list[str] | Unset = UNSET
        if not isinstance(self.people_names, Unset):
            people_names = self.people_names



        people_mode = self.people_mode

        place: None | str | Unset
        if isinstance(self.place, Unset):
            place = UNSET
        else:
            place = self.place

        near: dict[str, Any] | None | Unset
        if isinstance(self.near, Unset):
            near = UNSET
        elif isinstance(self.near, NearIn):
            near = self.near.to_dict()
        else:
            near = self.near

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags



        not_tags: list[str] | Unset = UNSET
        if not isinstance(self.not_tags, Unset):
            not_tags = self.not_tags



        has_text: bool | None | Unset
        if isinstance(self.has_text, Unset):
            has_text = UNSET
        else:
            has_text = self.has_text

        has_faces: bool | None | Unset
        if isinstance(self.has_faces, Unset):
            has_faces = UNSET
        else:
            has_faces = self.has_faces

        category: None | str | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        else:
            category = self.category

        has_gps: bool | None | Unset
        if isinstance(self.has_gps, Unset):
            has_gps = UNSET
        else:
            has_gps = self.has_gps

        event_id: int | None | Unset
        if isinstance(self.event_id, Unset):
            event_id = UNSET
        else:
            event_id = self.event_id

        album_id: int | None | Unset
        if isinstance(self.album_id, Unset):
            album_id = UNSET
        else:
            album_id = self.album_id

        state: None | str | Unset
        if isinstance(self.state, Unset):
            state = UNSET
        else:
            state = self.state

        owner: None | str | Unset
        if isinstance(self.owner, Unset):
            owner = UNSET
        else:
            owner = self.owner

        semantic: None | str | Unset
        if isinstance(self.semantic, Unset):
            semantic = UNSET
        else:
            semantic = self.semantic

        about: None | str | Unset
        if isinstance(self.about, Unset):
            about = UNSET
        else:
            about = self.about

        similar_to: int | None | Unset
        if isinstance(self.similar_to, Unset):
            similar_to = UNSET
        else:
            similar_to = self.similar_to

        sort: None | str | Unset
        if isinstance(self.sort, Unset):
            sort = UNSET
        else:
            sort = self.sort

        trashed = self.trashed

        facets: list[str] | Unset = UNSET
        if not isinstance(self.facets, Unset):
            facets = self.facets



        limit = self.limit

        cursor: None | str | Unset
        if isinstance(self.cursor, Unset):
            cursor = UNSET
        else:
            cursor = self.cursor


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if q is not UNSET:
            field_dict["q"] = q
        if text is not UNSET:
            field_dict["text"] = text
        if not_text is not UNSET:
            field_dict["not_text"] = not_text
        if date_from is not UNSET:
            field_dict["date_from"] = date_from
        if date_to is not UNSET:
            field_dict["date_to"] = date_to
        if taken_after is not UNSET:
            field_dict["taken_after"] = taken_after
        if taken_before is not UNSET:
            field_dict["taken_before"] = taken_before
        if cameras is not UNSET:
            field_dict["cameras"] = cameras
        if lens is not UNSET:
            field_dict["lens"] = lens
        if media_type is not UNSET:
            field_dict["media_type"] = media_type
        if rating_min is not UNSET:
            field_dict["rating_min"] = rating_min
        if favorite is not UNSET:
            field_dict["favorite"] = favorite
        if people is not UNSET:
            field_dict["people"] = people
        if people_names is not UNSET:
            field_dict["people_names"] = people_names
        if people_mode is not UNSET:
            field_dict["people_mode"] = people_mode
        if place is not UNSET:
            field_dict["place"] = place
        if near is not UNSET:
            field_dict["near"] = near
        if tags is not UNSET:
            field_dict["tags"] = tags
        if not_tags is not UNSET:
            field_dict["not_tags"] = not_tags
        if has_text is not UNSET:
            field_dict["has_text"] = has_text
        if has_faces is not UNSET:
            field_dict["has_faces"] = has_faces
        if category is not UNSET:
            field_dict["category"] = category
        if has_gps is not UNSET:
            field_dict["has_gps"] = has_gps
        if event_id is not UNSET:
            field_dict["event_id"] = event_id
        if album_id is not UNSET:
            field_dict["album_id"] = album_id
        if state is not UNSET:
            field_dict["state"] = state
        if owner is not UNSET:
            field_dict["owner"] = owner
        if semantic is not UNSET:
            field_dict["semantic"] = semantic
        if about is not UNSET:
            field_dict["about"] = about
        if similar_to is not UNSET:
            field_dict["similar_to"] = similar_to
        if sort is not UNSET:
            field_dict["sort"] = sort
        if trashed is not UNSET:
            field_dict["trashed"] = trashed
        if facets is not UNSET:
            field_dict["facets"] = facets
        if limit is not UNSET:
            field_dict["limit"] = limit
        if cursor is not UNSET:
            field_dict["cursor"] = cursor

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.near_in import NearIn # noqa: PLC0415
        d = dict(src_dict)
        def _parse_q(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        q = _parse_q(d.pop("q", UNSET))


        text = cast(list[str], d.pop("text", UNSET))


        not_text = cast(list[str], d.pop("not_text", UNSET))


        def _parse_date_from(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                date_from_type_0 = datetime.date.fromisoformat(data)



                return date_from_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        date_from = _parse_date_from(d.pop("date_from", UNSET))


        def _parse_date_to(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                date_to_type_0 = datetime.date.fromisoformat(data)



                return date_to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        date_to = _parse_date_to(d.pop("date_to", UNSET))


        def _parse_taken_after(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                taken_after_type_0 = datetime.datetime.fromisoformat(data)



                return taken_after_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        taken_after = _parse_taken_after(d.pop("taken_after", UNSET))


        def _parse_taken_before(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                taken_before_type_0 = datetime.datetime.fromisoformat(data)



                return taken_before_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        taken_before = _parse_taken_before(d.pop("taken_before", UNSET))


        cameras = cast(list[str], d.pop("cameras", UNSET))


        def _parse_lens(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        lens = _parse_lens(d.pop("lens", UNSET))


        def _parse_media_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        media_type = _parse_media_type(d.pop("media_type", UNSET))


        def _parse_rating_min(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rating_min = _parse_rating_min(d.pop("rating_min", UNSET))


        def _parse_favorite(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        favorite = _parse_favorite(d.pop("favorite", UNSET))


        people = cast(list[int], d.pop("people", UNSET))


        people_names = cast(list[str], d.pop("people_names", UNSET))


        people_mode = d.pop("people_mode", UNSET)

        def _parse_place(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        place = _parse_place(d.pop("place", UNSET))


        def _parse_near(data: object) -> NearIn | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                near_type_0 = NearIn.from_dict(data)



                return near_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(NearIn | None | Unset, data)

        near = _parse_near(d.pop("near", UNSET))


        tags = cast(list[str], d.pop("tags", UNSET))


        not_tags = cast(list[str], d.pop("not_tags", UNSET))


        def _parse_has_text(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        has_text = _parse_has_text(d.pop("has_text", UNSET))


        def _parse_has_faces(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        has_faces = _parse_has_faces(d.pop("has_faces", UNSET))


        def _parse_category(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        category = _parse_category(d.pop("category", UNSET))


        def _parse_has_gps(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        has_gps = _parse_has_gps(d.pop("has_gps", UNSET))


        def _parse_event_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        event_id = _parse_event_id(d.pop("event_id", UNSET))


        def _parse_album_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        album_id = _parse_album_id(d.pop("album_id", UNSET))


        def _parse_state(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        state = _parse_state(d.pop("state", UNSET))


        def _parse_owner(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        owner = _parse_owner(d.pop("owner", UNSET))


        def _parse_semantic(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        semantic = _parse_semantic(d.pop("semantic", UNSET))


        def _parse_about(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        about = _parse_about(d.pop("about", UNSET))


        def _parse_similar_to(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        similar_to = _parse_similar_to(d.pop("similar_to", UNSET))


        def _parse_sort(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sort = _parse_sort(d.pop("sort", UNSET))


        trashed = d.pop("trashed", UNSET)

        facets = cast(list[str], d.pop("facets", UNSET))


        limit = d.pop("limit", UNSET)

        def _parse_cursor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cursor = _parse_cursor(d.pop("cursor", UNSET))


        search_in = cls(
            q=q,
            text=text,
            not_text=not_text,
            date_from=date_from,
            date_to=date_to,
            taken_after=taken_after,
            taken_before=taken_before,
            cameras=cameras,
            lens=lens,
            media_type=media_type,
            rating_min=rating_min,
            favorite=favorite,
            people=people,
            people_names=people_names,
            people_mode=people_mode,
            place=place,
            near=near,
            tags=tags,
            not_tags=not_tags,
            has_text=has_text,
            has_faces=has_faces,
            category=category,
            has_gps=has_gps,
            event_id=event_id,
            album_id=album_id,
            state=state,
            owner=owner,
            semantic=semantic,
            about=about,
            similar_to=similar_to,
            sort=sort,
            trashed=trashed,
            facets=facets,
            limit=limit,
            cursor=cursor,
        )


        search_in.additional_properties = d
        return search_in

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
