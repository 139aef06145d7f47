import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Application } from "../../worker/app/application";
import { deliver, envelope } from "../support/batch";
import { eventually, recorded, registerJobs, testJobs } from "../support/jobs";

const jobs = testJobs("admin");
const TOKEN = "admin-secret-token";
const auth = { authorization: `Bearer ${TOKEN}` };
const base = "http://example.com/admin/jobs/failed";

let app: Application;

beforeAll(async () => {
  app = await registerJobs(jobs);
});

/** A failed job, recorded the way the consumer records them. */
async function failOne(job: string, payload: unknown, extra = {}): Promise<string> {
  const e = envelope(job, payload, extra);
  await deliver([{ body: e, attempts: 9 }]);
  return e.id;
}

describe("failed jobs admin routes", () => {
  it("are closed without a configured token, and refuse a wrong one", async () => {
    const closed = await exports.default.fetch(base);
    expect(closed.status).toBe(403);
    expect(closed.headers.get("content-type")).toBe("application/problem+json");
    expect((await closed.json<{ detail: string }>()).detail).toContain("QUEUE_ADMIN_TOKEN");
  });

  describe("with QUEUE_ADMIN_TOKEN", () => {
    beforeAll(() => {
      // Config is read once at boot from vars and secrets; the test sets the token on the booted config.
      app.config.queue.admin.token = TOKEN;
    });

    it("rejects a missing or wrong bearer token with 401", async () => {
      expect((await exports.default.fetch(base)).status).toBe(401);
      expect((await exports.default.fetch(base, { headers: { authorization: "Bearer nope" } })).status).toBe(401);
    });

    it("lists failed jobs newest first, with a cursor", async () => {
      const a = await failOne(jobs.echo.name, { text: "a" });
      const b = await failOne(jobs.echo.name, { text: "b" });
      const res = await exports.default.fetch(`${base}?limit=1`, { headers: auth });
      expect(res.status).toBe(200);
      const page = await res.json<{ items: { id: string; job: string; payload: unknown; reason: string; attempts: number }[]; next: number }>();
      expect(page.items).toHaveLength(1);
      expect(page.items[0]).toMatchObject({ id: b, job: jobs.echo.name, payload: { text: "b" }, reason: "exhausted", attempts: 9 });
      const more = await (await exports.default.fetch(`${base}?limit=1&before=${page.next}`, { headers: auth })).json<{ items: { id: string }[] }>();
      expect(more.items[0]!.id).toBe(a);
    });

    it("answers 400 for a bad limit and 404 for an unknown id", async () => {
      const bad = await exports.default.fetch(`${base}?limit=0`, { headers: auth });
      expect(bad.status).toBe(400);
      expect((await bad.json<{ parameter: string }>()).parameter).toBe("limit");
      expect((await exports.default.fetch(`${base}/nope`, { headers: auth })).status).toBe(404);
      expect((await exports.default.fetch(`${base}/nope/retry`, { method: "POST", headers: auth })).status).toBe(404);
      expect((await exports.default.fetch(`${base}/nope`, { method: "DELETE", headers: auth })).status).toBe(404);
    });

    it("retries a failed job: re-dispatches it with a new id and forgets the row", async () => {
      const id = await failOne(jobs.echo.name, { text: "again" });
      const res = await exports.default.fetch(`${base}/${id}/retry`, { method: "POST", headers: auth });
      expect(res.status).toBe(202);
      const body = await res.json<{ id: string; retried: string; job: string }>();
      expect(body).toMatchObject({ retried: id, job: jobs.echo.name });
      expect(body.id).not.toBe(id);
      expect((await exports.default.fetch(`${base}/${id}`, { headers: auth })).status).toBe(404);
      await eventually(() => recorded(jobs.echo.name).some((r) => (r as { id: string }).id === body.id));
    });

    it("resumes the rest of a chain when its failed link is retried", async () => {
      const id = await failOne(jobs.step.name, { n: 100 }, { chain: [{ id: crypto.randomUUID(), job: jobs.step.name, payload: { n: 101 } }] });
      expect((await exports.default.fetch(`${base}/${id}/retry`, { method: "POST", headers: auth })).status).toBe(202);
      await eventually(() => recorded(jobs.step.name).includes(101), 10_000);
      expect(recorded(jobs.step.name)).toEqual([100, 101]);
    });

    it("refuses to retry what cannot run: 409 for an unknown job or a malformed message, 422 for a bad payload", async () => {
      const unknown = await failOne("admin.gone", {});
      const r1 = await exports.default.fetch(`${base}/${unknown}/retry`, { method: "POST", headers: auth });
      expect(r1.status).toBe(409);
      expect(r1.headers.get("content-type")).toBe("application/problem+json");

      const invalid = envelope(jobs.echo.name, { text: 1 });
      await deliver([{ body: invalid }]);
      const r2 = await exports.default.fetch(`${base}/${invalid.id}/retry`, { method: "POST", headers: auth });
      expect(r2.status).toBe(422);
      expect((await r2.json<{ errors: { path: string }[] }>()).errors[0]!.path).toBe("/text");

      await deliver([{ body: "garbage", id: "admin-raw" }]);
      expect((await exports.default.fetch(`${base}/admin-raw/retry`, { method: "POST", headers: auth })).status).toBe(409);
      // Refused retries keep the row.
      expect((await exports.default.fetch(`${base}/${unknown}`, { headers: auth })).status).toBe(200);
    });

    it("forgets a failed job", async () => {
      const id = await failOne(jobs.echo.name, { text: "forget me" });
      const res = await exports.default.fetch(`${base}/${id}`, { method: "DELETE", headers: auth });
      expect(res.status).toBe(204);
      expect((await exports.default.fetch(`${base}/${id}`, { headers: auth })).status).toBe(404);
    });
  });
});

describe("dead-letter queue consumer", () => {
  it("records a message the runtime dead-lettered on its own", async () => {
    const e = envelope(jobs.echo.name, { text: "lost" });
    await env.JOBS_DLQ.send(e, { contentType: "json" });
    const row = await eventually(() =>
      env.DB.prepare("SELECT job, reason, dead_lettered_at FROM failed_jobs WHERE uuid = ?").bind(e.id).first<{ job: string; reason: string; dead_lettered_at: number | null }>().then((r) => r ?? undefined),
    );
    expect(row).toMatchObject({ job: jobs.echo.name, reason: "dead-lettered" });
    expect(row.dead_lettered_at).not.toBeNull();
  });
});
