import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signMountToken } from "../../durable-objects/realtime/mount-token";
import { actingAs } from "../../worker/testing/acting-as";
import { APP_KEY, Client, connectViaWorker, hello, ORIGIN } from "../support/live";

async function problem(res: Response, status: number): Promise<{ detail: string }> {
  expect(res.status).toBe(status);
  expect(res.webSocket).toBeNull();
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  return res.json();
}

describe("GET /live/:component/:key", () => {
  it("upgrades with a valid token from an allowed origin, carrying the token's user", async () => {
    // A user-bound token opens only for that user's session (the fixture app runs identify()).
    const res = await connectViaWorker("counter", "route-ok", { user: "ada", headers: (await actingAs("ada")).headers });
    expect(res.status).toBe(101);
    const c = new Client(res.webSocket!);
    await hello(c);
    expect(c.of("presence")[0]!.list).toEqual([{ id: expect.any(String), user: "ada" }]);
    c.close();
  });

  it("rejects a forged token with 401 and no socket", async () => {
    const forged = await signMountToken("some-other-secret-0123456789abcdef", { component: "counter", key: "route-1", ttlSeconds: 60 });
    expect((await problem(await connectViaWorker("counter", "route-1", { token: forged }), 401)).detail).toMatch(/bad signature/);
    const good = await signMountToken(APP_KEY, { component: "counter", key: "route-1", ttlSeconds: 60 });
    const [payload, sig] = good.split(".");
    const tampered = `${btoa(JSON.stringify({ c: "counter", k: "route-1", u: "admin", exp: 9e9 })).replace(/=+$/, "")}.${sig}`;
    expect(payload).not.toBe(tampered.split(".")[0]);
    await problem(await connectViaWorker("counter", "route-1", { token: tampered }), 401);
    await problem(await connectViaWorker("counter", "route-1", { token: "garbage" }), 401);
  });

  it("rejects an expired token", async () => {
    const expired = await signMountToken(APP_KEY, { component: "counter", key: "route-2", ttlSeconds: 10 }, Date.now() - 60_000);
    expect((await problem(await connectViaWorker("counter", "route-2", { token: expired }), 401)).detail).toMatch(/expired/);
  });

  it("rejects a token for another component or another key", async () => {
    const other = await signMountToken(APP_KEY, { component: "news", key: "route-3", ttlSeconds: 60 });
    expect((await problem(await connectViaWorker("counter", "route-3", { token: other }), 401)).detail).toMatch(/wrong component/);
    const otherKey = await signMountToken(APP_KEY, { component: "counter", key: "elsewhere", ttlSeconds: 60 });
    expect((await problem(await connectViaWorker("counter", "route-3", { token: otherKey }), 401)).detail).toMatch(/wrong key/);
  });

  it("rejects a missing token", async () => {
    const res = await fetchLive("/live/counter/route-4", { Upgrade: "websocket", Origin: ORIGIN });
    await problem(res, 401);
  });

  it("rejects a cross-origin upgrade with 403, and one without Origin", async () => {
    await problem(await connectViaWorker("counter", "route-5", { origin: "https://evil.example" }), 403);
    const token = await signMountToken(APP_KEY, { component: "counter", key: "route-5", ttlSeconds: 60 });
    await problem(await fetchLive(`/live/counter/route-5?token=${token}`, { Upgrade: "websocket" }), 403);
    // Same origin as the app itself is always allowed.
    const same = await connectViaWorker("counter", "route-5", { origin: "http://example.com" });
    expect(same.status).toBe(101);
    new Client(same.webSocket!).close();
  });

  it("answers 426 to a plain GET and 404 to an unknown component", async () => {
    await problem(await fetchLive("/live/counter/route-6", {}), 426);
    await problem(await connectViaWorker("nope", "route-6"), 404);
  });

  it("never lets a direct fetch to the object open a socket without the Worker's identity", async () => {
    const res = await env.COUNTER.getByName("route-7").fetch("https://component/", { headers: { Upgrade: "websocket" } });
    await problem(res, 400);
  });
});

async function fetchLive(path: string, headers: Record<string, string>): Promise<Response> {
  const { exports } = await import("cloudflare:workers");
  return exports.default.fetch(`http://example.com${path}`, { headers });
}
