import { env, exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";

const get = (path: string) => exports.default.fetch(`http://localhost:8787${path}`, { headers: { accept: "text/html" } });

describe("home page", () => {
  it("server-renders the live counter with a signed mount", async () => {
    const res = await get("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const body = await res.text();
    expect(body).toContain('<script src="/stratus/client.js" defer></script>');
    expect(body).toMatch(/data-live="counter" data-live-key="main" data-live-token="[^"]+"/);
    expect(body).toContain("<output>0</output>");
  });

  it("queues a valid note and refuses an invalid one with a problem", async () => {
    const ok = await exports.default.fetch("http://localhost:8787/notes", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "hello" }) });
    expect(ok.status).toBe(202);
    expect(await ok.json()).toMatchObject({ queued: expect.any(String) });
    const bad = await exports.default.fetch("http://localhost:8787/notes", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "" }) });
    expect(bad.status).toBe(422);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
  });

  it("stores a posted note through the queue consumer, then lists it", async () => {
    const res = await exports.default.fetch("http://localhost:8787/notes", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "via the queue" }) });
    expect(res.status).toBe(202);
    // Delivered by the local Queues consumer to the Worker's queue() handler (batch timeout 1 s).
    await vi.waitFor(async () => {
      expect(await env.DB.prepare("SELECT text FROM notes WHERE text = ?").bind("via the queue").first()).toEqual({ text: "via the queue" });
    }, { timeout: 15_000, interval: 200 });
    expect(await (await get("/")).text()).toContain("<li>via the queue</li>");
  });
});
