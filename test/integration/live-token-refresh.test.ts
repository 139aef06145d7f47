import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signMountToken, verifyMountToken } from "../../durable-objects/realtime/mount-token";
import { APP_KEY, ORIGIN } from "../support/live";

function refresh(path: string, body: unknown, origin: string | null = ORIGIN): Promise<Response> {
  return exports.default.fetch(`http://example.com${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(origin ? { origin } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function problem(res: Response, status: number): Promise<{ detail: string }> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  return res.json();
}

const token = (o: { component?: string; key?: string; user?: string; ttlSeconds?: number; at?: number; secret?: string } = {}) =>
  signMountToken(o.secret ?? APP_KEY, { component: o.component ?? "counter", key: o.key ?? "refresh-1", ttlSeconds: o.ttlSeconds ?? 60, ...(o.user ? { user: o.user } : {}) }, o.at);

describe("POST /live/:component/:key/token", () => {
  it("exchanges a valid token for a fresh one for the same component and key", async () => {
    const res = await refresh("/live/counter/refresh-1/token", { token: await token({ ttlSeconds: 20 }) });
    expect(res.status).toBe(200);
    const body = await res.json<{ token: string; expiresAt: number }>();
    const claims = await verifyMountToken(APP_KEY, body.token, { component: "counter", key: "refresh-1" });
    expect(claims.u).toBeUndefined();
    expect(body.expiresAt).toBe(claims.exp * 1000);
    // The configured TTL (an hour), not the old token's 20 s.
    expect(body.expiresAt).toBeGreaterThan(Date.now() + 30 * 60_000);
  });

  it("refreshes a token that expired within the grace period, and refuses one past it", async () => {
    const hourAgo = await token({ ttlSeconds: 10, at: Date.now() - 3_600_000 });
    const res = await refresh("/live/counter/refresh-1/token", { token: hourAgo });
    expect(res.status).toBe(200);
    const { token: fresh } = await res.json<{ token: string }>();
    await verifyMountToken(APP_KEY, fresh, { component: "counter", key: "refresh-1" });
    const twoDaysAgo = await token({ ttlSeconds: 10, at: Date.now() - 48 * 3_600_000 });
    expect((await problem(await refresh("/live/counter/refresh-1/token", { token: twoDaysAgo }), 401)).detail).toMatch(/expired/);
  });

  it("refuses a forged signature with 401", async () => {
    const forged = await token({ secret: "some-other-secret-0123456789abcdef" });
    expect((await problem(await refresh("/live/counter/refresh-1/token", { token: forged }), 401)).detail).toMatch(/bad signature/);
    await problem(await refresh("/live/counter/refresh-1/token", { token: "garbage" }), 401);
  });

  it("refuses a token for another component or key with 401", async () => {
    const other = await token({ component: "demo" });
    expect((await problem(await refresh("/live/counter/refresh-1/token", { token: other }), 401)).detail).toMatch(/wrong component/);
    const otherKey = await token({ key: "elsewhere" });
    expect((await problem(await refresh("/live/counter/refresh-1/token", { token: otherKey }), 401)).detail).toMatch(/wrong key/);
  });

  it("refuses a user-bound token while the request is anonymous (no sign-in yet)", async () => {
    const ada = await token({ user: "ada" });
    expect((await problem(await refresh("/live/counter/refresh-1/token", { token: ada }), 401)).detail).toMatch(/sign in/);
  });

  it("refuses a foreign or missing Origin with 403", async () => {
    const t = await token();
    await problem(await refresh("/live/counter/refresh-1/token", { token: t }, "https://evil.example"), 403);
    await problem(await refresh("/live/counter/refresh-1/token", { token: t }, null), 403);
  });

  it("answers a malformed body with 400, and an unknown component with 404", async () => {
    await problem(await refresh("/live/counter/refresh-1/token", "{not json"), 400);
    await problem(await refresh("/live/counter/refresh-1/token", { token: 42 }), 400);
    await problem(await refresh("/live/counter/refresh-1/token", [await token()]), 400);
    await problem(await refresh("/live/counter/refresh-1/token", ""), 400);
    await problem(await refresh("/live/nope/refresh-1/token", { token: await token({ component: "nope" }) }), 404);
  });
});
