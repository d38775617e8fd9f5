"""Streaming multipart/form-data: the file part is handed on chunk by chunk, never buffered.

Runs in a worker thread: raw request chunks are pulled from the event loop with
``anyio.from_thread``, parsed with python-multipart's push parser, and the file part's bytes
are yielded to the ingest service as they arrive.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Iterator

import anyio.from_thread
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from albumen.errors import InvalidInput

MAX_FIELD_BYTES = 64 * 1024


def boundary_of(content_type: str | None) -> bytes:
    mime, params = parse_options_header(content_type or "")
    if mime != b"multipart/form-data" or b"boundary" not in params:
        raise InvalidInput(
            "upload must be multipart/form-data with a 'file' part",
            details={"content_type": content_type},
        )
    return params[b"boundary"]


PULL_BYTES = 1024 * 1024


def pull(stream: AsyncIterator[bytes], batch: int = PULL_BYTES) -> Iterator[bytes]:
    """Iterate an async byte stream from a worker thread. Each trip into the event loop takes
    what has arrived up to ``batch`` bytes (a network chunk is often a few KB; one trip per
    chunk kept the loop busy under many concurrent uploads)."""
    done = False
    while not done:
        chunks, done = anyio.from_thread.run(_gather, stream, batch)
        yield from chunks


async def _gather(stream: AsyncIterator[bytes], batch: int) -> tuple[list[bytes], bool]:
    chunks: list[bytes] = []
    size = 0
    while size < batch:
        try:
            chunk = await stream.__anext__()
        except StopAsyncIteration:
            return chunks, True
        if chunk:
            chunks.append(chunk)
            size += len(chunk)
    return chunks, False


class MultipartReader:
    def __init__(self, raw: Iterator[bytes], boundary: bytes) -> None:
        self._raw = raw
        self._events: deque[tuple[str, object]] = deque()
        self._header_field = b""
        self._header_value = b""
        self._headers: dict[str, bytes] = {}
        self.fields: dict[str, str] = {}
        self._parser = MultipartParser(boundary, callbacks={
            "on_part_begin": self._part_begin,
            "on_part_data": self._part_data,
            "on_part_end": lambda: self._events.append(("end", None)),
            "on_header_field": self._field,
            "on_header_value": self._value,
            "on_header_end": self._header_end,
            "on_headers_finished": lambda: self._events.append(("headers", self._headers)),
        })

    # parser callbacks
    def _part_begin(self) -> None:
        self._headers = {}

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        self._events.append(("data", bytes(data[start:end])))

    def _field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def _value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._header_field.decode("latin-1").lower()] = self._header_value
        self._header_field = self._header_value = b""

    def _next(self) -> tuple[str, object] | None:
        while not self._events:
            chunk = next(self._raw, None)
            try:
                if chunk is None:
                    self._parser.finalize()
                    return self._events.popleft() if self._events else None
                self._parser.write(chunk)
            except MultipartParseError as exc:
                raise InvalidInput(f"malformed multipart body: {exc}") from exc
        return self._events.popleft()

    def next_file(self, field: str = "file") -> bytes | str:
        """Advance to the file part named ``field``; return its filename (bytes if not UTF-8).

        Small text fields before it are collected in ``fields``.
        """
        while (event := self._next()) is not None:
            kind, value = event
            if kind != "headers":
                continue
            assert isinstance(value, dict)
            _, params = parse_options_header(value.get("content-disposition", b""))
            name = params.get(b"name", b"").decode("utf-8", "replace")
            if name == field:
                raw = params.get(b"filename", b"")
                try:
                    return raw.decode("utf-8")
                except UnicodeDecodeError:
                    return raw
            self.fields[name] = self._read_field()
        raise InvalidInput(f"no '{field}' part in the upload")

    def _read_field(self) -> str:
        data = b""
        while (event := self._next()) is not None and event[0] == "data":
            data += event[1]  # type: ignore[operator]
            if len(data) > MAX_FIELD_BYTES:
                raise InvalidInput("form field too large")
        return data.decode("utf-8", "replace")

    def file_chunks(self) -> Iterator[bytes]:
        while (event := self._next()) is not None:
            kind, value = event
            if kind == "data":
                yield value  # type: ignore[misc]
            elif kind == "end":
                return
        raise InvalidInput("upload ended before the file part was complete")
