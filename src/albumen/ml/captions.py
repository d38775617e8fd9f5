"""Captions and tags from a vision-language model behind an OpenAI-compatible chat endpoint
(Ollama, llama.cpp's server, vLLM, or a hosted API). Optional and off by default: albumen
never needs the network; when switched on, calls have a timeout and are retried with backoff.
"""

from __future__ import annotations

import base64
import json
import re
import time
from dataclasses import dataclass

import httpx

from albumen.errors import ServiceUnavailable
from albumen.ml.runtime import Availability

PROMPT = ("Describe this photo for a photo library. Answer with JSON only: "
          '{"caption": "<one sentence>", "tags": ["<up to 8 single-word or two-word tags>"]}')
SUMMARY_PROMPT = ("Summarise this document in two or three plain sentences: what it is, "
                  "who it is from or for, and what it asks or states. Answer with the summary "
                  "only.\n\n")
SUMMARY_CHARS = 12_000
RETRY_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})
SUMMARY = ("A caption and tags for each photo from a vision-language model behind an "
           "OpenAI-compatible chat endpoint (remote, optional; the preview is sent to it)")


def endpoint_availability(base_url: str | None, model: str | None) -> Availability:
    """Whether an endpoint is configured (it is not called: it may be down for a while)."""
    if not base_url or not model:
        return Availability(False, "captions need ALBUMEN_CAPTION_URL and ALBUMEN_CAPTION_MODEL")
    return Availability(True)


@dataclass
class Caption:
    caption: str
    tags: list[str]


class CaptionClient:
    def __init__(self, base_url: str, model: str, api_key: str | None = None,
                 timeout: float = 60.0, attempts: int = 3, backoff: float = 1.0) -> None:
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model, self.api_key = model, api_key
        self.timeout, self.attempts, self.backoff = timeout, attempts, backoff

    def describe(self, jpeg: bytes) -> Caption:
        image = "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")
        return parse(self._chat([{"role": "user", "content": [
            {"type": "text", "text": PROMPT},
            {"type": "image_url", "image_url": {"url": image}}]}]))

    def summarize(self, text: str) -> str:
        """A few sentences saying what a document is about (its first SUMMARY_CHARS)."""
        answer = self._chat([{"role": "user", "content": SUMMARY_PROMPT + text[:SUMMARY_CHARS]}])
        summary = _content(answer).strip()
        if not summary:
            raise ServiceUnavailable("the model endpoint gave an empty summary")
        return summary[:2000]

    def _chat(self, messages: list[dict]) -> dict:
        """The endpoint's answer to ``messages``, retried with backoff while it may pass."""
        body = {"model": self.model, "temperature": 0.2, "messages": messages}
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        last = "no attempt"
        for attempt in range(self.attempts):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                response = httpx.post(self.url, json=body, headers=headers, timeout=self.timeout)
            except httpx.HTTPError as exc:  # timeouts and connection errors: try again
                last = f"{type(exc).__name__}: {exc}"
                continue
            if response.status_code in RETRY_STATUS:
                last = f"HTTP {response.status_code}"
                continue
            if response.status_code >= 400:
                raise ServiceUnavailable(f"caption endpoint refused the request: HTTP "
                                         f"{response.status_code} {response.text[:200]}")
            return dict(response.json())
        raise ServiceUnavailable(f"caption endpoint unavailable after {self.attempts} "
                                 f"attempts ({last})")


def _content(document: dict) -> str:
    try:
        text = document["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError) as exc:
        raise ServiceUnavailable("the model endpoint answered in an unexpected shape") from exc
    if isinstance(text, list):  # some servers return content parts
        text = " ".join(p.get("text", "") for p in text if isinstance(p, dict))
    return str(text or "")


def parse(document: dict) -> Caption:
    """The model's answer: JSON as asked, or (small models stray) the text as the caption."""
    text = _content(document)
    match = re.search(r"\{.*\}", text, re.DOTALL)
    if match:
        try:
            data = json.loads(match.group(0))
            tags = [str(t).strip().lower() for t in data.get("tags", []) if str(t).strip()]
            return Caption(str(data.get("caption", "")).strip()[:1000], tags[:8])
        except (json.JSONDecodeError, AttributeError):
            pass
    return Caption(text.strip()[:1000], [])
