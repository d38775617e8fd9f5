// The upload page of a signed-in user.
import { csrf } from "/static/app.js";
import { Uploader, dropTarget } from "/static/uploader.js";

const $ = (id) => document.getElementById(id);
const seen = new Map();  // asset id -> how its processing goes
const uploader = new Uploader({
  list: $("uploads"),
  overall: { root: $("overall"), bar: $("overall-bar"), text: $("overall-text"), retry: $("retry-all") },
  url: () => {
    const event = $("event")?.value;
    return "/api/v1/assets" + (event ? `?event_id=${event}` : "");
  },
  resumable: () => {
    const event = $("event")?.value;
    return "/api/v1/uploads" + (event ? `?event_id=${event}` : "");
  },
  headers: () => ({ "X-CSRF-Token": csrf(), Accept: "application/json" }),
  onChange: (u) => {
    $("done-link").hidden = !u.items.some((i) => i.state === "done");
    for (const item of u.items) {  // what was heard before the upload's answer came back
      const heard = seen.get(item.response?.asset?.id);
      if (heard && heard !== item.processing) { item.processing = heard; u.render(); }
    }
  },
});
const take = (input) => input.addEventListener("change", () => { uploader.add([...input.files]); input.value = ""; });
take($("files"));
take($("camera"));
$("retry-all").addEventListener("click", () => uploader.retryFailed());
dropTarget($("dropzone"), (files) => uploader.add(files));

// Processing, live: what happens to each upload after it arrives (/api/v1/ws).
const STAGES = { metadata: "reading", derivatives: "previews", pages: "reading pages",
                 faces: "faces", ocr: "text", screening: "screening", semantic: "indexing" };
function follow() {
  const ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/v1/ws`);
  ws.onopen = () => ws.send(JSON.stringify({ subscribe: { mine: true } }));
  ws.onmessage = (message) => {
    const e = JSON.parse(message.data);
    let text;
    if (e.type === "asset.processed") text = "ready";
    else if (e.type === "asset.failed") text = `failed: ${e.reason || "see the photo"}`;
    else if (e.type === "asset.progress") text = `page ${e.done} of ${e.total}`;
    else if (e.type === "asset.stage" && e.state === "running") text = `${STAGES[e.stage] || e.stage}…`;
    else return;
    if (seen.get(e.asset_id) === "ready") return;  // (a late stage event after the end)
    seen.set(e.asset_id, text);
    const item = uploader.items.find((i) => i.response?.asset?.id === e.asset_id);
    if (!item) return;
    item.processing = text;
    uploader.render();
  };
  ws.onclose = () => setTimeout(follow, 3000);  // the server restarted, or the network blinked
}
follow();
