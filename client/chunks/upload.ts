import { LIVE_PATH_PREFIX, UPLOAD_TOKEN_HEADER, UPLOADS_SEGMENT, type UploadStart, type UploadStarted } from "../../durable-objects/realtime/protocol";
import type { Connection } from "../connection";
import { register } from "../lazy";

/**
 * `data-upload` file inputs, loaded on demand the first time a file is chosen
 * (or a form with such an input is submitted). A form submission waits for its
 * uploads and sends their ids in place of the files.
 *
 * Checks each file against the input's `accept` and `data-max-size` (bytes)
 * before sending anything, previews images in `[data-upload-preview="<field>"]`,
 * sends each file in parts through the Worker and shows the progress of all of
 * them in `[data-upload-progress="<field>"]` (a `<progress>` gets its value, any
 * other element the percentage as text and `--progress` from 0 to 1). The input's
 * `data-upload-state` is `uploading`, `done` or `error`.
 */

/** The `accept` attribute's rules: `.ext`, `type/*`, exact types; none accepts everything. */
export function accepts(accept: string, file: { name: string; type: string }): boolean {
  const rules = accept.split(",").map((r) => r.trim().toLowerCase()).filter(Boolean);
  const type = file.type.toLowerCase();
  const name = file.name.toLowerCase();
  return !rules.length || rules.some((r) => (r[0] === "." ? name.endsWith(r) : r.endsWith("/*") ? type.startsWith(r.slice(0, -1)) : type === r));
}

/** Sends one part; XMLHttpRequest because fetch does not report upload progress. */
function put(url: string, token: string, body: Blob, onProgress: (sent: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    xhr.setRequestHeader(UPLOAD_TOKEN_HEADER, token);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => (xhr.status < 300 ? resolve() : reject(new Error(problem(xhr.responseText, xhr.status))));
    xhr.onerror = () => reject(new Error("The upload was interrupted."));
    xhr.send(body);
  });
}

function problem(text: string, status: number): string {
  try {
    const p = JSON.parse(text) as { detail?: string; title?: string };
    return p.detail ?? p.title ?? `HTTP ${status}`;
  } catch {
    return `HTTP ${status}`;
  }
}

async function post<T>(url: string, token: string, body?: unknown): Promise<T> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", [UPLOAD_TOKEN_HEADER]: token }, body: JSON.stringify(body ?? {}) });
  const text = await res.text();
  if (!res.ok) throw new Error(problem(text, res.status));
  return JSON.parse(text) as T;
}

async function upload(input: HTMLInputElement, conn: Connection): Promise<string[]> {
  const field = input.dataset.upload!;
  const mount = input.closest("[data-live]") ?? document;
  const sel = (attr: string) => Array.from(mount.querySelectorAll<HTMLElement>(`[${attr}="${CSS.escape(field)}"]`));
  const files = Array.from(input.files ?? []);
  const max = Number(input.dataset.maxSize ?? Infinity);
  const state = (s: string) => input.setAttribute("data-upload-state", s);
  const bad = files.find((f) => !accepts(input.accept, f) || f.size > max);
  if (bad) {
    state("error");
    throw new Error(bad.size > max ? `${bad.name} is larger than ${max} bytes.` : `${bad.name} is not an accepted type (${input.accept}).`);
  }
  for (const p of sel("data-upload-preview")) {
    p.replaceChildren(...files.filter((f) => f.type.startsWith("image/")).map((f) => Object.assign(document.createElement("img"), { src: URL.createObjectURL(f), alt: f.name })));
  }
  const total = files.reduce((n, f) => n + f.size, 0) || 1;
  let done = 0;
  const show = (sent: number) => {
    const ratio = Math.min(1, (done + sent) / total);
    for (const el of sel("data-upload-progress")) {
      if (el instanceof HTMLProgressElement) (el.max = 1), (el.value = ratio);
      else el.textContent = `${Math.round(ratio * 100)}%`;
      el.style.setProperty("--progress", String(ratio));
    }
  };
  state("uploading");
  show(0);
  const base = `${LIVE_PATH_PREFIX}${encodeURIComponent(conn.component)}/${encodeURIComponent(conn.key)}/${UPLOADS_SEGMENT}`;
  const ids: string[] = [];
  try {
    for (const file of files) {
      const start: UploadStart = { name: file.name, type: file.type, size: file.size, field };
      const { id, chunkSize } = await post<UploadStarted>(base, conn.token, start);
      // Parts of chunkSize bytes (the last one shorter), numbered from 1; an empty file has none.
      for (let part = 1, at = 0; at < file.size; part++, at += chunkSize) {
        await put(`${base}/${encodeURIComponent(id)}/${part}`, conn.token, file.slice(at, at + chunkSize), (sent) => show(at + sent));
      }
      await post(`${base}/${encodeURIComponent(id)}/complete`, conn.token);
      done += file.size;
      show(0);
      ids.push(id);
    }
  } catch (err) {
    state("error");
    throw err;
  }
  state("done");
  input.dispatchEvent(new CustomEvent("stratus:uploaded", { bubbles: true, detail: { ids } }));
  return ids;
}

const started = new WeakMap<HTMLInputElement, Promise<string[]>>();
const valueOf = (input: HTMLInputElement, ids: string[]) => (input.multiple ? ids : (ids[0] ?? null));

register("upload", {
  start(input, conn) {
    const job = upload(input, conn);
    started.set(input, job);
    job.then(
      (ids) => input.dataset.model && conn.model({ [input.dataset.model]: valueOf(input, ids) }, !!input.closest("[data-validate]"), input),
      (err: Error) => input.dispatchEvent(new CustomEvent("stratus:upload-error", { bubbles: true, detail: { message: err.message } })),
    );
  },
  async args(form, args) {
    for (const input of Array.from(form.querySelectorAll<HTMLInputElement>("input[data-upload]"))) {
      const job = started.get(input);
      if (job) args[input.name || input.dataset.upload!] = valueOf(input, await job.catch(() => []));
    }
  },
});
