// The account page: the scopes checkbox shapes the new key; its secret is shown once.
const form = document.getElementById("newkey");
form?.addEventListener("submit", () => {
  const write = form.querySelector("[data-scope=write]").checked;
  let scopes = form.querySelector("input[name=scopes]");
  if (!scopes) {
    scopes = document.createElement("input");
    scopes.type = "hidden"; scopes.name = "scopes"; scopes.dataset.list = "";
    form.append(scopes);
  }
  scopes.value = write ? "read,write" : "read";
}, true);
form?.addEventListener("api:done", (e) => {
  document.getElementById("secret").hidden = false;
  document.getElementById("secret-value").value = e.detail.secret;
});
