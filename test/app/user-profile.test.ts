// UserProfile (/users/:id): a user's live profile, D1's users row the source of truth. The owner (or an
// admin) edits it over the socket with validation while typing; viewers see saved changes and "online now";
// API writes reach the live page by broadcast; the object re-reads D1 on page views and after eviction.
import { evictDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { connectLive, signMountToken } from "stratus/testing";
import { describe, expect, it } from "vitest";
import { gate } from "../../app/auth/gate";
import { UserRepository } from "../../app/db/repositories/users";
import { profileOf } from "../../components/user-profile/profile";
import { createDatabase } from "stratus/db";
import { as, call, seedUser } from "./support";
import { d1User, model, page, profile, shows, viewer } from "./user-profile-support";

const repo = () => new UserRepository(createDatabase(env.DB));

async function seedArticle(authorId: string, title: string, publishedAt: number | null): Promise<void> {
  const slug = `${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${crypto.randomUUID().slice(0, 8)}`;
  await env.DB.prepare("insert into articles (id, author_id, title, slug, body, tags, published_at, created_at, updated_at) values (?, ?, ?, ?, 'x', '[]', ?, ?, ?)")
    .bind(crypto.randomUUID(), authorId, title, slug, publishedAt, Date.now(), Date.now())
    .run();
}

/** The component's copy and the D1 row say the same thing. */
async function agree(id: string): Promise<void> {
  expect(await profile(id).profile()).toEqual(profileOf((await repo().find(id))!));
}

describe("UserProfile page", () => {
  it("shows the profile from D1 with joined date and recent published articles; unknown users are a 404", async () => {
    const ada = await seedUser("member", "Ada Lovelace");
    await seedArticle(ada.id, "Notes on the engine", Date.UTC(2026, 0, 5));
    await seedArticle(ada.id, "A draft", null);
    const { status, html } = await page(ada.id);
    expect(status).toBe(200);
    expect(html).toContain('<h2 id="profile-name">Ada Lovelace</h2>');
    expect(html).toContain(`Joined <time datetime="${new Date().toISOString().slice(0, 10)}"`);
    expect(html).toContain("Notes on the engine");
    expect(html).not.toContain("A draft");
    expect(html).toContain("offline");
    expect(html).toContain('href="/app.css"');
    // Guests get no edit button shown (class can-edit is for the owner and admins only).
    expect(html).toContain('class="profile-mount"');
    expect((await page(ada.id, await as(ada))).html).toContain('class="profile-mount can-edit"');
    expect((await page("no-such-user")).status).toBe(404);
    expect((await page("bad id!")).status).toBe(404);
  });

  it("/profile sends a signed-in user to their own profile, a guest to sign in", async () => {
    const ada = await seedUser("member", "Ada");
    const mine = await call("GET", "/profile", undefined, { ...(await as(ada)), accept: "text/html" });
    expect(mine.status).toBe(302);
    expect(mine.headers.get("location")).toBe(`/users/${ada.id}`);
    const guest = await call("GET", "/profile", undefined, { accept: "text/html" });
    expect(guest.headers.get("location")).toBe(`/login?intended=${encodeURIComponent("/profile")}`);
  });

  it("the welcome page links to it", async () => {
    const res = await call("GET", "/", undefined, { accept: "text/html" });
    expect(await res.text()).toContain('<a href="/profile">Your profile</a>');
  });
});

describe("UserProfile: editing, live", () => {
  it("the owner edits in place; the save writes D1, and another viewer sees it live", async () => {
    const ada = await seedUser("member", "Ada");
    const owner = await viewer(ada.id, ada);
    const other = await viewer(ada.id);
    expect(await owner.act("edit")).toMatchObject({ type: "ack" });
    // The form opens for this viewer only, filled with the saved values.
    await owner.until(() => shows(owner, 'id="profile-form"'));
    expect(owner.html()).toContain('value="Ada"');
    expect(other.html()).not.toContain('id="profile-form"');
    const saved = await owner.act("save", { name: "Ada King", bio: "Mathematician.", links: "https://example.com/ada\nhttp://engine.example.org" });
    expect(saved).toMatchObject({ type: "ack" });
    await other.until(() => shows(other, "Ada King") && shows(other, "Mathematician."));
    expect(other.html()).toContain('href="https://example.com/ada"');
    // The form closed, with a flash for the owner.
    await owner.until(() => !shows(owner, 'id="profile-form"'));
    expect(owner.of("effect").some((f) => JSON.stringify(f.effect).includes("Profile saved."))).toBe(true);
    const row = (await d1User(ada.id))!;
    expect(row).toMatchObject({ name: "Ada King", bio: "Mathematician.", links: JSON.stringify(["https://example.com/ada", "http://engine.example.org"]) });
    await agree(ada.id);
    // The API returns the same row data.
    const api = await (await call("GET", `/api/users/${ada.id}`)).json<{ name: string; bio: string; links: string[] }>();
    expect(api).toMatchObject({ name: "Ada King", bio: "Mathematician.", links: ["https://example.com/ada", "http://engine.example.org"] });
    owner.close();
    other.close();
  });

  it("validates while typing: messages per field, nothing saved until valid", async () => {
    const ada = await seedUser("member", "Ada");
    const owner = await viewer(ada.id, ada);
    await owner.act("edit");
    const empty = await model(owner, { name: "  " });
    expect(empty).toMatchObject({ type: "error", code: "invalid_args" });
    expect((empty as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain("/name");
    await owner.until(() => shows(owner, "Enter your name."));
    const links = await model(owner, { name: "Ada", links: "not a link" });
    expect(links).toMatchObject({ type: "error", code: "invalid_args" });
    await owner.until(() => shows(owner, "Each line must be a full link") && !shows(owner, "Enter your name."));
    await model(owner, { links: Array.from({ length: 6 }, (_, i) => `https://example.com/${i}`).join("\n") });
    await owner.until(() => shows(owner, "At most 5 links."));
    await model(owner, { links: "javascript:alert(1)" });
    await owner.until(() => shows(owner, "Links start with http:// or https://."));
    expect(await model(owner, { bio: "x".repeat(2001) })).toMatchObject({ type: "error" });
    await owner.until(() => shows(owner, "At most 2,000 characters."));
    // A save of the invalid form is refused whole; D1 is untouched.
    expect(await owner.act("save", {})).toMatchObject({ type: "error", code: "invalid_args" });
    expect((await d1User(ada.id))!.name).toBe("Ada");
    expect(await model(owner, { name: "Ada", links: "https://example.com", bio: "ok" })).toMatchObject({ type: "ack" });
    await owner.until(() => !shows(owner, "Each line must be") && !shows(owner, "At most"));
    expect(await owner.act("save", {})).toMatchObject({ type: "ack" });
    expect((await d1User(ada.id))!.links).toBe('["https://example.com"]');
    owner.close();
  });
});

describe("UserProfile: authorization (the app gate's user policy)", () => {
  it("the policy: a user updates their own profile, an admin anyone's, nobody else", async () => {
    const [ada, bob, root] = await Promise.all([seedUser("member", "Ada"), seedUser("editor", "Bob"), seedUser("admin", "Root")]);
    const [a, b, r] = await Promise.all([ada, bob, root].map((u) => repo().find(u.id)));
    expect(await gate.allows(a, "update", a!)).toBe(true);
    expect(await gate.allows(b, "update", a!)).toBe(false);
    expect(await gate.allows(r, "update", a!)).toBe(true);
    expect(await gate.allows(undefined, "update", a!)).toBe(false);
  });

  it("another member's and a guest's sockets are refused every edit with a clear error, and stay open", async () => {
    const ada = await seedUser("member", "Ada");
    const bob = await seedUser("member", "Bob");
    for (const c of [await viewer(ada.id, bob), await viewer(ada.id)]) {
      for (const [name, args] of [["edit", {}], ["save", { name: "Hacked" }], ["cancel", {}], ["load", {}], ["presence", {}]] as const) {
        expect(await c.act(name, args)).toMatchObject({ type: "error", code: "unauthorized", message: `Not allowed to run "${name}".` });
      }
      expect(c.closed).toBeUndefined();
      expect(c.html()).not.toContain('id="profile-form"');
      c.close();
    }
    expect((await d1User(ada.id))!.name).toBe("Ada");
    // Over RPC the same rule holds: a user id that is not the owner's is refused.
    expect(await profile(ada.id).dispatch("save", { name: "Hacked" }, { user: bob.id })).toMatchObject({ ok: false, code: "unauthorized" });
  });

  it("an admin may edit anyone's profile, and their socket does not make the owner 'online'", async () => {
    const ada = await seedUser("member", "Ada");
    const root = await seedUser("admin", "Root");
    const admin = await viewer(ada.id, root);
    expect(await admin.act("edit")).toMatchObject({ type: "ack" });
    expect(await admin.act("save", { name: "Ada (moderated)" })).toMatchObject({ type: "ack" });
    expect((await d1User(ada.id))!.name).toBe("Ada (moderated)");
    expect(admin.html()).toContain("offline");
    admin.close();
  });
});

describe("UserProfile: presence", () => {
  it("'online now' while any tab of the owner is open, for every viewer", async () => {
    const ada = await seedUser("member", "Ada");
    const guest = await viewer(ada.id);
    expect(guest.html()).toContain("offline");
    const tab1 = await viewer(ada.id, ada);
    const tab2 = await viewer(ada.id, ada);
    await guest.until(() => shows(guest, "online now"));
    expect(await profile(ada.id).ownerTabs()).toBe(2);
    tab1.close();
    // One tab is still open.
    await expect.poll(() => profile(ada.id).ownerTabs()).toBe(1);
    expect((await page(ada.id)).html).toContain("online now");
    tab2.close();
    await guest.until(() => shows(guest, "offline"));
    expect(await profile(ada.id).ownerTabs()).toBe(0);
    expect((await page(ada.id)).html).toContain("offline");
    guest.close();
  });
});

describe("UserProfile and D1 stay in step", () => {
  it("an API PATCH (another writer of the row) reaches live viewers by broadcast", async () => {
    const ada = await seedUser("member", "Ada");
    const watcher = await viewer(ada.id);
    const res = await call("PATCH", `/api/users/${ada.id}`, { bio: "Written through the API.", links: ["https://ada.example"] }, await as(ada));
    expect(res.status).toBe(200);
    await watcher.until(() => shows(watcher, "Written through the API.") && shows(watcher, "ada.example"));
    await agree(ada.id);
    watcher.close();
  });

  it("the API refuses links the form would refuse: not http(s), or more than five (422 problems)", async () => {
    const ada = await seedUser("member", "Ada");
    const headers = await as(ada);
    for (const links of [["javascript:alert(1)"], ["ftp://files.example.com"], Array.from({ length: 6 }, (_, i) => `https://example.com/${i}`)]) {
      const res = await call("PATCH", `/api/users/${ada.id}`, { links }, headers);
      expect(res.status).toBe(422);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect((await res.json<{ errors: { path: string }[] }>()).errors[0]!.path).toMatch(/^\/links/);
    }
    expect((await d1User(ada.id))!.links).toBe("[]");
  });

  it("a write that sent no broadcast is picked up by the next page view", async () => {
    const ada = await seedUser("member", "Ada");
    await page(ada.id);
    await env.DB.prepare("update users set name = 'Ada Byron', updated_at = ? where id = ?").bind(Date.now() + 1, ada.id).run();
    expect((await page(ada.id)).html).toContain("Ada Byron");
    await agree(ada.id);
  });

  it("a profile no page has shown is not written to by a broadcast (its first view reads D1)", async () => {
    const ada = await seedUser("member", "Ada");
    expect((await call("PATCH", `/api/users/${ada.id}`, { bio: "Unseen." }, await as(ada))).status).toBe(200);
    expect(await profile(ada.id).profile()).toBeNull();
    expect((await page(ada.id)).html).toContain("Unseen.");
    await agree(ada.id);
  });

  it("a deleted user's live page says so", async () => {
    const ada = await seedUser("member", "Ada");
    const watcher = await viewer(ada.id);
    expect((await call("DELETE", `/api/users/${ada.id}`, undefined, await as(ada))).status).toBe(204);
    await watcher.until(() => shows(watcher, "This profile no longer exists."));
    expect((await page(ada.id)).status).toBe(404);
    watcher.close();
  });

  it("recovers after eviction: the same profile, re-read from D1, and no stale 'online now'", async () => {
    const ada = await seedUser("member", "Ada");
    const owner = await viewer(ada.id, ada);
    await owner.act("edit");
    expect(await owner.act("save", { name: "Ada Evicted", bio: "Before eviction." })).toMatchObject({ type: "ack" });
    expect((await page(ada.id)).html).toContain("online now");
    // Like hibernation: the object goes, its sockets stay, and the owner is still online.
    await evictDurableObject(profile(ada.id));
    expect((await profile(ada.id).profile())?.name).toBe("Ada Evicted");
    expect((await page(ada.id)).html).toContain("online now");
    // A real eviction (a deploy, a crash) closes every socket: the state comes back from the log, presence does not.
    await evictDurableObject(profile(ada.id), { webSockets: "close" });
    expect((await profile(ada.id).profile())?.name).toBe("Ada Evicted");
    const after = await page(ada.id);
    expect(after.html).toContain("Ada Evicted");
    expect(after.html).toContain("offline");
    await agree(ada.id);
    // Written while the object was away, with no broadcast: a socket reconnecting without a page view still gets it.
    await evictDurableObject(profile(ada.id), { webSockets: "close" });
    await env.DB.prepare("update users set bio = 'Changed while away.', updated_at = ? where id = ?").bind(Date.now() + 1, ada.id).run();
    const token = await signMountToken(env.APP_KEY, { component: "user-profile", key: ada.id, ttlSeconds: 60 });
    const back = await connectLive(exports.default, "user-profile", ada.id, { secret: env.APP_KEY, token });
    await back.hello();
    await back.until(() => shows(back, "Changed while away."));
    await agree(ada.id);
    back.close();
    // The owner's page reconnects as a browser would, and the object works on.
    const again = await viewer(ada.id, ada);
    await again.until(() => shows(again, "online now"));
    await again.act("edit");
    expect(await again.act("save", { name: "Ada Returned", bio: "After eviction." })).toMatchObject({ type: "ack" });
    await agree(ada.id);
    again.close();
    owner.close();
  });
});
