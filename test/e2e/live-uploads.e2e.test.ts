/**
 * `data-upload` in Chromium against wrangler dev and its local R2: the forms
 * demo's avatar input checks files before sending them, previews the image,
 * uploads in parts with progress, and the save keeps the upload; one never
 * saved is removed by the housekeeping sweep. Temporary uploads live 15 s here.
 */
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { port } from "./support/ports";
import { useSession } from "./support/session";
import { expectRisingTo1, png, slowUploads, watchProgress } from "./support/uploads";

/** Temporary uploads' life here. An action may keep one only while a quarter of it is left, so the save must come well before. */
const TTL_MS = 15_000;
const session = useSession({ port: port(8857), inspectorPort: port(9357), vars: { FORMS_UPLOAD_TTL_MS: String(TTL_MS) } });
let n = 0;
const key = () => `up-${Date.now().toString(36)}-${++n}`;

async function open(k: string): Promise<{ p: Page; uploads: string[]; models: Record<string, unknown>[] }> {
  const p = await session.browser.newPage();
  const uploads: string[] = [];
  const models: Record<string, unknown>[] = [];
  p.on("request", (r) => r.url().includes("/uploads") && uploads.push(`${r.method()} ${new URL(r.url()).pathname}`));
  p.on("websocket", (ws) =>
    ws.on("framesent", (f) => {
      const frame = JSON.parse(String(f.payload)) as { type: string; fields?: Record<string, unknown> };
      if (frame.type === "model") models.push(frame.fields!);
    }),
  );
  await p.goto(`${session.dev.url}/forms/${k}`);
  await p.waitForSelector('#form-mount[data-live-state="open"]');
  return { p, uploads, models };
}

const debug = async (id: string) => (await (await fetch(`${session.dev.url}/__debug/forms/uploads/${id}`)).json()) as { object: number | null; marker: boolean };
const housekeeping = () => fetch(`${session.dev.url}/__debug/forms/housekeeping`, { method: "POST" });

describe("uploads", () => {
  it("previews, uploads in parts with progress, and the save keeps the file in R2", async () => {
    const { p, uploads, models } = await open(key());
    const bar = await watchProgress(p, "#avatar-progress");
    // Slow the upload so its progress can be seen between the parts' ends.
    const restore = await slowUploads(p);
    const size = 1_500_000;
    await p.setInputFiles("#avatar", { name: "me.png", mimeType: "image/png", buffer: png(size) });
    // The preview is there before the upload is done.
    await p.waitForSelector("#avatar-preview img");
    expect(await p.getAttribute("#avatar", "data-upload-state")).toBe("uploading");
    expect(await p.evaluate(() => (document.querySelector("#avatar-preview img") as HTMLImageElement).src)).toMatch(/^blob:/);
    await p.waitForSelector('#avatar[data-upload-state="done"]', { timeout: 30_000 });
    await restore();
    expectRisingTo1(await bar.seen());
    // Start, the parts (chunks of at most 1 MiB: two here), complete.
    expect(uploads[0]).toMatch(/^POST \/live\/profiles\/[^/]+\/uploads$/);
    expect(uploads.filter((u) => u.startsWith("PUT"))).toHaveLength(2);
    expect(uploads.at(-1)).toMatch(/\/complete$/);
    // The bound input synced the upload's id; R2 holds the object, still marked temporary.
    await expect.poll(() => models.find((m) => "avatar" in m)).toBeTruthy();
    const id = models.find((m) => "avatar" in m)!.avatar as string;
    expect(await debug(id)).toEqual({ object: size, marker: true });
    await p.fill("#name", "Pat");
    await p.fill("#email", "pat@example.com");
    await p.check('#plan input[value="free"]');
    await p.click("#save");
    await p.waitForSelector(`#profiles li >> text=me.png (${size} bytes, uploads/${id})`);
    // Kept: no longer temporary, and the sweep leaves it.
    expect(await debug(id)).toEqual({ object: size, marker: false });
    await p.close();
  });

  it("uploads several files of a multiple input, and a submission sends their ids in place of the files", async () => {
    const { p, uploads } = await open(key());
    const sent: { type: string; name?: string; args?: Record<string, unknown> }[] = [];
    p.on("websocket", (ws) => ws.on("framesent", (f) => sent.push(JSON.parse(String(f.payload)))));
    await p.reload();
    await p.waitForSelector('#form-mount[data-live-state="open"]');
    await p.setInputFiles("#photos", [
      { name: "a.png", mimeType: "image/png", buffer: png(10_000) },
      { name: "b.png", mimeType: "image/png", buffer: png(30_000) },
    ]);
    await p.waitForFunction(() => document.querySelectorAll("#photos-preview img").length === 2);
    await p.waitForSelector('#photos[data-upload-state="done"]');
    expect(await p.textContent("#photos-progress")).toBe("100%");
    expect(uploads.filter((u) => u.startsWith("POST") && !u.endsWith("/complete"))).toHaveLength(2);
    await p.fill("#name", "Max");
    await p.fill("#email", "max@example.com");
    await p.check('#plan input[value="pro"]');
    await p.click("#save");
    await p.waitForSelector("#profiles li >> text=photos a.png, b.png");
    const save = sent.find((f) => f.type === "action" && f.name === "save")!;
    expect(save.args!.photos).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/), expect.stringMatching(/^[0-9a-f-]{36}$/)]);
    await p.close();
  });

  it("removes an upload that no action kept, once its time is up", { timeout: 90_000 }, async () => {
    const { p, models } = await open(key());
    await p.setInputFiles("#avatar", { name: "draft.png", mimeType: "image/png", buffer: png(20_000) });
    await p.waitForSelector('#avatar[data-upload-state="done"]');
    await expect.poll(() => models.find((m) => "avatar" in m)).toBeTruthy();
    const id = models.find((m) => "avatar" in m)!.avatar as string;
    await p.close();
    expect(await debug(id)).toEqual({ object: 20_000, marker: true });
    // Not yet expired: the sweep keeps it.
    expect((await housekeeping()).status).toBe(200);
    expect(await debug(id)).toEqual({ object: 20_000, marker: true });
    await new Promise((r) => setTimeout(r, TTL_MS + 500));
    expect((await housekeeping()).status).toBe(200);
    expect(await debug(id)).toEqual({ object: null, marker: false });
  });

  it("checks type and size before sending anything", async () => {
    const { p, uploads } = await open(key());
    await p.evaluate(() => {
      const w = window as unknown as { errors: string[] };
      w.errors = [];
      document.addEventListener("stratus:upload-error", (e) => w.errors.push((e as CustomEvent<{ message: string }>).detail.message));
    });
    await p.setInputFiles("#avatar", { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
    await p.waitForSelector('#avatar[data-upload-state="error"]');
    await p.setInputFiles("#avatar", { name: "huge.png", mimeType: "image/png", buffer: png(2_500_000) });
    await expect.poll(() => p.evaluate(() => (window as unknown as { errors: string[] }).errors.length)).toBe(2);
    expect(await p.evaluate(() => (window as unknown as { errors: string[] }).errors)).toEqual([
      "notes.txt is not an accepted type (image/*).",
      "huge.png is larger than 2000000 bytes.",
    ]);
    expect(uploads).toEqual([]);
    expect(await p.$$("#avatar-preview img")).toHaveLength(0);
    await p.close();
  });
});
