// A guest's page from a share link: upload with a name, "my uploads", the gallery when the
// link allows, and selfie search. Talks to /api/v1/share/{token}; no account, no CSRF (the
// guest's identity is an HttpOnly cookie the API sets on the first upload).
import { Uploader, dropTarget } from "/static/uploader.js";
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

// The photos each grid shows, in order: the lightbox steps through the one it was opened from.
const lists = { mine: [], gallery: [], selfie: [] };
const box = $("g-lightbox");
let boxList = "gallery";

function tile(asset, { from = "gallery", badge = null, onRemove = null } = {}) {
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
    boxList = from;
    show(asset);
    if (!box.open) box.showModal();
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

// The lightbox: one photo, previous/next within its grid (buttons, arrow keys, a swipe),
// the original to download when the link allows it. A modal <dialog> keeps focus inside and
// closes on Esc.
function show(asset) {
  const img = box.querySelector("img");
  img.alt = `Photo ${asset.original_filename}`;
  image(img, asset.links.preview);
  box.dataset.asset = asset.id;
  const list = lists[boxList];
  const at = list.findIndex((a) => a.id === asset.id);
  $("g-prev").disabled = at <= 0;
  $("g-next").disabled = at < 0 || at >= list.length - 1;
  for (const id of ["g-prev", "g-next"]) $(id).hidden = list.length < 2;
  $("g-count").textContent = list.length > 1 && at >= 0 ? `${at + 1} of ${list.length}` : "";
  const save = $("g-save");
  save.hidden = !asset.links.original;
  if (asset.links.original) {
    save.href = asset.links.original;
    save.download = asset.original_filename;
    save.setAttribute("aria-label", `Download ${asset.original_filename}`);
  }
  loadTalk(asset.id);
}

function step(by) {
  const list = lists[boxList];
  const at = list.findIndex((a) => String(a.id) === box.dataset.asset);
  const next = list[at + by];
  if (at < 0 || !next) return;
  show(next);
  // a disabled button loses focus to the body: keep it on the other one, inside the dialog
  if (document.activeElement?.disabled) (by > 0 ? $("g-prev") : $("g-next")).focus();
}

$("g-prev").addEventListener("click", () => step(-1));
$("g-next").addEventListener("click", () => step(1));
box.addEventListener("keydown", (e) => {
  if (e.target.closest("input, textarea") || e.altKey || e.ctrlKey || e.metaKey) return;
  if (e.key === "ArrowLeft") { e.preventDefault(); step(-1); }
  else if (e.key === "ArrowRight") { e.preventDefault(); step(1); }
});
let touchAt = null;
$("g-stage").addEventListener("touchstart", (e) => {
  touchAt = e.touches.length === 1 ? [e.touches[0].clientX, e.touches[0].clientY] : null;
}, { passive: true });
$("g-stage").addEventListener("touchend", (e) => {
  if (!touchAt) return;
  const dx = e.changedTouches[0].clientX - touchAt[0];
  const dy = e.changedTouches[0].clientY - touchAt[1];
  touchAt = null;
  if (Math.abs(dx) > 50 && Math.abs(dx) > 1.5 * Math.abs(dy)) step(dx < 0 ? 1 : -1);
});
box.addEventListener("close", () => { delete box.dataset.asset; });

// With a share password the original comes through fetch (the header must go along) and is
// saved from a blob; otherwise the link downloads it directly.
$("g-save").addEventListener("click", async (e) => {
  if (!sessionStorage.getItem(pwKey)) return;
  e.preventDefault();
  const save = e.currentTarget;
  try {
    const res = await fetch(save.href, { headers: headers(), credentials: "same-origin" });
    if (!res.ok) throw new Error(`download failed (${res.status})`);
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement("a");
    a.href = url;
    a.download = save.download || "photo";
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (err) { toast(err.message, true); }
});

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

const MODERATION = { pending: ["waiting for review", "warn"], rejected: ["not shown", "bad"],
                     approved: ["shared", "ok"] };

// Uploads finish close together and each reloads the lists: a reply that was overtaken by a
// newer request is dropped, so an older, shorter list never replaces a newer one.
const asked = { mine: 0, gallery: 0 };
async function newest(list, path) {
  const turn = ++asked[list];
  const page = await call("GET", path);
  return turn === asked[list] ? page : null;
}

async function loadMine() {
  const page = await newest("mine", "/assets?mine=true&limit=200");
  if (!page) return;
  const grid = $("g-mine-grid");
  lists.mine = page.items;
  grid.replaceChildren(...page.items.map((a) => tile(a, {
    from: "mine",
    badge: MODERATION[a.moderation] || null,
    onRemove: async (asset, el) => {
      if (!confirm("Remove this photo?")) return;
      try { await call("DELETE", `/assets/${asset.id}`); el.remove(); toast("removed"); }
      catch (err) { toast(err.message, true); }
    },
  })));
  const pending = page.items.filter((a) => a.moderation === "pending").length;
  $("g-mine-note").hidden = pending === 0;
  $("g-mine-note").textContent = pending === 0 ? "" : `${pending} photo${pending === 1 ? "" : "s"} `
    + "waiting for approval: the hosts look at them before everyone sees them.";
  $("g-mine").hidden = page.items.length === 0 && !info?.can_upload;
  $("g-mine-empty").hidden = page.items.length > 0;
  placeholders(grid);
}

let galleryCursor = null;
async function loadGallery(more = false) {
  const page = await newest("gallery", `/assets?limit=60${more && galleryCursor ? `&cursor=${encodeURIComponent(galleryCursor)}` : ""}`);
  if (!page) return;
  const grid = $("g-gallery-grid");
  const tiles = page.items.map((a) => tile(a));
  lists.gallery = more ? [...lists.gallery, ...page.items] : page.items;
  if (more) grid.append(...tiles); else grid.replaceChildren(...tiles);
  galleryCursor = page.next_cursor;
  const empty = $("g-gallery-empty");
  empty.hidden = lists.gallery.length > 0;
  empty.textContent = !empty.hidden ? emptyGallery() : "";
  $("g-more").hidden = !galleryCursor;
  placeholders(grid);
}

function emptyGallery() {
  if (info.reveal_at && new Date(info.reveal_at) > new Date()) return "Nothing to see yet: come back when the photos are revealed.";
  if (info.can_upload) {
    return "No photos shared yet — be the first: upload yours above"
      + (info.review_required ? " (the hosts approve them before they appear here)." : ".");
  }
  return "No photos here yet — come back soon.";
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
    $("g-drophint").hidden = matchMedia("(pointer: coarse)").matches;
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
  resumable: () => `${base}/uploads`,
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
// Files dropped on the upload card go up like picked ones; anything but a photo is left out.
const PHOTO = /^image\//;
dropTarget($("g-drop"), (files) => {
  if (!info?.can_upload) return;
  const ok = files.filter((f) => PHOTO.test(f.type) || /\.(heic|heif)$/i.test(f.name));
  if (ok.length < files.length) toast(`${files.length - ok.length} file(s) left out: photos only`, true);
  if (ok.length) uploader.add(ok);
});
// a drop that misses the card must not open the file in place of the page
for (const kind of ["dragover", "drop"]) {
  window.addEventListener(kind, (e) => {
    e.preventDefault();
    if (kind === "dragover" && e.dataTransfer && !e.target.closest?.("#g-drop")) e.dataTransfer.dropEffect = "none";
  });
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
    lists.selfie = data.items;
    $("g-selfie-grid").replaceChildren(...data.items.map((a) => tile(a, { from: "selfie" })));
    placeholders($("g-selfie-grid"));
  } catch (err) {
    status.textContent = err.message;
  }
});

start();
