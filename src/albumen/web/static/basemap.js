// An offline base map for any Leaflet map, drawn from files albumen ships (static/vendor/):
// Natural Earth land, coastlines and country borders (world-atlas TopoJSON, 1:110m when zoomed
// out, 1:50m from DETAIL_ZOOM on, converted by topojson-client), a faint graticule on the sea,
// and labels for countries and large cities where they fit.
//
//   import { addBaseMap } from "/static/basemap.js";
//   const base = addBaseMap(map);          // needs window.L and window.topojson loaded first
//   await base.ready;                      // the first drawing (rejects if a file is missing)
//
// Colours come from CSS custom properties on the map's container (--map-land, --map-coast,
// --map-border, --map-grid; the sea is the container's background), re-read when the system
// switches between light and dark. State for tests and the page lands on the container's
// dataset: basemap ("110m" or "50m": what is drawn), basemapLines (coastline and border lines
// drawn), labeledZoom (the zoom the labels were last laid out for), labels (how many).
const L = window.L;
const VENDOR = "/static/vendor/";
export const DETAIL_ZOOM = 4;       // 1:50m from here on, 1:110m below
export const COUNTRY_ZOOM = 2;      // country names from here on
export const CITY_ZOOM = 4;         // city names from here on
const COUNTRY_FONT = { size: 11, weight: 600, spacing: 0.08, line: 14 };
const CITY_FONT = { size: 12, weight: 500, spacing: 0, line: 14 };
const CITY_DOT = 8;                 // px left of a city's name for its dot
const GAP = 3;                      // px kept free around every label
// Natural Earth's names, shortened where the long form keeps a big country unnamed
const SHORT = { "United States of America": "United States", "Dem. Rep. Congo": "DR Congo" };

// A city is named from the zoom where its rank (its population, more for a capital) reaches
// the bar; past the last bar every city in cities.json may show. Overlaps are then skipped,
// the most important first, so a dense region shows its biggest cities and no clutter.
function cityBar(zoom) {
  if (zoom < CITY_ZOOM) return Infinity;
  if (zoom < 5) return 3_000_000;
  if (zoom < 6) return 1_500_000;
  if (zoom < 7) return 750_000;
  return 0;
}
// A capital counts three times its size, and one of 100,000 people or more at least as a city
// of 750,000 (Bern, Canberra from zoom 6 on; the capitals of micro-states from zoom 7).
const rankOf = ({ capital, population }) => (capital
  ? Math.max(population * 3, population >= 100_000 ? 750_000 : 0) : population);

async function getJSON(url) {
  const res = await fetch(url, { credentials: "same-origin" });
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return res.json();
}

// --- geometry ------------------------------------------------------------------------------
const mercY = (lat) => (180 / Math.PI) * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
const unmercY = (y) => (360 / Math.PI) * Math.atan(Math.exp((y * Math.PI) / 180)) - 90;

function ringArea(ring) {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    a += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  }
  return Math.abs(a / 2);
}

function segDist2(px, py, a, b) {
  let x = a[0], y = a[1], dx = b[0] - x, dy = b[1] - y;
  if (dx || dy) {
    const t = Math.max(0, Math.min(1, ((px - x) * dx + (py - y) * dy) / (dx * dx + dy * dy)));
    x += dx * t;
    y += dy * t;
  }
  return (px - x) ** 2 + (py - y) ** 2;
}

// Signed distance from a point to a polygon's edge (positive inside).
function edgeDistance(x, y, rings) {
  let inside = false, best = Infinity;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const a = ring[i], b = ring[j];
      if ((a[1] > y) !== (b[1] > y) && x < ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]) + a[0]) {
        inside = !inside;
      }
      best = Math.min(best, segDist2(x, y, a, b));
    }
  }
  return (inside ? 1 : -1) * Math.sqrt(best);
}

// The polygon's pole of inaccessibility (the inside point farthest from its edge: where a label
// sits best), by the quadtree search of Mapbox's polylabel.
function poleOf(rings) {
  const outer = rings[0];
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const [x, y] of outer) {
    minX = Math.min(minX, x); minY = Math.min(minY, y);
    maxX = Math.max(maxX, x); maxY = Math.max(maxY, y);
  }
  const size = Math.min(maxX - minX, maxY - minY);
  const precision = Math.max(size / 100, 1e-3);
  const cell = (x, y, h) => {
    const d = edgeDistance(x, y, rings);
    return { x, y, h, d, max: d + h * Math.SQRT2 };
  };
  let best = cell((minX + maxX) / 2, (minY + maxY) / 2, 0);
  if (!size) return [best.x, best.y];
  const queue = [];
  for (let x = minX; x < maxX; x += size) {
    for (let y = minY; y < maxY; y += size) queue.push(cell(x + size / 2, y + size / 2, size / 2));
  }
  while (queue.length) {
    let top = 0;
    for (let i = 1; i < queue.length; i++) if (queue[i].max > queue[top].max) top = i;
    const c = queue[top];
    queue[top] = queue[queue.length - 1];
    queue.pop();
    if (c.d > best.d) best = c;
    if (c.max - best.d <= precision) continue;
    const h = c.h / 2;
    queue.push(cell(c.x - h, c.y - h, h), cell(c.x + h, c.y - h, h),
               cell(c.x - h, c.y + h, h), cell(c.x + h, c.y + h, h));
  }
  return [best.x, best.y];
}

// Where a country's name goes: in its largest part (mainland France, not French Guiana), with
// that part's width in degrees of longitude (a name is shown when it fits across it).
function countryLabel(feature) {
  let main = null, area = -1;
  for (const rings of polygonsOf(feature.geometry)) {
    const projected = rings.map((r) => r.map(([lon, lat]) => [lon, mercY(lat)]));
    const a = ringArea(projected[0]);
    if (a > area) { area = a; main = projected; }
  }
  const xs = main[0].map((p) => p[0]);
  const [x, y] = poleOf(main);
  return { name: feature.properties.name, lat: unmercY(y), lon: x,
           span: Math.max(...xs) - Math.min(...xs), area };
}

// Natural Earth cuts the land at the antimeridian and closes Antarctica along the bottom edge:
// those edges are no coast, so they are left out of the coastline.
function coastParts(lines) {
  const out = [];
  for (const line of lines) {
    let part = [line[0]];
    for (let i = 1; i < line.length; i++) {
      const [x0, y0] = line[i - 1], [x1, y1] = line[i];
      const cut = (Math.abs(x0) > 179.9 && Math.abs(x1) > 179.9 && Math.abs(x0 - x1) < 0.01)
        || (y0 < -85 && y1 < -85);
      if (cut) {
        if (part.length > 1) out.push(part);
        part = [];
      }
      part.push(line[i]);
    }
    if (part.length > 1) out.push(part);
  }
  return out;
}

function graticuleLines() {
  const solid = [], dashed = [];
  for (let lat = -60; lat <= 60; lat += 30) (lat ? dashed : solid).push([[-180, lat], [180, lat]]);
  for (let lon = -180; lon < 180; lon += 30) {
    (lon % 180 === 0 ? solid : dashed).push([[lon, -85], [lon, 85]]);
  }
  return { solid, dashed };
}

// A line or ring that crosses the antimeridian jumps from 180° to -180° (Fiji, Chukotka): it
// is made to go on past 180° instead (the world's copies east and west draw the rest), so no
// stripe runs across the whole map. A ring that does not come back (Antarctica's, closed along
// the bottom edge) stays as it is.
function unwrap(line, ring = false) {
  let shift = 0;
  const out = [line[0]];
  for (let i = 1; i < line.length; i++) {
    const step = line[i][0] + shift - out[i - 1][0];
    if (step > 180) shift -= 360;
    else if (step < -180) shift += 360;
    out.push(shift ? [line[i][0] + shift, line[i][1]] : line[i]);
  }
  return ring && shift ? line : out;
}

function polygonsOf(geometry) {
  const parts = geometry.type === "Polygon" ? [geometry.coordinates]
    : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
  return parts.map((rings) => rings.map((r) => unwrap(r, true)));
}

// One resolution's shapes as GeoJSON coordinate arrays ([lon, lat]), from the topology.
function shapesOf(topo) {
  const topojson = window.topojson;
  const land = topojson.feature(topo, topo.objects.land);
  const polygons = (land.features ?? [land]).flatMap((f) => polygonsOf(f.geometry));
  const lines = (mesh) => mesh.coordinates.map((line) => unwrap(line));
  const borders = lines(topojson.mesh(topo, topo.objects.countries, (a, b) => a !== b));
  const coast = coastParts(lines(topojson.mesh(topo, topo.objects.land)));
  return { polygons, borders, coast };
}

const toLatLngs = (lines, dx) => lines.map((line) => line.map(([lon, lat]) => [lat, lon + dx]));

// --- the base map --------------------------------------------------------------------------
// Options: labels (false: shapes only), vendor (where the files are), avoid (a function giving
// [x, y, radius] circles in container pixels that names keep clear of, such as the page's own
// markers: a country's name then moves a line up or down, a city's further right, or is left
// out).
export function addBaseMap(map, { labels = true, vendor = VENDOR, avoid = null } = {}) {
  const box = map.getContainer();
  if (!map.getPane("basemap")) {
    map.createPane("basemap").style.zIndex = "200";   // where tiles would be
    const pane = map.createPane("maplabels");
    pane.style.zIndex = "450";                         // over the shapes, under markers
    pane.style.pointerEvents = "none";
  }
  const renderer = L.canvas({ pane: "basemap", padding: 0.5 });
  const root = L.layerGroup().addTo(map);
  const labelLayer = L.layerGroup().addTo(map);
  const shapes = {};            // resolution -> GeoJSON coordinate arrays
  const drawn = new Map();      // "resolution:copy" -> layer group
  let current = null;           // resolution drawn
  let countries = [];
  let cities = [];
  let gone = false;

  function colours() {
    const css = getComputedStyle(box);
    const v = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
    return { land: v("--map-land", "#fbfcfd"), coast: v("--map-coast", "#8795a8"),
             border: v("--map-border", "#aab4c2"), grid: v("--map-grid", "#8a97a8") };
  }
  const styles = () => {
    const c = colours();
    return {
      grid: { color: c.grid, weight: 1, opacity: 0.35 },
      gridDashed: { color: c.grid, weight: 1, opacity: 0.35, dashArray: "4 6" },
      land: { stroke: false, fill: true, fillColor: c.land, fillOpacity: 1 },
      border: { color: c.border, weight: 0.8, opacity: 1 },
      coast: { color: c.coast, weight: 0.9, opacity: 1 },
    };
  };

  // A copy of the world dx degrees east (0, or ±360 when the view crosses the antimeridian).
  function build(res, dx) {
    const s = shapes[res], st = styles();
    const common = { renderer, interactive: false, smoothFactor: 0.8 };
    const grid = graticuleLines();
    const group = L.layerGroup([
      L.polyline(toLatLngs(grid.dashed, dx), { ...common, ...st.gridDashed, part: "gridDashed" }),
      L.polyline(toLatLngs(grid.solid, dx), { ...common, ...st.grid, part: "grid" }),
      L.polygon(s.polygons.map((p) => toLatLngs(p, dx)), { ...common, ...st.land, part: "land" }),
      L.polyline(toLatLngs(s.borders, dx), { ...common, ...st.border, part: "border" }),
      L.polyline(toLatLngs(s.coast, dx), { ...common, ...st.coast, part: "coast" }),
    ]);
    return group;
  }

  function restyle() {
    const st = styles();
    for (const group of drawn.values()) {
      group.eachLayer((layer) => layer.setStyle(st[layer.options.part]));
    }
  }

  // Which copies of the world the view needs, drawn at the resolution for its zoom.
  function draw() {
    if (gone) return;
    const res = map.getZoom() >= DETAIL_ZOOM && shapes["50m"] ? "50m" : "110m";
    if (!shapes[res]) return;
    const bounds = map.getBounds();
    const copies = [0];
    if (bounds.getWest() < -180) copies.push(-360);
    if (bounds.getEast() > 180) copies.push(360);
    for (const [key, group] of drawn) {   // kept, for when the view comes back
      const [r, dx] = key.split(":");
      if (r !== res || !copies.includes(Number(dx))) root.removeLayer(group);
    }
    for (const dx of copies) {
      const key = `${res}:${dx}`;
      if (!drawn.has(key)) drawn.set(key, build(res, dx));
      if (!root.hasLayer(drawn.get(key))) root.addLayer(drawn.get(key));
    }
    current = res;
    box.dataset.basemap = res;
    box.dataset.basemapLines = String(shapes[res].coast.length + shapes[res].borders.length);
  }

  let detail = null;
  function wantDetail() {
    if (gone || detail || map.getZoom() < DETAIL_ZOOM) return;
    detail = getJSON(`${vendor}countries-50m.json`).then((topo) => {
      shapes["50m"] = shapesOf(topo);
      draw();
    }).catch(() => { detail = null; });   // stays at 1:110m; tried again on the next zoom
  }

  // --- labels ------------------------------------------------------------------------------
  const measure = document.createElement("canvas").getContext("2d");
  const widths = new Map();
  function textWidth(text, font) {
    const key = `${font.size}/${font.weight}/${text}`;
    if (!widths.has(key)) {
      measure.font = `${font.weight} ${font.size}px ${getComputedStyle(box).fontFamily}`;
      widths.set(key, Math.ceil(measure.measureText(text).width
                                + text.length * font.spacing * font.size) + 2);
    }
    return widths.get(key);
  }

  function labelIcon(kind, text, w, h, anchorX, anchorDy = 0) {
    const el = document.createElement("div");
    el.textContent = text;
    return L.divIcon({ className: `maplabel ${kind}`, html: el, iconSize: [w, h],
                       iconAnchor: [anchorX, h / 2 + anchorDy] });
  }

  function relabel() {
    if (gone || !labels) return;
    labelLayer.clearLayers();
    const zoom = map.getZoom(), size = map.getSize();
    const worldPx = 256 * 2 ** zoom;
    const placed = [];
    const free = (b) => b.x0 >= 0 && b.y0 >= 0 && b.x1 <= size.x && b.y1 <= size.y
      && placed.every((p) => b.x0 >= p.x1 + GAP || b.x1 <= p.x0 - GAP
                             || b.y0 >= p.y1 + GAP || b.y1 <= p.y0 - GAP);
    const circles = avoid ? avoid() : [];
    const clear = (b) => circles.every(([x, y, r]) => {
      const dx = Math.max(b.x0 - x, 0, x - b.x1), dy = Math.max(b.y0 - y, 0, y - b.y1);
      return dx * dx + dy * dy >= r * r;
    });
    // where a place is in view: in this world or in a copy east or west of it
    const spots = (lat, lon) => [0, -360, 360]
      .map((dx) => ({ dx, p: map.latLngToContainerPoint([lat, lon + dx]) }))
      .filter(({ p }) => p.x >= 0 && p.x <= size.x && p.y >= 0 && p.y <= size.y);
    let shown = 0;
    if (zoom >= COUNTRY_ZOOM) {
      for (const c of countries) {
        const w = textWidth(c.text, COUNTRY_FONT), h = COUNTRY_FONT.line;
        if (w > (c.span / 360) * worldPx * 1.1) continue;   // wider than the country
        for (const { dx, p } of spots(c.lat, c.lon)) {
          for (const shift of [0, -(h + GAP), h + GAP]) {   // on its spot, else a line off
            const y = p.y + shift;
            const b = { x0: p.x - w / 2, y0: y - h / 2, x1: p.x + w / 2, y1: y + h / 2 };
            if (!free(b) || !clear(b)) continue;
            placed.push(b);
            const icon = labelIcon("country", c.text, w, h, w / 2, -shift);
            L.marker([c.lat, c.lon + dx], { icon, pane: "maplabels", interactive: false,
                                            keyboard: false }).addTo(labelLayer);
            shown++;
            break;
          }
        }
      }
    }
    const bar = cityBar(zoom);
    for (const c of cities) {
      if (c.rank < bar) break;   // sorted by rank: the rest are smaller still
      const w = textWidth(c.name, CITY_FONT) + CITY_DOT, h = CITY_FONT.line;
      for (const { dx, p } of spots(c.lat, c.lon)) {
        // the name right of the city's dot, or further right when a marker covers it there
        for (const off of [0, 14, 22]) {
          const b = { x0: p.x - CITY_DOT / 2, y0: p.y - h / 2,
                      x1: p.x - CITY_DOT / 2 + w + off, y1: p.y + h / 2 };
          if (!free(b) || !clear({ ...b, x0: b.x0 + CITY_DOT + off })) continue;
          placed.push(b);
          const icon = labelIcon(c.capital ? "city capital" : "city", c.name, w + off, h,
                                 CITY_DOT / 2);
          if (off) icon.options.html.style.paddingLeft = `${off}px`;
          L.marker([c.lat, c.lon + dx], { icon, pane: "maplabels", interactive: false,
                                          keyboard: false }).addTo(labelLayer);
          shown++;
          break;
        }
      }
    }
    box.dataset.labels = String(shown);
    box.dataset.labeledZoom = String(zoom);
  }

  function update() {
    wantDetail();
    draw();
    relabel();
  }

  const dark = window.matchMedia?.("(prefers-color-scheme: dark)");
  const onScheme = () => restyle();
  const ready = (async () => {
    const [topo, places] = await Promise.all([
      getJSON(`${vendor}countries-110m.json`),
      labels ? getJSON(`${vendor}cities.json`) : null,
    ]);
    if (gone) return;
    shapes["110m"] = shapesOf(topo);
    if (labels) {
      countries = window.topojson.feature(topo, topo.objects.countries).features
        .filter((f) => f.geometry && f.properties?.name)
        .map(countryLabel)
        .map((c) => ({ ...c, text: (SHORT[c.name] ?? c.name).toUpperCase() }))
        .sort((a, b) => b.area - a.area);
      const at = Object.fromEntries(places.fields.map((name, i) => [name, i]));
      cities = places.cities.map((row) => ({
        name: row[at.name], lat: row[at.lat], lon: row[at.lon], population: row[at.population],
        capital: Boolean(row[at.capital]),
      })).map((c) => ({ ...c, rank: rankOf(c) })).sort((a, b) => b.rank - a.rank);
    }
    map.on("moveend", update);
    map.on("resize", relabel);
    dark?.addEventListener("change", onScheme);
    update();
  })();

  const credit = labels ? "Natural Earth · GeoNames" : "Natural Earth";
  map.attributionControl?.addAttribution(credit);

  return {
    ready,
    get resolution() { return current; },
    remove() {
      gone = true;
      map.off("moveend", update);
      map.off("resize", relabel);
      dark?.removeEventListener("change", onScheme);
      map.removeLayer(root);
      map.removeLayer(labelLayer);
      map.attributionControl?.removeAttribution(credit);
      delete box.dataset.basemap;
    },
  };
}
