// The places page: every photo with a position on a Leaflet map (vendored, loaded before this
// module as window.L, with leaflet.markercluster and topojson-client). Photos close together
// on screen merge into a cluster with their count (click: zoom in, or spread them out where
// they share a spot). Map tiles only when the server configures a tile server; without one
// the offline base map of basemap.js (land, coasts, borders, country and city names).
import { addBaseMap } from "/static/basemap.js";

const box = document.getElementById("map");
const L = window.L;
const status = document.getElementById("map-status");

function say(text) { if (status) status.textContent = text; }

const dot = L && L.divIcon({ className: "photodot", iconSize: [14, 14], popupAnchor: [0, -6] });

function clusterIcon(cluster) {
  const n = cluster.getChildCount();
  const size = n < 10 ? 34 : n < 100 ? 40 : n < 1000 ? 46 : 54;
  return L.divIcon({ className: "photocluster", iconSize: [size, size],
                     html: `<b>${n}</b><span class="sr-only"> photos</span>` });
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
  const points = [];  // [lat, lon] of every photo
  const map = L.map(box, { preferCanvas: true, worldCopyJump: true, minZoom: 1,
                           maxZoom: tiles ? 19 : 18 });
  if (tiles) {
    L.tileLayer(tiles, { attribution: box.dataset.attribution || "", maxZoom: 19 }).addTo(map);
  } else {
    // country names keep clear of the photos' dots and clusters (the first 2,000 of them)
    const avoid = () => {
      const size = map.getSize(), seen = new Set(), out = [];
      for (const ll of points.slice(0, 2000)) {
        const p = map.latLngToContainerPoint(ll);
        const key = `${Math.round(p.x / 8)},${Math.round(p.y / 8)}`;
        const away = p.x < -20 || p.y < -20 || p.x > size.x + 20 || p.y > size.y + 20;
        if (away || seen.has(key)) continue;
        seen.add(key);
        out.push([p.x, p.y, 20]);
      }
      return out;
    };
    addBaseMap(map, { avoid }).ready
      .catch(() => say("The base map could not be loaded: photos only."));
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
  const markers = [];
  for (const f of data.features) {
    const [lon, lat] = f.geometry.coordinates;
    points.push([lat, lon]);
    const where = names.get(f.properties.place_id);
    markers.push(L.marker([lat, lon], { icon: dot, title: where?.label || "Photo" })
      .bindPopup(() => popup(f.properties, where)));
  }
  const group = L.markerClusterGroup
    ? L.markerClusterGroup({ maxClusterRadius: 44, showCoverageOnHover: false,
                             chunkedLoading: true, iconCreateFunction: clusterIcon })
    : L.layerGroup();
  if (group.addLayers) group.addLayers(markers);
  else markers.forEach((m) => group.addLayer(m));
  map.addLayer(group);
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
