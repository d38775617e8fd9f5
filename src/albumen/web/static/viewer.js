// The photo viewer: keyboard and swipe navigation in the order of the grid it was opened
// from, zoom to the original, favourite, rating, details panel, add to album.
import { api, toast } from "/static/app.js";

const stage = document.getElementById("stage");
const viewer = document.querySelector("main.viewer");
const photo = document.getElementById("photo");
const id = stage.dataset.id;
const prev = document.getElementById("prev");
const next = document.getElementById("next");

// Next/previous follow the grid the photo was opened from (search, album, event...), else
// the timeline's neighbours that the server worked out.
try {
  const context = JSON.parse(sessionStorage.getItem("albumen:context") || "[]");
  const i = context.indexOf(id);
  if (i >= 0) {
    for (const [link, other] of [[prev, context[i - 1]], [next, context[i + 1]]]) {
      link.hidden = !other;
      link.href = other ? `/photos/${other}` : "#";
    }
  }
} catch { /* no context: keep the timeline's */ }

const back = document.getElementById("back");
if (document.referrer && new URL(document.referrer).origin === location.origin &&
    !new URL(document.referrer).pathname.startsWith("/photos/")) {
  sessionStorage.setItem("albumen:return", document.referrer);
}
back.href = sessionStorage.getItem("albumen:return") || "/";

function go(link) { if (link && !link.hidden) location.replace(link.href); }

let zoomed = false;
function zoom() {
  zoomed = !zoomed;
  stage.classList.toggle("zoomed", zoomed);
  if (zoomed && photo.dataset.original && photo.src !== photo.dataset.original) {
    photo.src = photo.dataset.original;
  }
}
document.getElementById("zoom").addEventListener("click", zoom);
photo?.addEventListener("click", zoom);
photo?.addEventListener("error", () => {
  photo.alt = "The preview is not ready yet (still processing).";
});

// A Live Photo plays its motion over the still while hovered or when LIVE is pressed.
const motion = document.getElementById("motion");
const live = document.getElementById("live");
function playMotion(on) {
  if (!motion) return;
  motion.hidden = !on;
  live.setAttribute("aria-pressed", String(on));
  if (on) { motion.currentTime = 0; motion.play().catch(() => { motion.hidden = true; }); }
  else motion.pause();
}
motion?.addEventListener("ended", () => playMotion(false));
live?.addEventListener("click", () => playMotion(live.getAttribute("aria-pressed") !== "true"));
photo?.addEventListener("pointerenter", () => { if (motion && !zoomed) playMotion(true); });
motion?.addEventListener("pointerleave", () => playMotion(false));

// A video whose web copy is being made: the page reloads when the copy is ready.
const note = document.getElementById("videonote");
if (note) {
  const wait = setInterval(async () => {
    try {
      const asset = await api("GET", `/api/v1/assets/${id}`);
      const stage = asset.stages.find((s) => s.stage === "transcode");
      if (asset.video?.web_copy) { clearInterval(wait); location.reload(); }
      else if (stage?.state === "running" && stage.progress_total) {
        note.textContent = `Making a copy browsers play: ${stage.progress_done || 0} of ${stage.progress_total} s`;
      } else if (stage?.state === "failed") { clearInterval(wait); note.textContent = `No copy browsers play: ${stage.error}`; }
    } catch { /* try again next time */ }
  }, 3000);
}

function toggleInfo() {
  viewer.classList.toggle("noinfo");
  localStorage.setItem("albumen:noinfo", viewer.classList.contains("noinfo") ? "1" : "");
}
if (localStorage.getItem("albumen:noinfo")) viewer.classList.add("noinfo");
document.getElementById("infobtn").addEventListener("click", toggleInfo);

const fav = document.getElementById("fav");
async function favourite() {
  if (!fav) return;
  const on = fav.getAttribute("aria-pressed") !== "true";
  try {
    await api("PATCH", `/api/v1/assets/${id}`, { favorite: on });
    fav.setAttribute("aria-pressed", String(on));
    toast(on ? "added to favourites" : "removed from favourites");
  } catch (err) { toast(err.message, true); }
}
fav?.addEventListener("click", favourite);

// Curation tier: promote or demote; what gold still needs comes back as the refusal.
const tierGroup = document.getElementById("tiers");
tierGroup?.addEventListener("click", async (e) => {
  const button = e.target.closest("[data-tier]");
  if (!button) return;
  try {
    const asset = await api("PATCH", `/api/v1/assets/${id}`, { tier: button.dataset.tier });
    for (const b of tierGroup.querySelectorAll("[data-tier]")) {
      b.setAttribute("aria-pressed", String(b.dataset.tier === asset.tier));
    }
    tierGroup.dataset.value = asset.tier;
    toast(`now ${asset.tier}`);
  } catch (err) { toast(err.message, true); }
});

const stars = document.querySelector(".stars");
stars?.addEventListener("click", async (e) => {
  const star = e.target.closest("[data-star]");
  if (!star) return;
  const current = Number(stars.dataset.rating);
  const wanted = Number(star.dataset.star) === current ? null : Number(star.dataset.star);
  try {
    await api("PATCH", `/api/v1/assets/${id}`, { rating: wanted });
    stars.dataset.rating = wanted || 0;
    for (const b of stars.querySelectorAll("[data-star]")) {
      b.classList.toggle("on", Number(b.dataset.star) <= (wanted || 0));
      b.setAttribute("aria-pressed", String(Number(b.dataset.star) === wanted));
    }
  } catch (err) { toast(err.message, true); }
});

document.getElementById("reactions")?.addEventListener("click", async (e) => {
  const btn = e.target.closest("[data-react]");
  if (!btn) return;
  const on = btn.getAttribute("aria-pressed") !== "true";
  try {
    await api(on ? "PUT" : "DELETE", `/api/v1/assets/${id}/reactions/${btn.dataset.react}`);
    btn.setAttribute("aria-pressed", String(on));
    const count = btn.querySelector("b");
    count.textContent = String(Number(count.textContent) + (on ? 1 : -1));
  } catch (err) { toast(err.message, true); }
});

document.getElementById("toalbum")?.addEventListener("submit", async (e) => {
  e.preventDefault();
  const album = document.getElementById("album-pick").value;
  if (!album) return;
  try {
    await api("POST", `/api/v1/albums/${album}/assets`, { asset_ids: [Number(id)] });
    toast("added to the album");
  } catch (err) { toast(err.message, true); }
});

// After trashing, the next photo (or the previous one, or the grid when it was the last),
// not the start page: clearing out a series is Delete, Delete, Delete.
const trash = document.getElementById("trash");
trash?.addEventListener("click", () => {
  const after = [next, prev].find((link) => link && !link.hidden && link.getAttribute("href") !== "#");
  trash.dataset.then = after ? after.href : back.href;
}, { capture: true });

document.addEventListener("keydown", (e) => {
  if (e.target.closest("input, textarea, select") || e.ctrlKey || e.metaKey || e.altKey) return;
  const keys = {
    ArrowLeft: () => go(prev), ArrowRight: () => go(next),
    Escape: () => location.assign(back.href), f: favourite, i: toggleInfo, z: zoom,
    Delete: () => document.getElementById("trash")?.click(),
  };
  const action = keys[e.key];
  if (action) { e.preventDefault(); action(); }
});

// Swipe left/right on touch screens (not while zoomed: then a drag pans the photo).
let startX = null, startY = null;
stage.addEventListener("touchstart", (e) => {
  if (e.touches.length === 1 && !zoomed) [startX, startY] = [e.touches[0].clientX, e.touches[0].clientY];
}, { passive: true });
stage.addEventListener("touchend", (e) => {
  if (startX === null) return;
  const dx = e.changedTouches[0].clientX - startX, dy = e.changedTouches[0].clientY - startY;
  startX = null;
  if (Math.abs(dx) > 60 && Math.abs(dx) > 2 * Math.abs(dy)) go(dx > 0 ? prev : next);
});

// Where it was taken: a small map in the details (the offline base map, or the operator's
// tiles), loaded only for photos with a position.
const mini = document.getElementById("minimap");
if (mini && window.L) {
  const at = [Number(mini.dataset.lat), Number(mini.dataset.lon)];
  const map = window.L.map(mini, { zoomControl: false, attributionControl: !!mini.dataset.tiles,
                                   scrollWheelZoom: false, dragging: true, minZoom: 1 });
  if (mini.dataset.tiles) {
    window.L.tileLayer(mini.dataset.tiles, { attribution: mini.dataset.attribution || "",
                                             maxZoom: 19 }).addTo(map);
  } else {
    import("/static/basemap.js").then(({ addBaseMap }) => addBaseMap(map).ready)
      .then(() => { mini.dataset.drawn = "true"; })
      .catch(() => { mini.dataset.drawn = "failed"; });
  }
  map.setView(at, 5);
  window.L.circleMarker(at, { radius: 6, color: "#fff", weight: 2, fillColor: "#c2570c",
                              fillOpacity: 1 }).addTo(map);
}

// Still processing: follow it live (/api/v1/ws) and show the finished page when it is done.
const badge = document.querySelector('[data-field="state"]');
if (badge && badge.textContent.trim() === "processing") {
  const ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/v1/ws`);
  ws.onopen = () => ws.send(JSON.stringify({ subscribe: { assets: [Number(id)] } }));
  ws.onmessage = (message) => {
    const e = JSON.parse(message.data);
    if (e.asset_id !== Number(id)) return;
    if (e.type === "asset.processed" || e.type === "asset.failed") location.reload();
    else if (e.type === "asset.progress") badge.textContent = `processing: page ${e.done} of ${e.total}`;
    else if (e.type === "asset.stage" && e.state === "running") badge.textContent = `processing: ${e.stage}`;
  };
}
