// After a link is made: its address, QR code and printable poster (the only time the full
// address is known to the page).
const form = document.getElementById("newlink");
form?.addEventListener("api:done", (e) => {
  const { token, url } = e.detail;
  document.getElementById("newlink-url").value = url;
  document.getElementById("newlink-qr").src = `/api/v1/share/${token}/qr.svg`;
  document.getElementById("newlink-poster").href = `/s/${token}/poster`;
  const box = document.getElementById("newlink-result");
  box.hidden = false;
  box.scrollIntoView({ behavior: "smooth" });
  form.reset();
});
