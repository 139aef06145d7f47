import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { connectLive, signMountToken } from "stratus/testing";
import { as, call, seedUser } from "./support";

/** The mount token the /notes page was rendered with, for `headers`' user. */
async function pageToken(headers: Record<string, string>): Promise<{ page: string; token: string }> {
  const res = await call("GET", "/notes", undefined, { ...headers, accept: "text/html" });
  expect(res.status).toBe(200);
  const page = await res.text();
  return { page, token: /data-live-token="([^"]+)"/.exec(page)![1]! };
}

describe("Notepad: a live component that knows the user", () => {
  it("needs a signed-in user", async () => {
    const res = await call("GET", "/notes", undefined, { accept: "text/html" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/login?intended=${encodeURIComponent("/notes")}`);
  });

  it("the owner writes, and the component shows their name", async () => {
    const ada = await seedUser("member", "Ada Lovelace");
    const headers = await as(ada);
    const { page, token } = await pageToken(headers);
    expect(page).toContain(`data-live-key="${ada.id}"`);
    const c = await connectLive(exports.default, "notepad", ada.id, { secret: env.APP_KEY, token, headers });
    await c.hello();
    expect(await c.act("note", { text: "buy milk" })).toMatchObject({ type: "ack" });
    const after = await pageToken(headers);
    expect(after.page).toContain("Ada Lovelace&#39;s notes");
    expect(after.page).toContain("<li>buy milk</li>");
    c.close();
  });

  it("another user cannot write in it, and cannot replay the owner's token", async () => {
    const ada = await seedUser("member", "Ada");
    const bob = await seedUser("member", "Bob");
    const bobHeaders = await as(bob);
    // Bob's own token for Ada's notepad: authorize refuses his actions.
    const bobs = await signMountToken(env.APP_KEY, { component: "notepad", key: ada.id, user: bob.id, ttlSeconds: 60 });
    const c = await connectLive(exports.default, "notepad", ada.id, { secret: env.APP_KEY, token: bobs, headers: bobHeaders });
    await c.hello();
    expect(await c.act("note", { text: "hi from bob" })).toMatchObject({ type: "error", code: "unauthorized" });
    c.close();
    // Ada's token from her page, replayed from Bob's session: no socket at all.
    const { token: adas } = await pageToken(await as(ada));
    await expect(connectLive(exports.default, "notepad", ada.id, { secret: env.APP_KEY, token: adas, headers: bobHeaders })).rejects.toThrow(/401/);
  });

  it("an admin may write in anyone's notepad (the gate's before rule)", async () => {
    const ada = await seedUser("member", "Ada");
    const root = await seedUser("admin", "Root");
    const token = await signMountToken(env.APP_KEY, { component: "notepad", key: ada.id, user: root.id, ttlSeconds: 60 });
    const c = await connectLive(exports.default, "notepad", ada.id, { secret: env.APP_KEY, token, headers: await as(root) });
    await c.hello();
    expect(await c.act("note", { text: "moderated" })).toMatchObject({ type: "ack" });
    c.close();
  });
});
