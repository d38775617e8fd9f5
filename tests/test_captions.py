"""Captions from a vision-language model. The model server is a true external edge (Ollama or
a hosted API), so these tests run a local stub server that follows the documented
OpenAI-compatible chat-completions request and response shape."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient

from albumen.errors import ServiceUnavailable
from albumen.ml.captions import CaptionClient, parse
from tests import images
from tests.processes import free_port


class Stub:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.fail_first = 0
        self.answer = ('Sure! {"caption": "Two friends laughing on a beach at sunset.", '
                       '"tags": ["beach", "Sunset", "friends"]}')


@pytest.fixture
def stub() -> Iterator[tuple[Stub, str]]:
    state = Stub()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["content-length"])))
            state.requests.append({"path": self.path, "body": body,
                                   "auth": self.headers.get("authorization")})
            if state.fail_first:
                state.fail_first -= 1
                self.send_response(503)
                self.end_headers()
                return
            payload = json.dumps({"id": "x", "object": "chat.completion", "choices": [
                {"index": 0, "finish_reason": "stop",
                 "message": {"role": "assistant", "content": state.answer}}]}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_port}/v1"
    server.shutdown()


def test_caption_stage_with_retry(app_client: Callable[..., TestClient],
                                  stub: tuple[Stub, str]) -> None:
    state, url = stub
    state.fail_first = 1  # the first call gets a 503 and is retried
    c = app_client(enrichments="captions", caption_url=url, caption_model="llava",
                   caption_api_key="secret-key")
    asset = c.post("/api/v1/assets", files={"file": ("b.jpg", images.jpeg(seed=2))}
                   ).json()["asset"]
    detail = c.get(f"/api/v1/assets/{asset['id']}").json()
    assert detail["caption"] == "Two friends laughing on a beach at sunset."
    assert [t["name"] for t in detail["tags"] if t["source"] == "llm"] == [
        "beach", "sunset", "friends"]
    assert len(state.requests) == 2
    sent = state.requests[-1]
    assert sent["path"] == "/v1/chat/completions" and sent["auth"] == "Bearer secret-key"
    assert sent["body"]["model"] == "llava"
    image = sent["body"]["messages"][0]["content"][1]["image_url"]["url"]
    assert image.startswith("data:image/jpeg;base64,")
    assert base64.b64decode(image.split(",", 1)[1])[:2] == b"\xff\xd8"  # the preview


def test_unreachable_endpoint_fails_with_a_reason() -> None:
    client = CaptionClient(f"http://127.0.0.1:{free_port()}/v1", "m", timeout=1, attempts=2,
                           backoff=0.01)
    with pytest.raises(ServiceUnavailable, match="after 2 attempts"):
        client.describe(images.jpeg(64, 48))


def test_free_text_answers_become_the_caption() -> None:
    doc = {"choices": [{"message": {"content": "A dog in the snow."}}]}
    assert parse(doc).caption == "A dog in the snow." and parse(doc).tags == []
    with pytest.raises(ServiceUnavailable):
        parse({"unexpected": True})


def test_captions_off_without_configuration(app_client: Callable[..., TestClient]) -> None:
    c = app_client(enrichments="captions")
    asset = c.post("/api/v1/assets", files={"file": ("b.jpg", images.jpeg(seed=3))}
                   ).json()["asset"]
    stage = next(s for s in c.get(f"/api/v1/assets/{asset['id']}").json()["stages"]
                 if s["stage"] == "captions")
    assert stage["state"] == "failed" and "ALBUMEN_CAPTION_URL" in stage["error"]
    assert c.get(f"/api/v1/assets/{asset['id']}").json()["state"] == "ready"  # still usable


def test_document_summaries_by_the_model_endpoint(app_client: Callable[..., TestClient],
                                                  stub: tuple[Stub, str], tmp_path) -> None:
    """ALBUMEN_DOCUMENT_SUMMARIES=model: the document's text goes to the endpoint (the stub
    stands for the operator's model server) and its answer is the summary; when the endpoint
    fails, the extractive summary is kept."""
    from tests.pdfs import text_pdf

    state, url = stub
    state.answer = "A catering invoice for the Almeida wedding, due in thirty days."
    c = app_client(enrichments="document", document_summaries="model", caption_url=url,
                   caption_model="llama3")
    path = text_pdf(tmp_path / "invoice.pdf", [[
        "Invoice 2024-117 from Casa Lisboa.", "Catering for the Almeida wedding.",
        "Payment is due within thirty days."]])
    doc = c.post("/api/v1/assets", files={"file": ("invoice.pdf", path.read_bytes())}).json()
    detail = c.get(f"/api/v1/assets/{doc['asset']['id']}").json()
    assert detail["summary"] == state.answer
    sent = state.requests[-1]["body"]
    assert sent["model"] == "llama3" and "Almeida wedding" in sent["messages"][0]["content"]
    state.fail_first = 10  # down: the extractive summary, the rest of the analysis goes on
    doc = c.post("/api/v1/assets", files={"file": ("again.pdf", text_pdf(
        tmp_path / "again.pdf", [["Minutes of the board.", "The budget was approved."]]
    ).read_bytes())}).json()
    detail = c.get(f"/api/v1/assets/{doc['asset']['id']}").json()
    assert detail["state"] == "ready" and "budget was approved" in detail["summary"]
