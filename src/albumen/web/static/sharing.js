// A link's address, QR code and printable poster: right after it is made, and again from the
// list whenever a host wants it (the server keeps it sealed for the event's managers).
const form = document.getElementById("newlink");
const box = document.getElementById("newlink-result");

function show({ token, url, label }, title) {
  document.getElementById("newlink-title").textContent = title;
  document.getElementById("newlink-url").value = url;
  const qr = document.getElementById("newlink-qr");
  qr.src = `/api/v1/share/${token}/qr.svg`;
  qr.alt = `QR code of the link${label ? ` "${label}"` : ""}`;
  document.getElementById("newlink-poster").href = `/s/${token}/poster`;
  box.hidden = false;
  box.scrollIntoView({ behavior: "smooth" });
}

// The list again from the server, so a new link is in it without reloading the page.
async function refreshList() {
  const res = await fetch(location.href, { headers: { Accept: "text/html" } });
  if (!res.ok) return;
  const doc = new DOMParser().parseFromString(await res.text(), "text/html");
  const fresh = doc.getElementById("links");
  if (fresh) document.getElementById("links").replaceWith(fresh);
}

form?.addEventListener("api:done", (e) => {
  show(e.detail, "Your new link");
  form.reset();
  refreshList();
});

document.addEventListener("click", (e) => {
  const button = e.target.closest("[data-show-link]");
  if (!button) return;
  const { token, url, label } = button.dataset;
  show({ token, url, label }, label ? `Link "${label}"` : "Link");
});
