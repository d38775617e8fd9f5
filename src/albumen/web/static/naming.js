// Naming people: the names already given are suggested as one is typed (a <datalist> filled
// from GET /api/v1/people?q=), and a name someone else of yours has asks first:
// "Same person as Tom (3 photos)? Merge / Keep separate" (the API's 409 same_name), then sends
// the form again with "merge": true or false.
//
//   <form data-api="POST /api/v1/people" data-then="/people/{id}" data-naming>
//     <input name="name" list="people-names" data-suggest> ...
//   <datalist id="people-names"></datalist>
import { after, api, formJson } from "/static/app.js";

const names = document.getElementById("people-names");
const photos = (n) => `${n} photo${n === 1 ? "" : "s"}`;
let typed = 0;  // the latest keystroke's answer wins over slower earlier ones

document.addEventListener("input", async (e) => {
  const input = e.target.closest("input[data-suggest]");
  if (!input) return;
  input.form?.querySelector(".samename")?.remove();  // a new name, a new question
  if (!names) return;
  const q = input.value.trim();
  const mine = ++typed;
  if (!q) { names.replaceChildren(); return; }
  let found;
  try {
    found = await api("GET", `/api/v1/people?q=${encodeURIComponent(q)}&limit=8`);
  } catch { return; }  // suggestions are a convenience: typing goes on without them
  if (mine !== typed) return;
  const self = input.form?.dataset.person;
  names.replaceChildren(...found.filter((p) => String(p.id) !== self).map((p) => {
    const option = document.createElement("option");
    option.value = p.name;
    option.label = photos(p.asset_count);
    return option;
  }));
});

document.addEventListener("api:error", (e) => {
  const form = e.target.closest("form[data-naming]");
  const err = e.detail;
  if (!form || err.status !== 409 || err.body?.error?.code !== "same_name") return;
  e.preventDefault();
  ask(form, err.body.error.details.person);
});

function ask(form, person) {
  form.querySelector(".samename")?.remove();
  const box = document.createElement("div");
  box.className = "samename";
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", "Same person?");
  const text = document.createElement("p");
  text.setAttribute("role", "status");
  const who = document.createElement("strong");
  who.textContent = person.name;
  text.append("Same person as ", who, ` (${photos(person.asset_count)})?`);
  if (person.cover) {
    const img = document.createElement("img");
    img.src = person.cover;
    img.alt = "";
    img.width = img.height = 36;
    box.append(img);
  }
  const merge = button("Merge", "primary");
  const separate = button("Keep separate", "");
  merge.addEventListener("click", () => decide(form, box, true));
  separate.addEventListener("click", () => decide(form, box, false));
  box.addEventListener("keydown", (e) => {
    if (e.key === "Escape") { box.remove(); form.querySelector("input[data-suggest]")?.focus(); }
  });
  box.append(text, merge, separate);
  form.append(box);
  merge.focus();
}

function button(label, kind) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = `small ${kind}`.trim();
  b.textContent = label;
  return b;
}

async function decide(form, box, merge) {
  const [method, url] = form.dataset.api.split(" ");
  const error = form.querySelector(".form-error");
  for (const b of box.querySelectorAll("button")) b.disabled = true;
  try {
    const data = await api(method, url, { ...formJson(form), merge });
    box.remove();
    after(form.dataset.then, data, form);
  } catch (err) {
    for (const b of box.querySelectorAll("button")) b.disabled = false;
    if (error) error.textContent = err.message;
  }
}
