// Many files at once, a few in flight, a progress bar per file and overall; a failure shows
// the server's reason and is retried on its own (files that succeeded are never sent again).
// `prepare` runs once before the first file is sent (a new guest gets their identity first,
// so files sent side by side are all theirs); when it fails, the files wait for a retry.
const SHOWABLE = /^image\/(jpeg|png|webp|gif|avif)$/;
// Files this large go in parts (resumable: a dropped connection resumes where it stopped,
// a reload of the page too, for as long as the server keeps the upload).
const RESUMABLE_FROM = 16 * 1024 * 1024;
const PART = 8 * 1024 * 1024;

function fileKey(file) { return `albumen:upload:${file.name}:${file.size}:${file.lastModified}`; }

export class Uploader {
  constructor({ list, overall, url, headers = () => ({}), concurrency = 3, onChange = () => {},
                prepare = null, resumable = null }) {
    Object.assign(this, { list, overall, url, headers, concurrency, onChange, prepare,
                          resumable });
    this.items = [];
    this.active = 0;
    this.ready = !prepare;
    this.preparing = null;
  }

  add(files) {
    for (const file of files) {
      const item = { file, loaded: 0, state: "queued", el: this.row(file) };
      this.items.push(item);
      this.list.append(item.el);
    }
    this.pump();
    this.render();
  }

  row(file) {
    const li = document.createElement("li");
    li.className = "upload";
    const img = document.createElement("img");
    img.alt = "";
    if (SHOWABLE.test(file.type) && file.size < 30e6) {
      img.src = URL.createObjectURL(file);
      img.onload = () => URL.revokeObjectURL(img.src);
    }
    const body = document.createElement("div");
    body.innerHTML = '<div class="name"></div><progress max="1" value="0"></progress><div class="status">waiting…</div>';
    body.querySelector(".name").textContent = file.name;
    body.querySelector("progress").setAttribute("aria-label", `Progress of ${file.name}`);
    const retry = document.createElement("button");
    retry.type = "button";
    retry.className = "small";
    retry.textContent = "Retry";
    retry.hidden = true;
    li.append(img, body, retry);
    return li;
  }

  retry(item) {
    if (item.state !== "failed" || item.final) return;
    item.state = "queued";
    if (!(this.resumable && item.file.size >= RESUMABLE_FROM)) item.loaded = 0;
    this.pump();
    this.render();
  }

  retryFailed() { for (const item of this.items) this.retry(item); }

  pump() {
    if (!this.ready) {
      if (this.preparing || !this.items.some((i) => i.state === "queued")) return;
      this.preparing = this.prepare().then(() => { this.ready = true; }, (err) => {
        for (const item of this.items) {
          if (item.state === "queued") Object.assign(item, { state: "failed", message: err.message });
        }
      }).finally(() => { this.preparing = null; this.render(); this.pump(); });
      return;
    }
    while (this.active < this.concurrency) {
      const item = this.items.find((i) => i.state === "queued");
      if (!item) break;
      this.send(item);
    }
  }

  send(item) {
    item.state = "sending";
    this.active += 1;
    if (this.resumable && item.file.size >= RESUMABLE_FROM) { this.sendInParts(item); return; }
    const xhr = new XMLHttpRequest();
    xhr.open("POST", this.url(item.file));
    for (const [k, v] of Object.entries(this.headers())) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => { item.loaded = e.loaded / (e.total || 1); this.render(); };
    // Refused for what the file is (type, size, damage) or what the link allows: sending it
    // again cannot succeed, so no Retry. Network errors, 5xx, 408 and 429 may pass.
    const finish = this.finisher(item);
    xhr.onload = () => this.answered(xhr, finish);
    xhr.onerror = () => finish(false, "network error: check the connection and retry");
    const form = new FormData();
    form.append("file", item.file, item.file.name);
    xhr.send(form);
  }

  finisher(item) {
    return (ok, message, response, status = 0) => {
      this.active -= 1;
      item.state = ok ? "done" : "failed";
      item.loaded = ok ? 1 : item.loaded;
      item.message = message;
      item.response = response;
      item.final = !ok && status >= 400 && status < 500 && status !== 408 && status !== 429;
      if (ok || item.final) localStorage.removeItem(fileKey(item.file));
      this.render();
      this.pump();
      this.onChange(this);
    };
  }

  answered(xhr, finish) {
    let body = null;
    try { body = JSON.parse(xhr.responseText); } catch { body = null; }
    if (xhr.status === 201) finish(true, "uploaded", body);
    else if (xhr.status === 200 && body?.status === "duplicate") finish(true, "already uploaded (duplicate)", body);
    else finish(false, body?.error?.message || `failed (HTTP ${xhr.status})`, body, xhr.status);
  }

  // The file in parts: an upload made once (its address kept in localStorage), then each
  // part PATCHed at the offset the server has; a retry asks (HEAD) where to go on from.
  async sendInParts(item) {
    const finish = this.finisher(item);
    const file = item.file;
    try {
      let url = localStorage.getItem(fileKey(file));
      let offset = 0;
      if (url) {
        const head = await fetch(url, { method: "HEAD", headers: this.headers() });
        if (head.ok) offset = Number(head.headers.get("Upload-Offset") || 0);
        else url = null;
      }
      if (!url) {
        const made = await fetch(this.resumable(file), {
          method: "POST", headers: { ...this.headers(), "Content-Type": "application/json" },
          body: JSON.stringify({ filename: file.name, length: file.size }) });
        const body = await made.json().catch(() => null);
        if (!made.ok) { finish(false, body?.error?.message || `failed (HTTP ${made.status})`, body, made.status); return; }
        url = body.url;
        localStorage.setItem(fileKey(file), url);
      }
      while (true) {
        const end = Math.min(file.size, offset + PART);
        const xhr = await this.part(url, offset, file.slice(offset, end), item);
        if (xhr.status === 204) { offset = Number(xhr.getResponseHeader("Upload-Offset")); continue; }
        if (xhr.status === 409) {  // the server has another offset: go on from there
          const at = JSON.parse(xhr.responseText || "{}")?.error?.details?.offset;
          if (typeof at === "number") { offset = at; continue; }
        }
        this.answered(xhr, finish);
        return;
      }
    } catch {
      finish(false, "network error: check the connection and retry (it resumes where it stopped)");
    }
  }

  part(url, offset, blob, item) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("PATCH", url);
      for (const [k, v] of Object.entries(this.headers())) xhr.setRequestHeader(k, v);
      xhr.setRequestHeader("Content-Type", "application/offset+octet-stream");
      xhr.setRequestHeader("Upload-Offset", String(offset));
      xhr.upload.onprogress = (e) => {
        item.loaded = (offset + e.loaded) / (item.file.size || 1);
        this.render();
      };
      xhr.onload = () => resolve(xhr);
      xhr.onerror = () => reject(new Error("network"));
      xhr.send(blob);
    });
  }

  render() {
    let sum = 0, done = 0, failed = 0, retryable = 0;
    for (const item of this.items) {
      const li = item.el;
      li.classList.toggle("done", item.state === "done");
      li.classList.toggle("failed", item.state === "failed");
      li.querySelector("progress").value = item.loaded;
      li.querySelector(".status").textContent =
        item.state === "sending" ? `uploading… ${Math.round(item.loaded * 100)}%` :
        item.state === "queued" ? "waiting…" :
        item.message + (item.processing ? ` · ${item.processing}` : "");
      const retry = li.querySelector("button");
      retry.hidden = item.state !== "failed" || item.final;
      retry.onclick = () => this.retry(item);
      sum += item.state === "done" ? 1 : item.loaded;
      done += item.state === "done";
      failed += item.state === "failed";
      retryable += item.state === "failed" && !item.final;
    }
    if (!this.overall) return;
    const n = this.items.length;
    this.overall.root.hidden = n === 0;
    this.overall.bar.value = n ? sum / n : 0;
    this.overall.text.textContent = `${done} of ${n} uploaded` + (failed ? `, ${failed} failed` : "");
    if (this.overall.retry) this.overall.retry.hidden = retryable === 0;
  }
}

export function dropTarget(zone, onFiles) {
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.classList.remove("over");
    onFiles([...e.dataTransfer.files]);
  });
}
