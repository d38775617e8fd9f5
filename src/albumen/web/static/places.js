// The places page: every photo with a position as a dot on a Leaflet map (vendored, loaded
// before this module as window.L). Map tiles only when the server configures a tile server;
// without them a light graticule (every 30°) keeps the dots readable as a map.
const box = document.getElementById("map");
const L = window.L;
const status = document.getElementById("map-status");

function say(text) { if (status) status.textContent = text; }

function graticule(map) {
  // Drawn over three world widths, so panning across the antimeridian keeps its lines.
  const style = { color: "#8a97a8", weight: 1, opacity: 0.45, interactive: false };
  for (let lat = -60; lat <= 60; lat += 30) {
    L.polyline([[lat, -540], [lat, 540]], { ...style, dashArray: lat ? "4 6" : null }).addTo(map);
  }
  for (let lon = -540; lon <= 540; lon += 30) {
    const meridian = lon % 180 === 0;  // 0° and the antimeridian stand out
    L.polyline([[-85, lon], [85, lon]], { ...style, dashArray: meridian ? null : "4 6" })
      .addTo(map);
  }
}

// place id -> {label, q} from the list under the map (the server names places for search)
function placeIndex() {
  const out = new Map();
  for (const li of document.querySelectorAll(".placelist [data-place]")) {
    out.set(Number(li.dataset.place), { label: li.dataset.label, q: li.dataset.q });
  }
  return out;
}

function popup(props, where) {
  const el = document.createElement("div");
  el.className = "mappop";
  const open = document.createElement("a");
  open.href = `/photos/${props.asset_id}`;
  const img = document.createElement("img");
  img.src = props.thumbnail;
  img.alt = `Photo ${props.asset_id}`;
  img.width = 160;
  img.height = 160;
  open.append(img);
  el.append(open);
  if (props.taken_at) {
    const when = document.createElement("div");
    when.className = "small muted";
    when.textContent = new Date(props.taken_at).toLocaleString();
    el.append(when);
  }
  if (where?.q) {
    const link = document.createElement("a");
    link.href = `/search?q=${encodeURIComponent(where.q)}`;
    link.textContent = `${where.label}: all photos`;
    el.append(link);
  }
  return el;
}

async function draw() {
  const tiles = box.dataset.tiles;
  const map = L.map(box, { preferCanvas: true, worldCopyJump: true, minZoom: 1 });
  if (tiles) {
    L.tileLayer(tiles, { attribution: box.dataset.attribution || "", maxZoom: 19 }).addTo(map);
  } else {
    graticule(map);
  }
  L.control.scale().addTo(map);
  map.setView([20, 0], 2);
  let at = null;
  if (box.dataset.at) {
    at = box.dataset.at.split(",").map(Number);
    map.setView(at, 13);
  }
  const res = await fetch(box.dataset.geojson, { credentials: "same-origin",
                                                 headers: { Accept: "application/json" } });
  if (!res.ok) throw new Error(`could not load the photos' positions (${res.status})`);
  const data = await res.json();
  const names = placeIndex();
  const points = [];
  for (const f of data.features) {
    const [lon, lat] = f.geometry.coordinates;
    points.push([lat, lon]);
    L.circleMarker([lat, lon], { radius: 6, weight: 1.5, color: "#ffffff", fillColor: "#c2570c",
                                 fillOpacity: 0.85 })
      .bindPopup(() => popup(f.properties, names.get(f.properties.place_id)))
      .addTo(map);
  }
  if (at) {
    L.circleMarker(at, { radius: 11, weight: 3, color: "#2457d6", fillColor: "#2457d6",
                         fillOpacity: 0.25 })
      .bindTooltip("This photo", { permanent: false }).addTo(map);
  } else if (points.length) {
    map.fitBounds(L.latLngBounds(points), { padding: [30, 30], maxZoom: 12 });
  }
  box.dataset.points = String(points.length);  // drawn (the browser tests wait for it)
  if (!points.length) say("No photos with a position yet.");
  for (const button of document.querySelectorAll(".placelist [data-fly]")) {
    button.addEventListener("click", () => {
      const li = button.closest("[data-place]");
      map.flyTo([Number(li.dataset.lat), Number(li.dataset.lon)], 11);
      box.scrollIntoView({ behavior: "smooth", block: "center" });
    });
  }
}

if (box && L) {
  draw().catch((err) => say(err.message));
} else if (box) {
  say("The map could not be loaded.");
}
