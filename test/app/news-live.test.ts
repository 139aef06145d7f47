// News for live readers: sockets through the Worker's /live route see stories slide in, updates patch the same
// item, retractions disappear, "N reading now" follows presence; editors may act over the socket, readers not.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Client, connectViaWorker } from "../support/live";
import { as, seedUser } from "./support";

const KEY = "live-room";
/** The app-relays project runs this file with every socket through a relay (vitest.config.ts). */
const RELAYED = (env as { CLUSTER_FORCE_RELAYS?: string }).CLUSTER_FORCE_RELAYS === "true";
const room = () => env.NEWS.getByName(KEY);

/** A reader's socket through the Worker; a signed-in one carries its session, as the browser's would. */
async function reader(user?: string): Promise<Client> {
  const res = await connectViaWorker("news", KEY, user ? { user, headers: { cookie: (await as({ id: user })).cookie! } } : {});
  expect(res.status).toBe(101);
  const c = new Client(res.webSocket!);
  await c.hello();
  return c;
}

const shows = (c: Client, text: string) => JSON.stringify(c.frames.filter((f) => f.type === "diff" || f.type === "render")).includes(text);
const rendered = async () => JSON.stringify((await room().currentRender()).dynamics);

describe("News live", () => {
  it(`${RELAYED ? "through relays: " : ""}two readers see a published story appear, an update patch it, a retraction remove it, and the reading count`, async () => {
    const a = await reader();
    const b = await reader();
    // Through relays the count comes from their presence reports (at most one per 1.5 s each).
    await a.until(() => shows(a, "2 reading now"), 8000);
    // Through relays the root holds no viewer socket at all; directly it holds both.
    expect((await room().stats()).sockets).toBe(RELAYED ? 0 : 2);
    const editor = await seedUser("editor", "Live Editor");
    expect(await room().dispatch("publish", { title: "Comet visible tonight", body: "Look north after ten." }, { user: editor.id })).toMatchObject({ ok: true });
    await a.until(() => shows(a, "Comet visible tonight"));
    await b.until(() => shows(b, "Comet visible tonight"));
    const story = (await room().since(0)).find((s) => s.title === "Comet visible tonight")!;
    expect(await room().dispatch("update", { id: story.id, title: "Comet visible tonight, clouds permitting", body: "Look north after ten." }, { user: editor.id })).toMatchObject({ ok: true });
    await b.until(() => shows(b, "clouds permitting"));
    // Patched in place: still one item with this story's id.
    expect((await rendered()).split(story.id).length - 1).toBe(2); // data-id and the link
    const gone = await room().dispatch("retract", { id: story.id }, { user: editor.id });
    if (!gone.ok) throw new Error(gone.message);
    await a.until(() => a.of("diff").some((f) => f.seq >= gone.seq));
    expect(await rendered()).not.toContain(story.id);
    b.close();
    await a.until(() => shows(a, "1 reading now"), 10_000);
    a.close();
  });

  it("an editor's socket may publish; a reader's or a member's socket gets an unauthorized error and stays open", async () => {
    const editor = await seedUser("editor", "Socket Editor");
    const member = await seedUser("member", "Socket Member");
    const e = await reader(editor.id);
    expect(await e.act("publish", { title: "From the socket", body: "Typed live." })).toMatchObject({ type: "ack" });
    const m = await reader(member.id);
    expect(await m.act("publish", { title: "Sneaky", body: "x" })).toMatchObject({ type: "error", code: "unauthorized" });
    const anon = await reader();
    expect(await anon.act("retract", { id: (await room().since(0))[0]!.id })).toMatchObject({ type: "error", code: "unauthorized" });
    expect(await anon.act("publish", { title: "" })).toMatchObject({ type: "error" });
    expect(anon.closed).toBeUndefined();
    expect(await rendered()).not.toContain("Sneaky");
    for (const c of [e, m, anon]) c.close();
  });
});
