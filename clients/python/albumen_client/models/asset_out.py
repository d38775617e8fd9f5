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
  from ..models.asset_links import AssetLinks
  from ..models.asset_out_screening_type_0 import AssetOutScreeningType0
  from ..models.asset_place import AssetPlace
  from ..models.document_out import DocumentOut
  from ..models.location import Location
  from ..models.person_in_photo import PersonInPhoto
  from ..models.source_out import SourceOut
  from ..models.stage_out import StageOut
  from ..models.tag_out import TagOut
  from ..models.video_out import VideoOut





T = TypeVar("T", bound="AssetOut")



@_attrs_define
class AssetOut:
    """ An asset as lists and search results give it (compact: no raw metadata, the first part
    of its text).

        Attributes:
            id (int): the asset's id
            sha256 (str): SHA-256 of the original bytes (hex)
            size (int): size of the original in bytes
            media_type (str): image, video or document
            mime_type (str): the original's content type, read from its bytes
            format_ (str): the original's format: jpeg, heic, png, ...
            original_filename (str): the file's name as it first arrived
            sources (list[SourceOut]): every upload or import that carried these bytes (exact duplicates are one asset with
                several sources)
            state (str): processing, ready or failed
            failure_reason (None | str): why processing failed (null unless failed)
            stages (list[StageOut]): the state of each processing stage
            created_at (datetime.datetime): when albumen received it
            deleted_at (datetime.datetime | None): when it was moved to the trash
            taken_at (datetime.datetime | None): UTC instant of capture
            taken_at_local (None | str): wall-clock time written by the camera
            taken_at_offset_minutes (int | None): the camera's offset from UTC in minutes, when the file says it
            width (int | None): pixels across, upright
            height (int | None): pixels down, upright
            orientation (int | None): EXIF orientation of the original (1-8)
            camera_make (None | str): camera maker
            camera_model (None | str): camera model
            lens (None | str): lens model
            exposure_time (float | None): exposure in seconds
            f_number (float | None): aperture (f-number)
            iso (int | None): ISO speed
            focal_length (float | None): focal length in millimetres
            location (Location | None): GPS position, when the file has one
            place (AssetPlace | None): the named place of the GPS position
            people (list[PersonInPhoto]): the faces found, with who they are
            rating (int | None): 0-5 stars
            label (None | str): colour label (Red, Yellow, Green, Blue, Purple)
            title (None | str): title (from the file or given)
            description (None | str): description (from the file or given)
            caption (None | str): from the optional vision-language model
            keywords (list[str]): a photo's keywords as its file (or sidecar) carried them; a document's key terms, most
                telling first
            keyword_paths (list[str]): hierarchical keywords as read (lr:hierarchicalSubject, 'Places|France')
            tags (list[TagOut]): tags with their source and confidence
            text (str): text found in the photo (OCR), line by line in reading order, or a document's text, page by page (a
                blank line between pages); only its first part when text_truncated
            pages (int | None): a document's page count (null for photos)
            language (None | str): a document's language (ISO 639-1)
            summary (None | str): a document's most telling sentences
            category (None | str): a document's category: given by a person, matched by a rule or predicted
            category_confidence (float | None): how sure the prediction is (0..1); 1 for a person's or a rule's
            category_source (None | str): user, rule or model
            category_suggested (bool): true when the category is a prediction too unsure to count as a fact: shown as a
                suggestion, not used by the category filter
            document (DocumentOut | None): a PDF's own metadata (null for photos)
            text_truncated (bool): true when text is only the first part: links.text gives the whole
            favorite (bool): marked as a favourite
            thumbhash (None | str): ThumbHash placeholder (base64)
            phash (None | str): 64-bit perceptual hash (hex)
            event_id (int | None): the event it belongs to
            stack_id (int | None): the burst this photo belongs to
            stack_cover (bool): the best photo of its burst (shown on top)
            moderation (str): approved, pending_review or rejected
            moderation_note (None | str): why it is held or rejected
            screening (AssetOutScreeningType0 | None): nudity score and labels, sharpness, brightness, and flags with
                reasons
            links (AssetLinks):
            duration (float | None | Unset): a video's length in seconds
            video (None | Unset | VideoOut): what a video is (null for photos and documents)
            motion_id (int | None | Unset): a Live Photo's or motion photo's clip: the video asset shown with it (lists
                leave it out)
            motion_of_id (int | None | Unset): for such a clip: its photo
            tier (str | Unset): curation tier: bronze (as it arrived), silver (reviewed), gold (selected, metadata
                complete); GET /api/v1/tiers Default: 'bronze'.
            gold_needs (list[str] | Unset): what it lacks to be gold (empty: complete)
     """

    id: int
    sha256: str
    size: int
    media_type: str
    mime_type: str
    format_: str
    original_filename: str
    sources: list[SourceOut]
    state: str
    failure_reason: None | str
    stages: list[StageOut]
    created_at: datetime.datetime
    deleted_at: datetime.datetime | None
    taken_at: datetime.datetime | None
    taken_at_local: None | str
    taken_at_offset_minutes: int | None
    width: int | None
    height: int | None
    orientation: int | None
    camera_make: None | str
    camera_model: None | str
    lens: None | str
    exposure_time: float | None
    f_number: float | None
    iso: int | None
    focal_length: float | None
    location: Location | None
    place: AssetPlace | None
    people: list[PersonInPhoto]
    rating: int | None
    label: None | str
    title: None | str
    description: None | str
    caption: None | str
    keywords: list[str]
    keyword_paths: list[str]
    tags: list[TagOut]
    text: str
    pages: int | None
    language: None | str
    summary: None | str
    category: None | str
    category_confidence: float | None
    category_source: None | str
    category_suggested: bool
    document: DocumentOut | None
    text_truncated: bool
    favorite: bool
    thumbhash: None | str
    phash: None | str
    event_id: int | None
    stack_id: int | None
    stack_cover: bool
    moderation: str
    moderation_note: None | str
    screening: AssetOutScreeningType0 | None
    links: AssetLinks
    duration: float | None | Unset = UNSET
    video: None | Unset | VideoOut = UNSET
    motion_id: int | None | Unset = UNSET
    motion_of_id: int | None | Unset = UNSET
    tier: str | Unset = 'bronze'
    gold_needs: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.asset_links import AssetLinks # noqa: PLC0415
        from ..models.asset_out_screening_type_0 import AssetOutScreeningType0 # noqa: PLC0415
        from ..models.asset_place import AssetPlace # noqa: PLC0415
        from ..models.document_out import DocumentOut # noqa: PLC0415
        from ..models.location import Location # noqa: PLC0415
        from ..models.person_in_photo import PersonInPhoto # noqa: PLC0415
        from ..models.source_out import SourceOut # noqa: PLC0415
        from ..models.stage_out import StageOut # noqa: PLC0415
        from ..models.tag_out import TagOut # noqa: PLC0415
        from ..models.video_out import VideoOut # noqa: PLC0415
        id = self.id

        sha256 = self.sha256

        size = self.size

        media_type = self.media_type

        mime_type = self.mime_type

        format_ = self.format_

        original_filename = self.original_filename

        sources = []
        for sources_item_data in self.sources:
            sources_item = sources_item_data.to_dict()
            sources.append(sources_item)



        state = self.state

        failure_reason: None | str
        failure_reason = self.failure_reason

        stages = []
        for stages_item_data in self.stages:
            stages_item = stages_item_data.to_dict()
            stages.append(stages_item)



        created_at = self.created_at.isoformat()

        deleted_at: None | str
        if isinstance(self.deleted_at, datetime.datetime):
            deleted_at = self.deleted_at.isoformat()
        else:
            deleted_at = self.deleted_at

        taken_at: None | str
        if isinstance(self.taken_at, datetime.datetime):
            taken_at = self.taken_at.isoformat()
        else:
            taken_at = self.taken_at

        taken_at_local: None | str
        taken_at_local = self.taken_at_local

        taken_at_offset_minutes: int | None
        taken_at_offset_minutes = self.taken_at_offset_minutes

        width: int | None
        width = self.width

        height: int | None
        height = self.height

        orientation: int | None
        orientation = self.orientation

        camera_make: None | str
        camera_make = self.camera_make

        camera_model: None | str
        camera_model = self.camera_model

        lens: None | str
        lens = self.lens

        exposure_time: float | None
        exposure_time = self.exposure_time

        f_number: float | None
        f_number = self.f_number

        iso: int | None
        iso = self.iso

        focal_length: float | None
        focal_length = self.focal_length

        location: dict[str, Any] | None
        if isinstance(self.location, Location):
            location = self.location.to_dict()
        else:
            location = self.location

        place: dict[str, Any] | None
        if isinstance(self.place, AssetPlace):
            place = self.place.to_dict()
        else:
            place = self.place

        people = []
        for people_item_data in self.people:
            people_item = people_item_data.to_dict()
            people.append(people_item)



        rating: int | None
        rating = self.rating

        label: None | str
        label = self.label

        title: None | str
        title = self.title

        description: None | str
        description = self.description

        caption: None | str
        caption = self.caption

        keywords = self.keywords



        keyword_paths = self.keyword_paths



        tags = []
        for tags_item_data in self.tags:
            tags_item = tags_item_data.to_dict()
            tags.append(tags_item)



        text = self.text

        pages: int | None
        pages = self.pages

        language: None | str
        language = self.language

        summary: None | str
        summary = self.summary

        category: None | str
        category = self.category

        category_confidence: float | None
        category_confidence = self.category_confidence

        category_source: None | str
        category_source = self.category_source

        category_suggested = self.category_suggested

        document: dict[str, Any] | None
        if isinstance(self.document, DocumentOut):
            document = self.document.to_dict()
        else:
            document = self.document

        text_truncated = self.text_truncated

        favorite = self.favorite

        thumbhash: None | str
        thumbhash = self.thumbhash

        phash: None | str
        phash = self.phash

        event_id: int | None
        event_id = self.event_id

        stack_id: int | None
        stack_id = self.stack_id

        stack_cover = self.stack_cover

        moderation = self.moderation

        moderation_note: None | str
        moderation_note = self.moderation_note

        screening: dict[str, Any] | None
        if isinstance(self.screening, AssetOutScreeningType0):
            screening = self.screening.to_dict()
        else:
            screening = self.screening

        links = self.links.to_dict()

        duration: float | None | Unset
        if isinstance(self.duration, Unset):
            duration = UNSET
        else:
            duration = self.duration

        video: dict[str, Any] | None | Unset
        if isinstance(self.video, Unset):
            video = UNSET
        elif isinstance(self.video, VideoOut):
            video = self.video.to_dict()
        else:
            video = self.video

        motion_id: int | None | Unset
        if isinstance(self.motion_id, Unset):
            motion_id = UNSET
        else:
            motion_id = self.motion_id

        motion_of_id: int | None | Unset
        if isinstance(self.motion_of_id, Unset):
            motion_of_id = UNSET
        else:
            motion_of_id = self.motion_of_id

        tier = self.tier

        gold_needs: list[str] | Unset = UNSET
        if not isinstance(self.gold_needs, Unset):
            gold_needs = self.gold_needs




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "sha256": sha256,
            "size": size,
            "media_type": media_type,
            "mime_type": mime_type,
            "format": format_,
            "original_filename": original_filename,
            "sources": sources,
            "state": state,
            "failure_reason": failure_reason,
            "stages": stages,
            "created_at": created_at,
            "deleted_at": deleted_at,
            "taken_at": taken_at,
            "taken_at_local": taken_at_local,
            "taken_at_offset_minutes": taken_at_offset_minutes,
            "width": width,
            "height": height,
            "orientation": orientation,
            "camera_make": camera_make,
            "camera_model": camera_model,
            "lens": lens,
            "exposure_time": exposure_time,
            "f_number": f_number,
            "iso": iso,
            "focal_length": focal_length,
            "location": location,
            "place": place,
            "people": people,
            "rating": rating,
            "label": label,
            "title": title,
            "description": description,
            "caption": caption,
            "keywords": keywords,
            "keyword_paths": keyword_paths,
            "tags": tags,
            "text": text,
            "pages": pages,
            "language": language,
            "summary": summary,
            "category": category,
            "category_confidence": category_confidence,
            "category_source": category_source,
            "category_suggested": category_suggested,
            "document": document,
            "text_truncated": text_truncated,
            "favorite": favorite,
            "thumbhash": thumbhash,
            "phash": phash,
            "event_id": event_id,
            "stack_id": stack_id,
            "stack_cover": stack_cover,
            "moderation": moderation,
            "moderation_note": moderation_note,
            "screening": screening,
            "links": links,
        })
        if duration is not UNSET:
            field_dict["duration"] = duration
        if video is not UNSET:
            field_dict["video"] = video
        if motion_id is not UNSET:
            field_dict["motion_id"] = motion_id
        if motion_of_id is not UNSET:
            field_dict["motion_of_id"] = motion_of_id
        if tier is not UNSET:
            field_dict["tier"] = tier
        if gold_needs is not UNSET:
            field_dict["gold_needs"] = gold_needs

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.asset_links import AssetLinks # noqa: PLC0415
        from ..models.asset_out_screening_type_0 import AssetOutScreeningType0 # noqa: PLC0415
        from ..models.asset_place import AssetPlace # noqa: PLC0415
        from ..models.document_out import DocumentOut # noqa: PLC0415
        from ..models.location import Location # noqa: PLC0415
        from ..models.person_in_photo import PersonInPhoto # noqa: PLC0415
        from ..models.source_out import SourceOut # noqa: PLC0415
        from ..models.stage_out import StageOut # noqa: PLC0415
        from ..models.tag_out import TagOut # noqa: PLC0415
        from ..models.video_out import VideoOut # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        sha256 = d.pop("sha256")

        size = d.pop("size")

        media_type = d.pop("media_type")

        mime_type = d.pop("mime_type")

        format_ = d.pop("format")

        original_filename = d.pop("original_filename")

        sources = []
        _sources = d.pop("sources")
        for sources_item_data in (_sources):
            sources_item = SourceOut.from_dict(sources_item_data)



            sources.append(sources_item)


        state = d.pop("state")

        def _parse_failure_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        failure_reason = _parse_failure_reason(d.pop("failure_reason"))


        stages = []
        _stages = d.pop("stages")
        for stages_item_data in (_stages):
            stages_item = StageOut.from_dict(stages_item_data)



            stages.append(stages_item)


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        def _parse_deleted_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deleted_at_type_0 = datetime.datetime.fromisoformat(data)



                return deleted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        deleted_at = _parse_deleted_at(d.pop("deleted_at"))


        def _parse_taken_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                taken_at_type_0 = datetime.datetime.fromisoformat(data)



                return taken_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        taken_at = _parse_taken_at(d.pop("taken_at"))


        def _parse_taken_at_local(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        taken_at_local = _parse_taken_at_local(d.pop("taken_at_local"))


        def _parse_taken_at_offset_minutes(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        taken_at_offset_minutes = _parse_taken_at_offset_minutes(d.pop("taken_at_offset_minutes"))


        def _parse_width(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        width = _parse_width(d.pop("width"))


        def _parse_height(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        height = _parse_height(d.pop("height"))


        def _parse_orientation(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        orientation = _parse_orientation(d.pop("orientation"))


        def _parse_camera_make(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        camera_make = _parse_camera_make(d.pop("camera_make"))


        def _parse_camera_model(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        camera_model = _parse_camera_model(d.pop("camera_model"))


        def _parse_lens(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        lens = _parse_lens(d.pop("lens"))


        def _parse_exposure_time(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        exposure_time = _parse_exposure_time(d.pop("exposure_time"))


        def _parse_f_number(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        f_number = _parse_f_number(d.pop("f_number"))


        def _parse_iso(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        iso = _parse_iso(d.pop("iso"))


        def _parse_focal_length(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        focal_length = _parse_focal_length(d.pop("focal_length"))


        def _parse_location(data: object) -> Location | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                location_type_0 = Location.from_dict(data)



                return location_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Location | None, data)

        location = _parse_location(d.pop("location"))


        def _parse_place(data: object) -> AssetPlace | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                place_type_0 = AssetPlace.from_dict(data)



                return place_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AssetPlace | None, data)

        place = _parse_place(d.pop("place"))


        people = []
        _people = d.pop("people")
        for people_item_data in (_people):
            people_item = PersonInPhoto.from_dict(people_item_data)



            people.append(people_item)


        def _parse_rating(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        rating = _parse_rating(d.pop("rating"))


        def _parse_label(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        label = _parse_label(d.pop("label"))


        def _parse_title(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        title = _parse_title(d.pop("title"))


        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))


        def _parse_caption(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        caption = _parse_caption(d.pop("caption"))


        keywords = cast(list[str], d.pop("keywords"))


        keyword_paths = cast(list[str], d.pop("keyword_paths"))


        tags = []
        _tags = d.pop("tags")
        for tags_item_data in (_tags):
            tags_item = TagOut.from_dict(tags_item_data)



            tags.append(tags_item)


        text = d.pop("text")

        def _parse_pages(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        pages = _parse_pages(d.pop("pages"))


        def _parse_language(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        language = _parse_language(d.pop("language"))


        def _parse_summary(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        summary = _parse_summary(d.pop("summary"))


        def _parse_category(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        category = _parse_category(d.pop("category"))


        def _parse_category_confidence(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        category_confidence = _parse_category_confidence(d.pop("category_confidence"))


        def _parse_category_source(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        category_source = _parse_category_source(d.pop("category_source"))


        category_suggested = d.pop("category_suggested")

        def _parse_document(data: object) -> DocumentOut | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                document_type_0 = DocumentOut.from_dict(data)



                return document_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DocumentOut | None, data)

        document = _parse_document(d.pop("document"))


        text_truncated = d.pop("text_truncated")

        favorite = d.pop("favorite")

        def _parse_thumbhash(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        thumbhash = _parse_thumbhash(d.pop("thumbhash"))


        def _parse_phash(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        phash = _parse_phash(d.pop("phash"))


        def _parse_event_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        event_id = _parse_event_id(d.pop("event_id"))


        def _parse_stack_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        stack_id = _parse_stack_id(d.pop("stack_id"))


        stack_cover = d.pop("stack_cover")

        moderation = d.pop("moderation")

        def _parse_moderation_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        moderation_note = _parse_moderation_note(d.pop("moderation_note"))


        def _parse_screening(data: object) -> AssetOutScreeningType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                screening_type_0 = AssetOutScreeningType0.from_dict(data)



                return screening_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AssetOutScreeningType0 | None, data)

        screening = _parse_screening(d.pop("screening"))


        links = AssetLinks.from_dict(d.pop("links"))




        def _parse_duration(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        duration = _parse_duration(d.pop("duration", UNSET))


        def _parse_video(data: object) -> None | Unset | VideoOut:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                video_type_0 = VideoOut.from_dict(data)



                return video_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | VideoOut, data)

        video = _parse_video(d.pop("video", UNSET))


        def _parse_motion_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        motion_id = _parse_motion_id(d.pop("motion_id", UNSET))


        def _parse_motion_of_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        motion_of_id = _parse_motion_of_id(d.pop("motion_of_id", UNSET))


        tier = d.pop("tier", UNSET)

        gold_needs = cast(list[str], d.pop("gold_needs", UNSET))


        asset_out = cls(
            id=id,
            sha256=sha256,
            size=size,
            media_type=media_type,
            mime_type=mime_type,
            format_=format_,
            original_filename=original_filename,
            sources=sources,
            state=state,
            failure_reason=failure_reason,
            stages=stages,
            created_at=created_at,
            deleted_at=deleted_at,
            taken_at=taken_at,
            taken_at_local=taken_at_local,
            taken_at_offset_minutes=taken_at_offset_minutes,
            width=width,
            height=height,
            orientation=orientation,
            camera_make=camera_make,
            camera_model=camera_model,
            lens=lens,
            exposure_time=exposure_time,
            f_number=f_number,
            iso=iso,
            focal_length=focal_length,
            location=location,
            place=place,
            people=people,
            rating=rating,
            label=label,
            title=title,
            description=description,
            caption=caption,
            keywords=keywords,
            keyword_paths=keyword_paths,
            tags=tags,
            text=text,
            pages=pages,
            language=language,
            summary=summary,
            category=category,
            category_confidence=category_confidence,
            category_source=category_source,
            category_suggested=category_suggested,
            document=document,
            text_truncated=text_truncated,
            favorite=favorite,
            thumbhash=thumbhash,
            phash=phash,
            event_id=event_id,
            stack_id=stack_id,
            stack_cover=stack_cover,
            moderation=moderation,
            moderation_note=moderation_note,
            screening=screening,
            links=links,
            duration=duration,
            video=video,
            motion_id=motion_id,
            motion_of_id=motion_of_id,
            tier=tier,
            gold_needs=gold_needs,
        )


        asset_out.additional_properties = d
        return asset_out

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
