from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="DocumentOut")



@_attrs_define
class DocumentOut:
    """ What a document (a PDF) says of itself. Attachments and scripts inside it are
    counted, never run, extracted or served.

        Attributes:
            title (None | str): the document's own title
            author (None | str): its author
            subject (None | str): its subject
            keywords (None | str): the keywords it carries, as written
            creator (None | str): the application that made it
            producer (None | str): the application that wrote the PDF
            created (datetime.datetime | None): when it was created, as it says
            modified (datetime.datetime | None): when it was last changed, as it says
            page_width (float): width of the first page in points (1/72 inch)
            page_height (float): height of the first page in points
            attachments (int): files embedded in it (never served)
            has_javascript (bool): whether it carries scripts (never run)
            pages_read (int): pages with text: from the text layer or read (OCR)
            pages_ocr (int): pages whose text was read from their pixels
     """

    title: None | str
    author: None | str
    subject: None | str
    keywords: None | str
    creator: None | str
    producer: None | str
    created: datetime.datetime | None
    modified: datetime.datetime | None
    page_width: float
    page_height: float
    attachments: int
    has_javascript: bool
    pages_read: int
    pages_ocr: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        title: None | str
        title = self.title

        author: None | str
        author = self.author

        subject: None | str
        subject = self.subject

        keywords: None | str
        keywords = self.keywords

        creator: None | str
        creator = self.creator

        producer: None | str
        producer = self.producer

        created: None | str
        if isinstance(self.created, datetime.datetime):
            created = self.created.isoformat()
        else:
            created = self.created

        modified: None | str
        if isinstance(self.modified, datetime.datetime):
            modified = self.modified.isoformat()
        else:
            modified = self.modified

        page_width = self.page_width

        page_height = self.page_height

        attachments = self.attachments

        has_javascript = self.has_javascript

        pages_read = self.pages_read

        pages_ocr = self.pages_ocr


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "title": title,
            "author": author,
            "subject": subject,
            "keywords": keywords,
            "creator": creator,
            "producer": producer,
            "created": created,
            "modified": modified,
            "page_width": page_width,
            "page_height": page_height,
            "attachments": attachments,
            "has_javascript": has_javascript,
            "pages_read": pages_read,
            "pages_ocr": pages_ocr,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_title(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        title = _parse_title(d.pop("title"))


        def _parse_author(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        author = _parse_author(d.pop("author"))


        def _parse_subject(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        subject = _parse_subject(d.pop("subject"))


        def _parse_keywords(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        keywords = _parse_keywords(d.pop("keywords"))


        def _parse_creator(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        creator = _parse_creator(d.pop("creator"))


        def _parse_producer(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        producer = _parse_producer(d.pop("producer"))


        def _parse_created(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_type_0 = datetime.datetime.fromisoformat(data)



                return created_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        created = _parse_created(d.pop("created"))


        def _parse_modified(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                modified_type_0 = datetime.datetime.fromisoformat(data)



                return modified_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        modified = _parse_modified(d.pop("modified"))


        page_width = d.pop("page_width")

        page_height = d.pop("page_height")

        attachments = d.pop("attachments")

        has_javascript = d.pop("has_javascript")

        pages_read = d.pop("pages_read")

        pages_ocr = d.pop("pages_ocr")

        document_out = cls(
            title=title,
            author=author,
            subject=subject,
            keywords=keywords,
            creator=creator,
            producer=producer,
            created=created,
            modified=modified,
            page_width=page_width,
            page_height=page_height,
            attachments=attachments,
            has_javascript=has_javascript,
            pages_read=pages_read,
            pages_ocr=pages_ocr,
        )


        document_out.additional_properties = d
        return document_out

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
