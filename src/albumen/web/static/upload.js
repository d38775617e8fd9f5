// The upload page of a signed-in user.
import { csrf } from "/static/app.js";
import { Uploader, dropTarget } from "/static/uploader.js";

const $ = (id) => document.getElementById(id);
const uploader = new Uploader({
  list: $("uploads"),
  overall: { root: $("overall"), bar: $("overall-bar"), text: $("overall-text"), retry: $("retry-all") },
  url: () => {
    const event = $("event")?.value;
    return "/api/v1/assets" + (event ? `?event_id=${event}` : "");
  },
  headers: () => ({ "X-CSRF-Token": csrf(), Accept: "application/json" }),
  onChange: (u) => { $("done-link").hidden = !u.items.some((i) => i.state === "done"); },
});
const take = (input) => input.addEventListener("change", () => { uploader.add([...input.files]); input.value = ""; });
take($("files"));
take($("camera"));
$("retry-all").addEventListener("click", () => uploader.retryFailed());
dropTarget($("dropzone"), (files) => uploader.add(files));
