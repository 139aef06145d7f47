import type { Connection } from "./connection";
import { chunk } from "./lazy";

/**
 * `data-upload` file inputs. The upload code (client/chunks/upload.ts) is
 * loaded the first time a file is chosen. A form submission waits for its
 * uploads and sends their ids in place of the files.
 */
const started = new WeakMap<HTMLInputElement, Promise<string[]>>();

const valueOf = (input: HTMLInputElement, ids: string[]) => (input.multiple ? ids : (ids[0] ?? null));

export function startUpload(input: HTMLInputElement, conn: Connection): void {
  const job = chunk("upload").then((up) => up(input, conn));
  started.set(input, job);
  job.then(
    (ids) => input.dataset.model && conn.model({ [input.dataset.model]: valueOf(input, ids) }, !!input.closest("[data-validate]"), input),
    (err: Error) => input.dispatchEvent(new CustomEvent("stratus:upload-error", { bubbles: true, detail: { message: err.message } })),
  );
}

/** Waits for the form's uploads and sets their ids (an array for `multiple`) under the input's name. */
export async function uploadArgs(form: HTMLFormElement, args: Record<string, unknown>): Promise<void> {
  for (const input of Array.from(form.querySelectorAll<HTMLInputElement>("input[data-upload]"))) {
    const job = started.get(input);
    if (job) args[input.name || input.dataset.upload!] = valueOf(input, await job.catch(() => []));
  }
}
