// The timeline's date scrubber: a rail at the right edge with the timeline's months, each as
// tall as its share of the photos. Hovering names the month under the pointer; a click, a drag
// (touch too) or a key (arrows: a month, PageUp/PageDown: a year, Home/End) jumps to it, and
// the rail marks the month in view while scrolling.
//
// A month not loaded yet comes from the infinite scroll's own /timeline/more, loaded into the
// sentinel whose months it lies in: the months it skips over stay behind a sentinel of their
// own (`until` that month), loaded when scrolled to, from above as usual or from below month by
// month, newest last, without moving what is on screen.
const rail = document.querySelector(".scrubber");
const grid = document.getElementById("grid");
const htmx = window.htmx;
const months = rail ? [...rail.querySelectorAll(".scrub-month")] : [];  // newest first
const names = months.map((m) => m.dataset.month);
const years = [...new Set(names.map((m) => m.slice(0, 4)))];
const thumb = rail?.querySelector(".scrub-thumb");
const label = rail?.querySelector(".scrub-label");
let current = 0;
let wanted = null;  // the month a jump under way goes on to
let pinned = null;  // after a jump, its month's header and the scroll position it left

const params = (el) => new URL(el.getAttribute("hx-get"), location.href).searchParams;
const stickyTop = () => document.querySelector(".topbar")?.offsetHeight ?? 0;

function link(el, changes) {
  const url = new URL(el.getAttribute("hx-get"), location.href);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) url.searchParams.delete(key);
    else url.searchParams.set(key, value);
  }
  return url.pathname + url.search;
}

// Loads `month` where sentinel `gap` stands, the months before it staying behind a sentinel
// of their own (put in at the swap: the page changes at once).
async function fill(gap, month) {
  const skips = month !== params(gap).get("month");
  if (skips) {
    gap.addEventListener("htmx:beforeSwap", () => {
      const skipped = document.createElement("div");
      skipped.className = "sentinel";
      skipped.textContent = gap.textContent;
      for (const name of ["hx-trigger", "hx-swap"]) {
        skipped.setAttribute(name, gap.getAttribute(name));
      }
      skipped.setAttribute("hx-get", link(gap, { until: month }));
      gap.before(skipped);
      htmx.process(skipped);
    }, { once: true });
  }
  gap.dataset.filling = "";
  const url = skips ? link(gap, { month, cursor: null }) : gap.getAttribute("hx-get");
  await htmx.ajax("GET", url, { source: gap, target: gap, swap: "outerHTML" });
}

// The header of `month`, loading it first if need be (null should that fail).
async function load(month) {
  for (;;) {
    const head = document.getElementById(`m-${month}`);
    if (head) return head;
    const gap = [...grid.querySelectorAll(".sentinel[hx-get]")].find((s) => {
      const p = params(s), until = p.get("until");
      return p.get("month") >= month && (!until || until < month);
    });
    if (!gap) return null;
    if (gap.classList.contains("htmx-request")) {  // loading already: wait for it, look again
      await new Promise((done) => gap.addEventListener("htmx:afterRequest", done, { once: true }));
    } else {
      await fill(gap, month);
      if (!document.getElementById(`m-${month}`)) return null;
    }
  }
}

// Where the page is looked at: the month jumped to, or the middle of the view.
const looked = () => (pinned?.head.isConnected ? pinned.head.getBoundingClientRect().top
  : innerHeight / 2);

// A sentinel of skipped months above that loads the one next to what is below it.
document.addEventListener("htmx:confirm", (e) => {
  const gap = e.detail.elt;
  if (!rail || !gap.matches?.(".sentinel[hx-get]") || "filling" in gap.dataset) return;
  const nearest = names.indexOf(params(gap).get("until")) - 1;
  if (nearest < 0 || gap.getBoundingClientRect().bottom > looked()) return;
  e.preventDefault();
  fill(gap, names[nearest]);
});

// What loads above it does not move it (captured: before the swap's own changes).
document.addEventListener("htmx:beforeSwap", (e) => {
  const gap = e.detail.target, next = gap.nextElementSibling;
  if (!rail || !next || !gap.matches(".sentinel")) return;
  if (gap.getBoundingClientRect().bottom > looked()) return;
  const before = next.getBoundingClientRect().top;
  gap.addEventListener("htmx:afterRequest", () => {
    scrollBy(0, next.getBoundingClientRect().top - before);
    if (pinned) pinned.y = scrollY;  // the same view: the month jumped to stays marked
  }, { once: true });
}, true);

// The header just under the top bar (placed by the photo after it: a sticky header's own box
// may be stuck).
function scrollToMonth(head) {
  const first = head.nextElementSibling ?? head;
  const gaps = parseFloat(getComputedStyle(head).marginBottom)
    + parseFloat(getComputedStyle(grid).rowGap);
  const top = first.getBoundingClientRect().top + scrollY - head.offsetHeight - gaps - stickyTop();
  scrollTo({ top, behavior: "instant" });
  pinned = { head, y: scrollY };
}

async function jump(i) {
  mark(i);
  const running = wanted !== null;
  wanted = i;
  if (running) return;
  try {
    while (true) {
      const target = wanted;
      const head = await load(names[target]);
      if (head) scrollToMonth(head);
      if (wanted === target) break;
    }
  } finally {
    wanted = null;
  }
}

function mark(i) {
  current = i;
  months.forEach((m, j) => m.classList.toggle("current", j === i));
  const box = months[i].getBoundingClientRect();
  thumb.style.top = `${box.top - rail.getBoundingClientRect().top + box.height / 2}px`;
  rail.setAttribute("aria-valuenow", String(i));
  rail.setAttribute("aria-valuetext", months[i].dataset.label);
}

// The month at the top of the view: the last header at or above the line under the top bar.
function inView() {
  const line = stickyTop() + 48;
  let found = 0;
  for (const head of grid.querySelectorAll(".monthhead")) {
    if (head.getBoundingClientRect().top > line) break;
    found = Math.max(0, names.indexOf(head.id.slice(2)));
  }
  return found;
}

function show(i, y) {
  label.textContent = months[i].dataset.label;
  label.style.top = `${y - rail.getBoundingClientRect().top}px`;
  label.hidden = false;
}

const under = (y) => {
  const i = months.findIndex((m) => m.getBoundingClientRect().bottom > y);
  return i < 0 ? months.length - 1 : i;
};

function key(e) {
  const year = years.indexOf(names[current].slice(0, 4));
  const first = (y) => names.findIndex((m) => m.startsWith(y));
  const to = {
    ArrowDown: current + 1, ArrowRight: current + 1, ArrowUp: current - 1, ArrowLeft: current - 1,
    PageDown: year + 1 < years.length ? first(years[year + 1]) : months.length - 1,
    PageUp: year > 0 ? first(years[year - 1]) : 0, Home: 0, End: months.length - 1,
  }[e.key];
  if (to === undefined) return;
  e.preventDefault();
  const i = Math.min(Math.max(to, 0), months.length - 1);
  const box = months[i].getBoundingClientRect();
  show(i, box.top + box.height / 2);
  jump(i);
}

// Year labels too close to the one above give way to it.
function layout() {
  const bar = document.querySelector(".mainnav") ?? document.querySelector(".topbar");
  rail.style.top = `${(bar ? bar.getBoundingClientRect().bottom + scrollY : 0) + 8}px`;
  let last = -Infinity;
  for (const year of rail.querySelectorAll(".scrub-year")) {
    const top = year.getBoundingClientRect().top;
    year.classList.toggle("crowded", top - last < 16);
    if (top - last >= 16) last = top;
  }
  mark(current);
}

function start() {
  for (const m of months) m.style.flexGrow = m.dataset.count;
  rail.hidden = false;
  layout();
  addEventListener("resize", layout);
  let queued = false;
  addEventListener("scroll", () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      if (wanted !== null || (pinned && Math.abs(scrollY - pinned.y) < 2)) return;
      pinned = null;
      mark(inView());
    });
  }, { passive: true });

  let dragging = false;
  rail.addEventListener("pointerdown", (e) => {
    if (e.button > 0) return;
    e.preventDefault();
    dragging = true;
    rail.setPointerCapture(e.pointerId);
    const i = under(e.clientY);
    show(i, e.clientY);
    jump(i);
  });
  rail.addEventListener("pointermove", (e) => {
    if (!dragging && e.pointerType !== "mouse") return;
    const i = under(e.clientY);
    show(i, e.clientY);
    if (dragging && i !== current) jump(i);
  });
  const end = (e) => {
    dragging = false;
    if (e.pointerType !== "mouse") label.hidden = true;
  };
  rail.addEventListener("pointerup", end);
  rail.addEventListener("pointercancel", end);
  rail.addEventListener("pointerleave", () => { if (!dragging) label.hidden = true; });
  rail.addEventListener("keydown", key);
  rail.addEventListener("blur", () => { label.hidden = true; });
}

if (rail && grid && htmx) start();
