// A guest's page from a share link: upload with a name, "my uploads", the gallery when the
// link allows, and selfie search. Talks to /api/v1/share/{token}; no account, no CSRF (the
// guest's identity is an HttpOnly cookie the API sets on the first upload).
import { Uploader } from "/static/uploader.js";
import { placeholders, toast } from "/static/app.js";

const root = document.getElementById("guest");
const token = root.dataset.token;
const base = `/api/v1/share/${token}`;
const $ = (id) => document.getElementById(id);
const pwKey = `albumen:pw:${token}`;
let info = null;

const headers = () => {
  const h = { Accept: "application/json" };
  const pw = sessionStorage.getItem(pwKey);
  if (pw) h["X-Share-Password"] = pw;
  return h;
};

async function call(method, path, body) {
  const init = { method, headers: headers(), credentials: "same-origin" };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch(base + path, init);
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const err = new Error(data?.error?.message || `request failed (${res.status})`);
    err.status = res.status;
    throw err;
  }
  return data;
}

// Images: straight from the API, or through fetch when a password header must go along.
function image(img, url) {
  if (!sessionStorage.getItem(pwKey)) { img.src = url; return; }
  fetch(url, { headers: headers() }).then((r) => r.ok ? r.blob() : null)
    .then((b) => { if (b) img.src = URL.createObjectURL(b); });
}

function tile(asset, { badge = null, onRemove = null } = {}) {
  const div = document.createElement("div");
  div.className = "tile";
  if (asset.thumbhash) div.dataset.th = asset.thumbhash;
  const open = document.createElement("a");
  open.className = "open";
  open.href = asset.links.preview;
  const img = document.createElement("img");
  img.alt = `Photo ${asset.original_filename}`;
  img.loading = "lazy";
  image(img, asset.links.thumbnail);
  open.append(img);
  open.addEventListener("click", (e) => {
    e.preventDefault();
    const box = $("g-lightbox");
    image(box.querySelector("img"), asset.links.preview);
    box.dataset.asset = asset.id;
    box.showModal();
    loadTalk(asset.id);
  });
  div.append(open);
  if (badge) {
    const b = document.createElement("span");
    b.className = `state badge ${badge[1]}`;
    b.textContent = badge[0];
    div.append(b);
  }
  if (onRemove) {
    const x = document.createElement("button");
    x.type = "button";
    x.className = "select";
    x.style.opacity = 1;
    x.setAttribute("aria-label", `Remove ${asset.original_filename}`);
    x.textContent = "×";
    x.addEventListener("click", () => onRemove(asset, div));
    div.append(x);
  }
  return div;
}

// Reactions and comments in the lightbox, when the event lets guests talk.
async function loadTalk(assetId) {
  const talk = $("g-talk");
  talk.hidden = !info?.can_comment;
  if (talk.hidden) return;
  $("g-talk-hint").textContent = info.guest ? "" : "Upload a photo or save your name to join in.";
  try {
    const [reactions, comments] = await Promise.all([
      call("GET", `/assets/${assetId}/reactions`), call("GET", `/assets/${assetId}/comments`)]);
    for (const btn of $("g-reactions").querySelectorAll("[data-react]")) {
      btn.querySelector("b").textContent = reactions.counts[btn.dataset.react];
      btn.setAttribute("aria-pressed", String(reactions.mine.includes(btn.dataset.react)));
    }
    $("g-comments").replaceChildren(...comments.map((c) => {
      const li = document.createElement("li");
      const who = document.createElement("strong");
      who.textContent = c.author || "Someone";
      li.append(who, document.createTextNode(` ${c.text}`));
      return li;
    }));
  } catch (err) { $("g-talk-hint").textContent = err.message; }
}

$("g-reactions").addEventListener("click", async (e) => {
  const btn = e.target.closest("[data-react]");
  const assetId = $("g-lightbox").dataset.asset;
  if (!btn || !assetId) return;
  const on = btn.getAttribute("aria-pressed") !== "true";
  try {
    await call(on ? "PUT" : "DELETE", `/assets/${assetId}/reactions/${btn.dataset.react}`);
    loadTalk(assetId);
  } catch (err) { toast(err.message, true); }
});

$("g-comment-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const assetId = $("g-lightbox").dataset.asset;
  try {
    await call("POST", `/assets/${assetId}/comments`, { text: $("g-comment").value });
    $("g-comment").value = "";
    loadTalk(assetId);
  } catch (err) { toast(err.message, true); }
});

const MODERATION = { pending: ["waiting for approval", "warn"], rejected: ["not shown", "bad"],
                     approved: ["shared", "ok"] };

async function loadMine() {
  const page = await call("GET", "/assets?mine=true&limit=200");
  const grid = $("g-mine-grid");
  grid.replaceChildren(...page.items.map((a) => tile(a, {
    badge: MODERATION[a.moderation] || null,
    onRemove: async (asset, el) => {
      if (!confirm("Remove this photo?")) return;
      try { await call("DELETE", `/assets/${asset.id}`); el.remove(); toast("removed"); }
      catch (err) { toast(err.message, true); }
    },
  })));
  $("g-mine").hidden = page.items.length === 0;
  placeholders(grid);
}

let galleryCursor = null;
async function loadGallery(more = false) {
  const page = await call("GET", `/assets?limit=60${more && galleryCursor ? `&cursor=${encodeURIComponent(galleryCursor)}` : ""}`);
  const grid = $("g-gallery-grid");
  const tiles = page.items.map((a) => tile(a));
  if (more) grid.append(...tiles); else grid.replaceChildren(...tiles);
  galleryCursor = page.next_cursor;
  $("g-more").hidden = !galleryCursor;
  placeholders(grid);
}

function describeWindow() {
  const fmt = (s) => new Date(s).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
  const parts = [];
  if (info.upload_opens_at && new Date(info.upload_opens_at) > new Date()) parts.push(`Uploads open ${fmt(info.upload_opens_at)}.`);
  if (info.upload_closes_at) parts.push(`Uploads close ${fmt(info.upload_closes_at)}.`);
  if (info.max_uploads_per_guest) parts.push(`Up to ${info.max_uploads_per_guest} photos each.`);
  $("g-window").textContent = parts.join(" ");
  if (info.reveal_at && new Date(info.reveal_at) > new Date()) {
    $("g-reveal").hidden = false;
    $("g-reveal").textContent = `Everyone's photos appear here ${fmt(info.reveal_at)}; until then you see your own.`;
  }
}

async function start() {
  try {
    info = await call("GET", "");
  } catch (err) {
    if (err.status === 401) { $("g-password").hidden = false; return; }
    $("g-error").textContent = err.message;
    return;
  }
  $("g-password").hidden = true;
  $("g-title").textContent = info.title;
  $("g-desc").textContent = info.description || "";
  if (info.guest?.name) $("g-name").value = info.guest.name;
  describeWindow();
  if (info.can_upload) {
    $("g-upload").hidden = false;
    $("g-review").hidden = !info.review_required;
  }
  if (info.can_view) {
    $("g-gallery").hidden = false;
    loadGallery();
  }
  if (info.selfie_search) $("g-selfie").hidden = false;
  if (info.can_download && !sessionStorage.getItem(pwKey)) {
    $("g-download").hidden = false;
    $("g-download").href = `${base}/download`;
  }
  loadMine();
}

$("g-password").addEventListener("submit", (e) => {
  e.preventDefault();
  sessionStorage.setItem(pwKey, $("g-pw").value);
  start().then(() => {
    if (!info) {
      $("g-password").querySelector(".form-error").textContent = "wrong password";
      sessionStorage.removeItem(pwKey);
    }
  });
});

$("g-name").addEventListener("change", async () => {
  if (!info?.guest) return;  // a new guest's name goes with their first upload
  try { await call("PUT", "/guest", { name: $("g-name").value || null }); toast("name saved"); }
  catch (err) { toast(err.message, true); }
});

// A new guest says who they are once, before any file goes: the reply's cookie then goes
// with every upload, so several photos picked at once are one guest's, not one guest each.
async function ensureGuest() {
  if (info?.guest) return;
  const guest = await call("PUT", "/guest", { name: $("g-name").value || null });
  info.guest = guest;
}

const uploader = new Uploader({
  list: $("g-uploads"),
  overall: { root: $("g-overall"), bar: $("g-overall-bar"), text: $("g-overall-text"), retry: $("g-retry") },
  url: () => `${base}/assets`,
  headers,
  prepare: ensureGuest,
  concurrency: 2,
  onChange: (u) => {
    loadMine();
    if (info.can_view && !info.review_required) loadGallery();
  },
});
for (const id of ["g-files", "g-camera"]) {
  $(id).addEventListener("change", (e) => { uploader.add([...e.target.files]); e.target.value = ""; });
}
$("g-retry").addEventListener("click", () => uploader.retryFailed());
$("g-more").addEventListener("click", () => loadGallery(true));

$("g-selfie-file").addEventListener("change", async (e) => {
  const file = e.target.files[0];
  e.target.value = "";
  if (!file) return;
  const status = $("g-selfie-status");
  status.textContent = "Looking for you…";
  const form = new FormData();
  form.append("file", file, file.name);
  try {
    const res = await fetch(`${base}/selfie-search`, { method: "POST", body: form, headers: headers() });
    const data = await res.json();
    if (!res.ok) throw new Error(data?.error?.message || "selfie search failed");
    status.textContent = data.items.length ? `Found you in ${data.items.length} photo(s).` : "No photos of you yet.";
    $("g-selfie-grid").replaceChildren(...data.items.map((a) => tile(a)));
    placeholders($("g-selfie-grid"));
  } catch (err) {
    status.textContent = err.message;
  }
});

start();
