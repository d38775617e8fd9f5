/**
 * Upload a photo, wait for `asset.processed` over the WebSocket, fetch its faces.
 *
 *   ALBUMEN_URL=http://127.0.0.1:8000 ALBUMEN_USER=admin ALBUMEN_PASSWORD=… \
 *     node dist/examples/upload.js photo.jpg
 *
 * Prints one JSON line: the asset's id, its state and the faces found.
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";

import { albumenClient, live, login, upload } from "../src/index.js";

const baseUrl = process.env.ALBUMEN_URL ?? "http://127.0.0.1:8000";
const photo = process.argv[2];
if (!photo) throw new Error("usage: upload.js PHOTO");

const token = await login(baseUrl, process.env.ALBUMEN_USER ?? "admin",
                          process.env.ALBUMEN_PASSWORD ?? "");
const client = albumenClient(baseUrl, token);
const feed = await live(baseUrl, token, { mine: true });  // listen first: miss nothing
const asset = await upload(client, await readFile(photo), basename(photo));

let state = asset.state;
for await (const event of state === "processing" ? feed.events : []) {
  if (event.asset_id !== asset.id) continue;
  if (event.type === "asset.processed" || event.type === "asset.failed") {
    state = event.type === "asset.processed" ? "ready" : "failed";
    break;
  }
}
feed.stop();

const { data: faces, error } = await client.GET("/api/v1/assets/{asset_id}/faces", {
  params: { path: { asset_id: asset.id } },
});
if (error || !faces) throw new Error(`faces: ${JSON.stringify(error)}`);
console.log(JSON.stringify({ asset_id: asset.id, state, faces: faces.length,
                             boxes: faces.map((f) => f.box) }));
