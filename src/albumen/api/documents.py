"""/api/v1/documents: classify a file or a text without storing it, the rules that give
categories, and the state of the library's classifier (labels: PATCH /api/v1/assets/{id})."""

from __future__ import annotations

import json
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field, ValidationError

from albumen.api.deps import ActorDep, PrincipalDep, RuntimeDep, SessionDep
from albumen.api.errors import ERRORS
from albumen.api.types import IdPath
from albumen.documents import service as svc
from albumen.errors import InvalidInput, TooLarge

router = APIRouter(prefix="/api/v1/documents", tags=["documents"], responses=ERRORS)
MAX_TEXT = 1_000_000


class TextIn(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_TEXT, description="the text to classify")


class KeywordOut(BaseModel):
    term: str
    score: float = Field(description="YAKE's score: lower is more telling")


class Classified(BaseModel):
    language: str | None = Field(description="ISO 639-1 code")
    keywords: list[KeywordOut]
    summary: str | None = Field(description="the most central sentences, in order")
    category: str | None = Field(description="a rule's category, else the classifier's "
                                             "prediction (null: no rule matched and no "
                                             "classifier yet)")
    category_confidence: float | None
    category_source: str | None = Field(description="rule or model")
    category_suggested: bool = Field(description="an unsure prediction: a suggestion only")
    text_chars: int = Field(description="characters of text read from what was sent")


def _out(found: svc.Analysis, chars: int) -> Classified:
    return Classified(language=found.language,
                      keywords=[KeywordOut(**k) for k in found.keywords],
                      summary=found.summary, category=found.category,
                      category_confidence=found.confidence, category_source=found.source,
                      category_suggested=found.suggested, text_chars=chars)


@router.post("/classify", response_model=Classified,
             summary="Classify a document without storing it: send JSON {\"text\": …}, or the "
                     "file itself as the body (a PDF, a TIFF or a photo of a document)",
             openapi_extra={"requestBody": {"content": {
                 "application/json": {"schema": TextIn.model_json_schema()},
                 "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                 "image/*": {"schema": {"type": "string", "format": "binary"}}}}})
async def classify(request: Request, rt: RuntimeDep, principal: PrincipalDep) -> Classified:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    limit = rt.settings.max_upload_bytes
    if kind == "application/json":
        raw = await _body(request, MAX_TEXT * 4 + 1000)
        try:
            body = TextIn.model_validate(json.loads(raw))
        except (ValueError, ValidationError) as exc:
            raise InvalidInput(f"the body is not {{\"text\": \"…\"}}: {str(exc)[:300]}") from None
        found = await run_in_threadpool(svc.classify_text, rt, body.text, principal.user_id)
        return _out(found, len(body.text))
    with tempfile.TemporaryDirectory(prefix="albumen-classify-") as tmp:
        path = Path(tmp) / "file"
        size = 0
        with path.open("wb") as fh:
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise TooLarge(f"file is larger than the limit of {limit:,} bytes",
                                   details={"max_bytes": limit})
                fh.write(chunk)
        if size == 0:
            raise InvalidInput("send a file as the body, or JSON {\"text\": …}")
        text = await run_in_threadpool(svc.file_text, rt, path)
    found = await run_in_threadpool(svc.classify_text, rt, text, principal.user_id)
    return _out(found, len(text))


async def _body(request: Request, limit: int) -> bytes:
    parts, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"the text is over the limit of {MAX_TEXT:,} characters")
        parts.append(chunk)
    return b"".join(parts)


class RuleIn(BaseModel):
    category: str = Field(min_length=1, max_length=100)
    algorithm: Literal["any", "all", "literal", "regex", "fuzzy"] = Field(
        description="any: any of the words; all: all of them; literal: the exact phrase; "
                    "regex: a regular expression; fuzzy: the phrase, allowing for OCR slips")
    pattern: str = Field(min_length=1, max_length=2000)
    case_sensitive: bool = False


class RuleOut(RuleIn):
    id: int
    position: int
    created_at: datetime


class ClassifierOut(BaseModel):
    labels: int = Field(description="labelled documents it learned from")
    categories: list[str]
    trained_at: datetime | None
    requested_at: datetime | None = Field(description="when labels or rules last changed")
    error: str | None = Field(description="why there is no classifier (too few labels)")


@router.get("/rules", response_model=list[RuleOut],
            summary="Your library's rules, in the order they are tried")
def list_rules(session: SessionDep, principal: PrincipalDep) -> list[Any]:
    return svc.list_rules(session, principal.user_id)


@router.post("/rules", response_model=RuleOut, status_code=201,
             summary="A rule: documents whose text matches get its category (tried before the "
                     "classifier); the library's documents are categorised again")
def add_rule(body: RuleIn, rt: RuntimeDep, actor: ActorDep, session: SessionDep) -> Any:
    rule_id = svc.add_rule(rt, actor.user_id, body.category, body.algorithm, body.pattern,
                           body.case_sensitive, actor)
    return next(r for r in svc.list_rules(session, actor.user_id) if r.id == rule_id)


@router.delete("/rules/{rule_id}", status_code=204, summary="Remove a rule")
def delete_rule(rule_id: IdPath, rt: RuntimeDep, actor: ActorDep) -> None:
    svc.delete_rule(rt, actor.user_id, rule_id, actor)


@router.get("/classifier", response_model=ClassifierOut,
            summary="What your library's classifier learned from, and when")
def classifier(session: SessionDep, principal: PrincipalDep) -> ClassifierOut:
    row = svc.classifier_status(session, principal.user_id)
    if row is None:
        return ClassifierOut(labels=0, categories=[], trained_at=None, requested_at=None,
                             error="no labelled documents yet")
    return ClassifierOut(labels=row.labels, categories=row.categories or [],
                         trained_at=row.trained_at, requested_at=row.requested_at,
                         error=row.error)
