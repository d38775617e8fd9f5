// The review queue: approve or reject one photo, or all the selected ones at once.
import { api, toast } from "/static/app.js";

const form = document.getElementById("moderation");
if (form) {
  const picks = () => [...form.querySelectorAll("input[name=pick]")];
  const count = () => {
    const n = picks().filter((p) => p.checked).length;
    document.getElementById("modcount").textContent = n ? `${n} selected` : "";
  };
  document.getElementById("all").addEventListener("change", (e) => {
    for (const p of picks()) p.checked = e.target.checked;
    count();
  });
  form.addEventListener("change", count);
  form.addEventListener("click", async (e) => {
    const btn = e.target.closest("[data-decide]");
    if (!btn) return;
    const ids = btn.dataset.one ? [Number(btn.dataset.one)]
      : picks().filter((p) => p.checked).map((p) => Number(p.value));
    if (!ids.length) return toast("select photos first", true);
    try {
      const r = await api("POST", `/api/v1/events/${form.dataset.event}/moderation`,
                          { asset_ids: ids, decision: btn.dataset.decide });
      for (const id of ids) form.querySelector(`.moditem[data-id="${id}"]`)?.remove();
      toast(`${r.changed} photo(s) ${btn.dataset.decide === "approve" ? "approved" : "rejected"}`);
      count();
      if (!form.querySelector(".moditem")) {
        form.innerHTML = '<div class="empty card"><h2>All reviewed</h2><p>New uploads will wait here.</p></div>';
      }
    } catch (err) { toast(err.message, true); }
  });
}
