// albumen web app: the bridge from pages to the JSON API, photo grids, small conveniences.
// Every change goes through /api/v1 with the session's CSRF token.
import { thumbHashToDataURL } from "/static/vendor/thumbhash.js";

// Loaded once per page (its handlers are global); the browser tests check this count.
window.albumenLoads = (window.albumenLoads || 0) + 1;

export const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message || `request failed (${status})`);
    this.status = status;
    this.body = body;
  }
}

export async function api(method, url, body) {
  const init = { method, headers: { "X-CSRF-Token": csrf(), Accept: "application/json" },
                 credentials: "same-origin" };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch(url, init);
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

export function toast(message, bad = false) {
  const box = document.getElementById("toasts");
  if (!box) return;
  const el = document.createElement("div");
  el.className = "toast" + (bad ? " bad" : "");
  el.setAttribute("role", bad ? "alert" : "status");
  el.textContent = message;
  box.append(el);
  setTimeout(() => el.remove(), bad ? 7000 : 3500);
}

function fill(template, data) {
  return template.replace(/\{(\w+)\}/g, (_, k) => encodeURIComponent(data?.[k] ?? ""));
}

// What a button or form does once its request succeeded (data-then).
export function after(then, data, el) {
  if (!then) return;
  if (then === "reload") location.reload();
  else if (then === "remove") el.closest("[data-item]")?.remove();
  else if (then.startsWith("toast:")) toast(then.slice(6));
  else location.assign(fill(then, data));
}

// <button data-api="POST /api/v1/..." data-body='{"a":1}' data-confirm="Sure?" data-then="reload">
document.addEventListener("click", async (e) => {
  const el = e.target.closest("[data-api]:not(form)");
  if (!el) return;
  e.preventDefault();
  if (el.dataset.confirm && !confirm(el.dataset.confirm)) return;
  const [method, url] = el.dataset.api.split(" ");
  el.disabled = true;
  try {
    const data = await api(method, url, el.dataset.body ? JSON.parse(el.dataset.body) : undefined);
    if (el.dataset.done) toast(el.dataset.done);
    after(el.dataset.then, data, el);
  } catch (err) {
    toast(err.message, true);
  } finally {
    el.disabled = false;
  }
});

// Form fields to JSON: numbers stay numbers, checkboxes are booleans, empty optional fields are
// null, data-list fields are comma-separated lists, datetime-local gets the browser's offset.
export function formJson(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled || el.type === "submit" || el.type === "button") continue;
    let v;
    if (el.type === "checkbox") v = el.checked;
    else if (el.type === "radio") { if (!el.checked) continue; v = el.value; }
    else if (el.type === "number") {  // data-scale: shown in larger units (GB), sent in base ones
      v = el.value === "" ? null : Number(el.value);
      if (v !== null && el.dataset.scale) v = Math.round(v * Number(el.dataset.scale));
    }
    else if (el.type === "datetime-local") v = el.value ? new Date(el.value).toISOString() : null;
    else if ("list" in el.dataset) v = el.value.split(",").map((s) => s.trim()).filter(Boolean);
    else v = el.value === "" && !el.required ? null : el.value;
    if ("omitEmpty" in el.dataset && (v === null || v === "")) continue;
    out[el.name] = v;
  }
  return out;
}

// <form data-api="POST /api/v1/events" data-then="/events/{id}">
document.addEventListener("submit", async (e) => {
  const form = e.target.closest("form[data-api]");
  if (!form) return;
  e.preventDefault();
  const [method, url] = form.dataset.api.split(" ");
  const error = form.querySelector(".form-error");
  if (error) error.textContent = "";
  const submit = form.querySelector('[type="submit"]');
  if (submit) submit.disabled = true;
  try {
    const data = await api(method, url, formJson(form));
    if (form.dataset.done) toast(form.dataset.done);
    form.dispatchEvent(new CustomEvent("api:done", { detail: data, bubbles: true }));
    after(form.dataset.then, data, form);
  } catch (err) {
    // A page's module may answer an error itself (naming.js: "same person?"): it cancels this.
    const shown = form.dispatchEvent(new CustomEvent("api:error", { detail: err, bubbles: true,
                                                                     cancelable: true }));
    if (!shown) return;
    if (error) error.textContent = err.message;
    else toast(err.message, true);
  } finally {
    if (submit) submit.disabled = false;
  }
});

// htmx requests (infinite scroll, fragments) carry the CSRF token too.
document.addEventListener("htmx:configRequest", (e) => {
  e.detail.headers["X-CSRF-Token"] = csrf();
});

// --- photo grids: placeholders, selection, viewer context ---------------------------------
export function placeholders(root = document) {
  for (const tile of root.querySelectorAll("[data-th]")) {
    const hash = tile.dataset.th;
    tile.removeAttribute("data-th");
    try {
      const bytes = Uint8Array.from(atob(hash), (c) => c.charCodeAt(0));
      tile.style.backgroundImage = `url(${thumbHashToDataURL(bytes)})`;
    } catch { /* a bad hash leaves the plain background */ }
  }
  for (const img of root.querySelectorAll(".tile img:not(.loaded)")) {
    if (img.complete && img.naturalWidth) img.classList.add("loaded");
    else if (img.complete) img.classList.add("broken");
    else img.addEventListener("load", () => img.classList.add("loaded"), { once: true });
  }
}

// A video's tile scrubs through its strip of frames under the pointer (the strip is loaded
// on the first hover; its frames are as wide as the video's aspect makes them).
document.addEventListener("pointermove", (e) => {
  const scrub = e.target.closest?.(".tile")?.querySelector(".scrub");
  if (!scrub) return;
  if (!scrub.dataset.frames) {
    if (scrub.dataset.loading) return;
    scrub.dataset.loading = "1";
    const sprite = new Image();
    sprite.onload = () => {
      const frames = Math.max(1, Math.round(sprite.naturalWidth /
        (sprite.naturalHeight * Number(scrub.dataset.aspect || 1.78))));
      scrub.dataset.frames = String(frames);
      scrub.style.backgroundImage = `url(${scrub.dataset.strip})`;
      scrub.style.backgroundSize = `${frames * 100}% 100%`;
    };
    sprite.src = scrub.dataset.strip;
    return;
  }
  const frames = Number(scrub.dataset.frames);
  const box = scrub.getBoundingClientRect();
  const at = Math.min(frames - 1, Math.max(0, Math.floor((e.clientX - box.left) / box.width * frames)));
  scrub.style.backgroundPosition = `${frames > 1 ? at / (frames - 1) * 100 : 0}% 0`;
  scrub.classList.add("on");
});
document.addEventListener("pointerout", (e) => {
  const tile = e.target.closest?.(".tile");
  if (tile && !tile.contains(e.relatedTarget)) tile.querySelector(".scrub")?.classList.remove("on");
});

// A Live Photo's tile plays its clip while the pointer is on it.
document.addEventListener("pointerover", (e) => {
  const clip = e.target.closest?.(".tile")?.querySelector("video.motion");
  if (!clip) return;
  if (!clip.src) clip.src = clip.dataset.src;
  clip.classList.add("on");
  clip.play().catch(() => clip.classList.remove("on"));
});
document.addEventListener("pointerout", (e) => {
  const tile = e.target.closest?.(".tile");
  const clip = tile?.querySelector("video.motion");
  if (clip && !tile.contains(e.relatedTarget)) { clip.pause(); clip.classList.remove("on"); }
});

const selected = new Set();
let lastClicked = null;

function tiles() { return [...document.querySelectorAll(".grid .tile[data-id]")]; }

function renderSelection() {
  const bar = document.querySelector(".selectionbar");
  for (const t of tiles()) {
    const on = selected.has(t.dataset.id);
    t.classList.toggle("selected", on);
    t.querySelector(".select")?.setAttribute("aria-pressed", String(on));
  }
  document.body.classList.toggle("selecting", selected.size > 0);
  if (!bar) return;
  bar.hidden = selected.size === 0;
  const count = bar.querySelector("[data-count]");
  if (count) count.textContent = `${selected.size} selected`;
}

document.addEventListener("click", (e) => {
  const box = e.target.closest(".tile .select");
  const tile = e.target.closest(".grid .tile[data-id]");
  if (!tile) return;
  if (!box && !selected.size) {  // opening the viewer: remember the order for next/previous
    sessionStorage.setItem("albumen:context", JSON.stringify(tiles().map((t) => t.dataset.id)));
    return;
  }
  e.preventDefault();
  const id = tile.dataset.id;
  if (e.shiftKey && lastClicked) {
    const all = tiles().map((t) => t.dataset.id);
    const [a, b] = [all.indexOf(lastClicked), all.indexOf(id)].sort((x, y) => x - y);
    for (const x of all.slice(a, b + 1)) selected.add(x);
  } else if (selected.has(id)) selected.delete(id);
  else selected.add(id);
  lastClicked = id;
  renderSelection();
});

export function selection() { return [...selected].map(Number); }
export function clearSelection() { selected.clear(); renderSelection(); }

document.addEventListener("click", async (e) => {
  const btn = e.target.closest(".selectionbar [data-bulk]");
  if (!btn) return;
  const ids = selection();
  const action = btn.dataset.bulk;
  try {
    if (action === "clear") return clearSelection();
    if (action === "download" || action === "download-metadata") {
      const extra = action === "download" ? "" : "&embed=true&sidecars=true";
      location.assign(`/api/v1/assets/download?ids=${ids.join(",")}${extra}`);
      return;
    }
    if (action === "resized") {  // a ZIP made by a queued job: wait for it, then download
      const size = Number(btn.closest(".selectionbar").querySelector("select[name=resize]").value);
      let job = await api("POST", "/api/v1/images/batch",
                          { asset_ids: ids, width: size, height: size, format: "webp" });
      toast(`preparing ${ids.length} resized photo(s)…`);
      while (job.state === "queued" || job.state === "running") {
        await new Promise((done) => setTimeout(done, 1000));
        job = await api("GET", `/api/v1/images/batch/${job.id}`);
      }
      if (job.state !== "done") return toast(`could not make the ZIP: ${job.error}`, true);
      location.assign(job.file);
      return;
    }
    if (action === "trash" || action === "restore") {
      if (action === "trash" && !confirm(`Move ${ids.length} photo(s) to the trash?`)) return;
      for (const id of ids) {
        await api(action === "trash" ? "DELETE" : "POST",
                  `/api/v1/assets/${id}${action === "restore" ? "/restore" : ""}`);
      }
      for (const id of ids) document.querySelector(`.tile[data-id="${id}"]`)?.remove();
      toast(`${ids.length} photo(s) ${action === "trash" ? "moved to the trash" : "restored"}`);
      clearSelection();
    }
    if (action === "tier") {  // each changed or refused with what it lacks
      const tier = btn.closest(".selectionbar").querySelector("select[name=tier]").value;
      const r = await api("POST", "/api/v1/assets/tier", { asset_ids: ids.map(Number), tier });
      const refused = r.refused.map((x) => x.reason).join("\n");
      toast(`${r.changed.length + r.unchanged.length} photo(s) now ${tier}` +
            (r.refused.length ? `; ${r.refused.length} refused:\n${refused}` : ""),
            r.refused.length > 0);
      clearSelection();
    }
    if (action === "favorite") {
      for (const id of ids) await api("PATCH", `/api/v1/assets/${id}`, { favorite: true });
      toast(`${ids.length} photo(s) marked as favourites`);
      clearSelection();
    }
    if (action === "album") {
      const select = btn.closest(".selectionbar").querySelector("select[name=album]");
      if (!select?.value) return toast("choose an album first", true);
      let album = select.value, title = select.selectedOptions[0].textContent;
      if (album === "new") {  // an album made from the selection
        title = (prompt(`Name of the new album (${ids.length} photo(s))`) || "").trim();
        if (!title) return;
        const made = await api("POST", "/api/v1/albums", { title });
        album = String(made.id);
        select.querySelector("option[value=new]").before(new Option(title, album));
        select.value = album;
      }
      const r = await api("POST", `/api/v1/albums/${album}/assets`, { asset_ids: ids });
      toast(`added to "${title}" (${r.changed} new)`);
      clearSelection();
    }
  } catch (err) {
    toast(err.message, true);
  }
});

document.addEventListener("keydown", (e) => {
  if (e.target.closest("input, textarea, select")) return;
  if (e.key === "/") {
    const q = document.getElementById("top-q") || document.getElementById("q");
    if (q) { e.preventDefault(); q.focus(); }
  } else if (e.key === "Escape" && selected.size) clearSelection();
});

// Copy buttons: <button data-copy="#id-of-input">
document.addEventListener("click", async (e) => {
  const btn = e.target.closest("[data-copy]");
  if (!btn) return;
  const input = document.querySelector(btn.dataset.copy);
  try { await navigator.clipboard.writeText(input.value); toast("copied"); }
  catch { input.select(); }
});

document.addEventListener("htmx:afterSwap", (e) => { placeholders(e.target.parentElement || document); renderSelection(); });
document.addEventListener("htmx:responseError", (e) => toast(`could not load more (${e.detail.xhr.status})`, true));
// A photo still being processed has no thumbnail yet: show its placeholder, not a broken image.
document.addEventListener("error", (e) => {
  if (e.target.tagName === "IMG") e.target.classList.add("broken");
}, true);
placeholders();
