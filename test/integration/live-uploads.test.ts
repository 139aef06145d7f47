import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import worker from "../fixtures/worker";
import { describe, expect, it } from "vitest";
import { signMountToken } from "../../durable-objects/realtime/mount-token";
import { sweepUploads } from "../../worker/routing/upload-sweep";
import { actingAs } from "../../worker/testing/acting-as";
import { APP_KEY, labs, ORIGIN } from "../support/live";

const bucket = () => (env as unknown as { UPLOADS: R2Bucket }).UPLOADS;
const MiB = 1024 * 1024;
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function bytes(n: number, head: number[] = [], seed = 7): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
  b.set(head.slice(0, n));
  return b;
}

async function uploader(key: string, opts: { token?: string | null; origin?: string; headers?: Record<string, string> } = {}) {
  const token = opts.token === undefined ? await signMountToken(APP_KEY, { component: "viewer", key, ttlSeconds: 60 }) : opts.token;
  const call = (path: string, init: RequestInit = {}) =>
    exports.default.fetch(`http://example.com/live/viewer/${key}/uploads${path}`, {
      ...init,
      headers: { origin: opts.origin ?? ORIGIN, ...opts.headers, ...(token !== null ? { "x-stratus-token": token } : {}), ...(init.headers as Record<string, string> | undefined) },
    });
  return {
    start: (meta: unknown) => call("", { method: "POST", body: JSON.stringify(meta), headers: { "content-type": "application/json" } }),
    put: (id: string, part: number | string, body: Uint8Array) => call(`/${id}/${part}`, { method: "PUT", body }),
    complete: (id: string) => call(`/${id}/complete`, { method: "POST" }),
  };
}

/** Uploads `file` whole (parts in `order`, default 1..n) and returns its id. */
async function upload(key: string, meta: { name: string; type: string; field: string }, file: Uint8Array, order?: number[]): Promise<string> {
  const u = await uploader(key);
  const started = await u.start({ ...meta, size: file.byteLength });
  expect(started.status).toBe(200);
  const { id, chunkSize } = (await started.json()) as { id: string; chunkSize: number };
  const n = Math.ceil(file.byteLength / chunkSize);
  for (const part of order ?? Array.from({ length: n }, (_, i) => i + 1)) {
    const r = await u.put(id, part, file.slice((part - 1) * chunkSize, part * chunkSize));
    expect(r.status, await r.clone().text()).toBe(200);
  }
  const done = await u.complete(id);
  expect(done.status, await done.clone().text()).toBe(200);
  expect(await done.json()).toEqual({ id, name: meta.name, type: meta.type, size: file.byteLength });
  return id;
}

async function problem(r: Response, status: number, detail: string): Promise<void> {
  expect(r.status).toBe(status);
  expect(r.headers.get("content-type")).toContain("application/problem+json");
  expect(((await r.json()) as { detail: string }).detail).toContain(detail);
}

const owner = (_component: string, key: string) => labs.VIEWER_LAB.getByName(key);

describe("uploads to R2", () => {
  it("a user's mount token uploads only for that user's session: not for another user's, nor for a guest", async () => {
    const token = await signMountToken(APP_KEY, { component: "viewer", key: "uploads-user", user: "ada", ttlSeconds: 60 });
    const meta = { name: "a.png", type: "image/png", size: 8, field: "avatar" };
    const bob = await actingAs("bob");
    await problem(await (await uploader("uploads-user", { token, headers: bob.headers })).start(meta), 401, "another identity");
    await problem(await (await uploader("uploads-user", { token })).start(meta), 401, "another identity");
    const ada = await actingAs("ada");
    expect((await (await uploader("uploads-user", { token, headers: ada.headers })).start(meta)).status).toBe(200);
  });

  it("a small file goes in one put; an action keeps it; the sweep leaves kept files alone", async () => {
    const file = bytes(5000, PNG);
    const id = await upload("up1", { name: "me.png", type: "image/png", field: "avatar" }, file);
    const stored = await bucket().get(`uploads/${id}`);
    expect(new Uint8Array(await stored!.arrayBuffer())).toEqual(file);
    expect(stored!.httpMetadata?.contentType).toBe("image/png");
    expect(await bucket().head(`tmp/${id}`)).not.toBeNull();
    expect(await labs.VIEWER_LAB.getByName("up1").dispatch("attach", { upload: id })).toMatchObject({ ok: true, seq: 1 });
    // The marker goes after the commit. One left behind (a failed delete) costs nothing: the sweep asks the object first.
    await bucket().put(`tmp/${id}`, "", { customMetadata: { component: "viewer", key: "up1", expires: "1" } });
    expect(await sweepUploads(bucket(), owner, Date.now())).toEqual({ deleted: 0, kept: 1 });
    expect(await bucket().head(`uploads/${id}`)).not.toBeNull();
    expect(await bucket().head(`tmp/${id}`)).toBeNull();
    expect((await labs.VIEWER_LAB.getByName("up1").stateAt(1)).state.files).toEqual([`uploads/${id}`]);
  });

  it("a large file is chunked (1 MiB requests) into R2 multipart parts of 5 MiB, in any order", async () => {
    const file = bytes(6 * MiB + 123, [], 3);
    const id = await upload("up2", { name: "data.zip", type: "application/zip", field: "archive" }, file, [7, 2, 1, 3, 4, 6, 5]);
    const stored = await bucket().get(`uploads/${id}`);
    expect(stored!.size).toBe(file.byteLength);
    const back = new Uint8Array(await stored!.arrayBuffer());
    expect(back.slice(5 * MiB - 4, 5 * MiB + 4)).toEqual(file.slice(5 * MiB - 4, 5 * MiB + 4));
    expect(back.slice(-16)).toEqual(file.slice(-16));
  });

  it("abandoned uploads (never kept, or kept by an action that failed) are swept once expired", async () => {
    const a = await upload("up3", { name: "a.png", type: "image/png", field: "avatar" }, bytes(100, PNG));
    const b = await upload("up3", { name: "b.png", type: "image/png", field: "avatar" }, bytes(100, PNG));
    expect(await labs.VIEWER_LAB.getByName("up3").dispatch("attach", { upload: b, fail: true })).toMatchObject({ ok: false, code: "action_failed" });
    // Not expired yet: nothing happens.
    await sweepUploads(bucket(), owner, Date.now());
    expect(await bucket().head(`uploads/${a}`)).not.toBeNull();
    await sweepUploads(bucket(), owner, Date.now() + 2 * 24 * 3600_000);
    for (const id of [a, b]) {
      expect(await bucket().head(`uploads/${id}`)).toBeNull();
      expect(await bucket().head(`tmp/${id}`)).toBeNull();
    }
    // The object forgot them: keeping one now fails, completing it is a 404.
    expect(await labs.VIEWER_LAB.getByName("up3").dispatch("attach", { upload: a })).toMatchObject({ ok: false, code: "action_failed", message: expect.stringContaining("No completed upload") });
    await problem(await (await uploader("up3")).complete(a), 404, "No such upload");
  });

  it("refuses bad starts with problem+json: token, origin, body, field, type, size", async () => {
    const meta = { name: "x.png", type: "image/png", size: 10, field: "avatar" };
    await problem(await (await uploader("bad", { token: null })).start(meta), 401, "x-stratus-token");
    await problem(await (await uploader("bad", { token: "forged.token" })).start(meta), 401, "");
    const otherKey = await signMountToken(APP_KEY, { component: "viewer", key: "other", ttlSeconds: 60 });
    await problem(await (await uploader("bad", { token: otherKey })).start(meta), 401, "");
    await problem(await (await uploader("bad", { origin: "https://evil.example" })).start(meta), 403, "evil.example");
    const u = await uploader("bad");
    await problem(await u.start({ ...meta, size: -1 }), 400, "positive integer");
    await problem(await u.start({ name: "x" }), 400, "positive integer");
    await problem(await u.start({ ...meta, field: "nope" }), 400, "no upload field");
    await problem(await u.start({ ...meta, name: "../etc/passwd" }), 400, "slashes");
    await problem(await u.start({ ...meta, type: "text/html" }), 415, "accepts image/png, image/jpeg");
    await problem(await u.start({ ...meta, size: 200_001 }), 413, "up to 200000 bytes");
  });

  it("refuses bad parts and early completes, and content that is not the declared type", async () => {
    const u = await uploader("bad-parts");
    const { id } = (await (await u.start({ name: "x.png", type: "image/png", size: 2000, field: "avatar" })).json()) as { id: string };
    await problem(await u.put(id, 2, bytes(10)), 400, "numbered 1 to 1");
    await problem(await u.put(id, 0, bytes(10)), 400, "numbered from 1");
    await problem(await u.put(id, 1, bytes(1999, PNG)), 400, "must be 2000 bytes");
    await problem(await u.put("not-an-id", 1, bytes(10)), 400, "UUID");
    await problem(await u.put(crypto.randomUUID(), 1, bytes(10)), 404, "No such upload");
    await problem(await u.complete(id), 409, "1 of 1 parts are missing");
    // JPEG bytes declared as PNG: refused after the first part, and the upload is gone.
    await problem(await u.put(id, 1, bytes(2000, [0xff, 0xd8, 0xff, 0xe0])), 415, "not image/png");
    await problem(await u.complete(id), 404, "No such upload");
    expect(await bucket().head(`tmp/${id}`)).toBeNull();
    // A completed upload takes no more parts.
    const done = await upload("bad-parts", { name: "y.png", type: "image/png", field: "avatar" }, bytes(300, PNG));
    await problem(await u.put(done, 1, bytes(300, PNG)), 409, "complete");
  });

  it("the housekeeping cron runs the sweep through the Worker's scheduled entry point", async () => {
    const id = await upload("up-cron", { name: "c.png", type: "image/png", field: "avatar" }, bytes(64, PNG));
    // Expire its marker, as a day later would.
    await bucket().put(`tmp/${id}`, "", { customMetadata: { component: "viewer", key: "up-cron", expires: "1" } });
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "*/5 * * * *", scheduledTime: Date.now() }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await bucket().head(`uploads/${id}`)).toBeNull();
    expect(await bucket().head(`tmp/${id}`)).toBeNull();
  });
});
