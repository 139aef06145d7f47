import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { defineModule } from "../../worker/app/module";
import { identify } from "../../worker/auth/identify";
import { session } from "../../worker/http/session/index";
import { signMountToken, verifyMountToken } from "../../durable-objects/realtime/mount-token";
import { liveModule } from "../../worker/routing/live-route";
import { html } from "../../worker/templating/html";
import { templatingModule } from "../../worker/templating/provider";
import { COMPONENTS } from "../../worker/templating/tokens";
import { view } from "../../worker/templating/view";
import { actingAs } from "../../worker/testing/acting-as";
import { components } from "../fixtures/app";
import { testGate } from "../fixtures/auth";
import { testApp } from "../support/app";
import { APP_KEY, Client, connectViaWorker, ORIGIN } from "../support/live";

// A page that mounts a user's notebook with plain `live(name, key)`: no user passed by hand.
const pages = testApp({
  config: [components],
  middleware: [session(), identify(testGate)],
  modules: [templatingModule(), liveModule, defineModule({ name: "pages", routes: (r) => r.get("/notebook/:key", (c) => view(html`${c.resolve(COMPONENTS).live("notebook", c.params.key!)}`)) })],
});

async function mountToken(key: string, headers: Record<string, string> = {}): Promise<string> {
  const page = await (await pages.fetch(`/notebook/${key}`, { headers })).text();
  return /data-live-token="([^"]+)"/.exec(page)![1]!;
}

async function open(key: string, token: string, headers: Record<string, string> = {}): Promise<Response> {
  return connectViaWorker("notebook", key, { token, headers });
}

function refresh(key: string, token: string, headers: Record<string, string> = {}): Promise<Response> {
  return exports.default.fetch(`http://example.com/live/notebook/${key}/token`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: ORIGIN, ...headers },
    body: JSON.stringify({ token }),
  });
}

async function connected(key: string, token: string, headers: Record<string, string>): Promise<Client> {
  const res = await open(key, token, headers);
  expect(res.status).toBe(101);
  const c = new Client(res.webSocket!);
  await c.hello();
  return c;
}

describe("live components know the user", () => {
  it("live(name, key) binds the signed-in user into the mount token; a guest's page binds none", async () => {
    const ada = await actingAs("ada");
    const claims = await verifyMountToken(APP_KEY, await mountToken("ada", ada.headers), { component: "notebook", key: "ada" });
    expect(claims.u).toBe("ada");
    const viaToken = await actingAs("ada", { via: "token" });
    expect((await verifyMountToken(APP_KEY, await mountToken("ada", viaToken.headers), { component: "notebook", key: "ada" })).u).toBe("ada");
    expect((await verifyMountToken(APP_KEY, await mountToken("ada"), { component: "notebook", key: "ada" })).u).toBeUndefined();
  });

  it("authorize receives that user: the owner may write, and the same gate decides", async () => {
    const ada = await actingAs("ada");
    const c = await connected("ada", await mountToken("ada", ada.headers), ada.headers);
    expect(c.of("presence").at(-1)!.list).toEqual([{ id: expect.any(String), user: "ada" }]);
    expect(await c.act("note", { text: "mine" })).toMatchObject({ type: "ack" });
    c.close();
  });

  it("another user's own token for the owner's notebook is refused by authorize", async () => {
    const bob = await actingAs("bob");
    const c = await connected("ada", await mountToken("ada", bob.headers), bob.headers);
    expect(await c.act("note", { text: "intrusion" })).toMatchObject({ type: "error", code: "unauthorized" });
    c.close();
  });

  it("a guest cannot write to a private notebook", async () => {
    const c = await connected("ada", await mountToken("ada"), {});
    expect(await c.act("note", { text: "anon" })).toMatchObject({ type: "error", code: "unauthorized" });
    c.close();
  });

  it("replaying the owner's token from another user's session, or from no session, opens nothing", async () => {
    const ada = await actingAs("ada");
    const adas = await mountToken("ada", ada.headers);
    for (const headers of [(await actingAs("bob")).headers, {}]) {
      const res = await open("ada", adas, headers);
      expect(res.status).toBe(401);
      expect(res.webSocket).toBeNull();
      expect(((await res.json()) as { detail: string }).detail).toMatch(/another identity/);
    }
  });

  it("editing a token (its user or its key) breaks the signature", async () => {
    const bob = await actingAs("bob");
    const bobs = await mountToken("bob", bob.headers);
    const [payload, sig] = bobs.split(".") as [string, string];
    const claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as Record<string, unknown>;
    const edit = (patch: Record<string, unknown>) => `${btoa(JSON.stringify({ ...claims, ...patch })).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}.${sig}`;
    for (const [key, token] of [["bob", edit({ u: "ada" })], ["ada", edit({ k: "ada", u: "ada" })]] as const) {
      const res = await open(key, token, (await actingAs("ada")).headers);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/bad signature/);
    }
  });

  it("refresh re-checks the session: the same user renews, a signed-out or other session cannot", async () => {
    const ada = await actingAs("ada");
    const adas = await mountToken("ada", ada.headers);
    // As the browser runtime sends it: the session cookie and no CSRF token (csrf() leaves this route alone).
    const ok = await refresh("ada", adas, { cookie: ada.headers.cookie! });
    expect(ok.status).toBe(200);
    const fresh = (await ok.json()) as { token: string };
    expect((await verifyMountToken(APP_KEY, fresh.token, { component: "notebook", key: "ada" })).u).toBe("ada");
    // Signed out: the browser's cookie no longer names a user.
    expect((await refresh("ada", adas)).status).toBe(401);
    expect((await refresh("ada", adas, { cookie: (await actingAs("bob")).headers.cookie! })).status).toBe(401);
    // A user who no longer exists is a guest too.
    const ghost = await signMountToken(APP_KEY, { component: "notebook", key: "ghost", user: "ghost", ttlSeconds: 60 });
    expect((await refresh("ghost", ghost, (await actingAs("ghost")).headers)).status).toBe(401);
  });

  it("an anonymous token still refreshes and connects for anyone (it grants nothing user-specific)", async () => {
    const anon = await mountToken("open");
    expect((await refresh("open", anon, (await actingAs("bob")).headers)).status).toBe(200);
    const c = await connected("open", anon, (await actingAs("bob")).headers);
    expect(c.of("presence").at(-1)!.list).toEqual([{ id: expect.any(String) }]);
    c.close();
  });
});
