// datetime-local fields show stored UTC instants in the browser's time; app.js sends them
// back as UTC ISO strings.
const pad = (n) => String(n).padStart(2, "0");
for (const input of document.querySelectorAll("input[type=datetime-local][data-utc]")) {
  if (!input.dataset.utc) continue;
  const d = new Date(input.dataset.utc);
  if (!isNaN(d)) {
    input.value = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }
}

// A new event's time zone starts as the browser's (the host is usually where the event is).
for (const input of document.querySelectorAll("input[data-browser-zone]")) {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!input.value && zone) input.value = zone;
}
