// The live slideshow: cycles through the event's photos; each newly approved photo arrives
// over server-sent events and is shown next, without reloading the page.
const show = document.getElementById("show");
const photos = JSON.parse(document.getElementById("photos").textContent);
const known = new Set(photos.map((p) => p.id));
const fresh = [];            // arrived while running: shown before the rotation resumes
let index = -1;
let interval = Number(show.dataset.interval) * 1000;
let timer = null;
let current = null;

// A short clip plays through (muted, as walls are) before the next photo; one that will not
// play (its web copy still being made) shows its poster for the usual time.
function media(photo, ready) {
  if (!photo.video) {
    const img = new Image();
    img.onload = ready;
    img.src = photo.preview;
    return img;
  }
  const clip = document.createElement("video");
  Object.assign(clip, { muted: true, autoplay: true, playsInline: true, poster: photo.preview });
  clip.addEventListener("loadeddata", ready, { once: true });
  clip.addEventListener("error", () => { clip.removeAttribute("src"); ready(); }, { once: true });
  clip.addEventListener("ended", () => { clearTimeout(timer); step(); });
  clip.src = photo.video;
  return clip;
}

function display(photo, isNew) {
  const img = media(photo, () => shown(img, photo, isNew));
  img.setAttribute("aria-label", photo.by ? `Photo by ${photo.by}` : "Event photo");
  if (!photo.video) img.alt = img.getAttribute("aria-label");
  img.dataset.id = photo.id;
  document.getElementById("waiting").hidden = true;
}

function shown(img, photo, isNew) {
  if (img.isConnected) return;
  show.append(img);
  requestAnimationFrame(() => img.classList.add("shown"));
  const old = current;
  current = img;
  if (old) { old.classList.remove("shown"); setTimeout(() => old.remove(), 1200); }
  document.getElementById("caption").textContent = photo.by ? `Photo by ${photo.by}` : "";
  document.getElementById("newbadge").hidden = !isNew;
}

function step() {
  let photo = null;
  if (fresh.length) {
    photo = fresh.shift();
    photos.unshift(photo);
    index = 0;
    display(photo, true);
  } else if (photos.length) {
    index = (index + 1) % photos.length;
    photo = photos[index];
    display(photo, false);
  }
  // A clip moves on when it ends; this is the fallback should it stall.
  const clip = photo?.video ? (photo.duration || 0) * 1000 + 3000 : 0;
  timer = setTimeout(step, Math.max(interval, clip));
}

const source = new EventSource(`/api/v1/events/${show.dataset.event}/live?since=${encodeURIComponent(show.dataset.since)}`);
source.addEventListener("photo", (e) => {
  const photo = JSON.parse(e.data);
  if (known.has(photo.id)) return;
  known.add(photo.id);
  fresh.push(photo);
  // Shown at once; several at once take their turns at the usual pace.
  if (fresh.length === 1) { clearTimeout(timer); step(); }
});
show.dataset.live = "connecting";
source.addEventListener("open", () => { show.dataset.live = "open"; });

document.getElementById("interval").addEventListener("change", (e) => {
  interval = Number(e.target.value) * 1000;
  const url = new URL(location.href);
  url.searchParams.set("interval", e.target.value);
  history.replaceState(null, "", url);
});
document.getElementById("fullscreen").addEventListener("click", () => {
  if (document.fullscreenElement) document.exitFullscreen();
  else document.documentElement.requestFullscreen?.();
});
document.addEventListener("keydown", (e) => {
  if (e.key === "ArrowRight" || e.key === " ") { clearTimeout(timer); step(); }
  else if (e.key === "f") document.getElementById("fullscreen").click();
});
step();
