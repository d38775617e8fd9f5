"""Bounded parameter types: ids and counts the database columns can actually hold, so an
out-of-range number is a 422 naming the parameter, never a database error."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from pydantic import Field

MAX_ID = 2**63 - 1  # BIGINT
MAX_INT32 = 2**31 - 1  # INTEGER columns (counts, limits)

IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
IdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Count = Annotated[int, Field(ge=0, le=MAX_INT32)]
Bytes = Annotated[int, Field(ge=0, le=MAX_ID)]
