"""Upload a photo, wait for ``asset.processed`` over the WebSocket, fetch its faces — with
the generated client (``albumen_client``) for the REST calls and ``websockets`` for the live
events.

    ALBUMEN_URL=http://127.0.0.1:8000 ALBUMEN_USER=admin ALBUMEN_PASSWORD=… \\
        python examples/upload.py photo.jpg

Prints one JSON line: the asset's id, its state and the faces found.
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from pathlib import Path

from websockets.sync.client import connect

from albumen_client import AuthenticatedClient, Client
from albumen_client.api.assets import assets_upload
from albumen_client.api.auth import auth_token
from albumen_client.api.people import people_asset_faces
from albumen_client.models import AssetsUploadBody, BodyAuthToken, TokenOut, UploadResult
from albumen_client.types import File


def main(photo: Path) -> None:
    base = os.environ.get("ALBUMEN_URL", "http://127.0.0.1:8000")
    tokens = auth_token.sync(client=Client(base_url=base), body=BodyAuthToken(
        username=os.environ.get("ALBUMEN_USER", "admin"),
        password=os.environ["ALBUMEN_PASSWORD"]))
    if not isinstance(tokens, TokenOut):
        raise SystemExit(f"login failed: {tokens}")
    client = AuthenticatedClient(base_url=base, token=tokens.access_token)
    live = base.replace("http", "ws", 1) + "/api/v1/ws"
    with connect(live, additional_headers={"Authorization": f"Bearer {tokens.access_token}"}
                 ) as ws:
        ws.send(json.dumps({"subscribe": {"mine": True}}))  # listen first: miss nothing
        assert json.loads(ws.recv())["type"] == "subscribed"
        with photo.open("rb") as fh:
            result = assets_upload.sync(
                client=client, idempotency_key=str(uuid.uuid4()),
                body=AssetsUploadBody(file=File(payload=fh, file_name=photo.name)))
        if not isinstance(result, UploadResult):
            raise SystemExit(f"upload failed: {result}")
        asset = result.asset
        state = asset.state
        while state == "processing":
            event = json.loads(ws.recv(timeout=120))
            if event.get("asset_id") == asset.id and event["type"] in ("asset.processed",
                                                                       "asset.failed"):
                state = "ready" if event["type"] == "asset.processed" else "failed"
    faces = people_asset_faces.sync(client=client, asset_id=asset.id)
    if not isinstance(faces, list):
        raise SystemExit(f"faces: {faces}")
    print(json.dumps({"asset_id": asset.id, "state": state, "faces": len(faces),
                      "boxes": [f.box.to_dict() for f in faces]}))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
