// The News component end to end in workerd: editors publish through the page forms (session + CSRF),
// the object commits, its outbox alarm queues the D1 projection and the AI summary on the real local
// Queues broker, and the consumer writes D1 / delivers the summary back to the object.
import { env } from "cloudflare:workers";
import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createDatabase } from "stratus/db";
import type { JobContext } from "stratus/queue";
import { newsProjectionJob, projectStory } from "../../components/news/projection";
import { row, type NewsStory } from "../../components/news/news";
import { eventually } from "../support/jobs";
import { as, call, seedUser } from "./support";

const news = () => env.NEWS.getByName("front");

async function browser(role: "member" | "editor" | "admin" = "editor") {
  const user = await seedUser(role, `${role} writer`);
  const headers = await as(user);
  const cookie = headers.cookie!;
  const csrf = headers["x-csrf-token"]!;
  const send = (method: string, path: string, form?: Record<string, string>) =>
    call(method, path, form ? new URLSearchParams({ _token: csrf, ...form }).toString() : undefined, {
      cookie,
      accept: "text/html",
      ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
    });
  return { user, send };
}

async function publish(title: string, body = `${title} happened today in the city council chamber.`): Promise<NewsStory> {
  const editor = await browser("editor");
  const res = await editor.send("POST", "/news", { title, body });
  expect(res.status).toBe(303);
  const story = (await news().since(0)).find((s) => s.title === title);
  expect(story).toBeDefined();
  return story!;
}

async function d1Row(id: string) {
  return env.DB.prepare("select * from news_stories where id = ?").bind(id).first<{ seq: number; title: string; status: string; summary: string | null; tags: string }>();
}

describe("News: editors write, everyone reads", () => {
  it("publishes from the editor form: the front page shows it, D1 gets the row, and the AI summary arrives", async () => {
    const story = await publish("Bridge reopens");
    expect(story).toMatchObject({ status: "published", author: "editor writer", summary: null });
    const page = await (await call("GET", "/news", undefined, { accept: "text/html" })).text();
    expect(page).toContain("Bridge reopens");
    expect(page).toContain('data-live="news"');
    const projected = await eventually(async () => {
      const r = await d1Row(story.id);
      return r?.summary ? r : undefined;
    });
    expect(projected.status).toBe("published");
    // The stand-in's summary is the text's first 12 words; tags are drawn from it.
    expect(projected.summary).toBe("Bridge reopens. Bridge reopens happened today in the city council chamber.".split(" ").slice(0, 12).join(" "));
    expect(JSON.parse(projected.tags)).toContain("bridge");
    const live = await news().story(story.id);
    expect(live?.summary).toBe(projected.summary);
    expect(projected.seq).toBe(live!.seq);
    expect(await (await call("GET", `/news/${story.id}`, undefined, { accept: "text/html" })).text()).toContain(projected.summary!);
  });

  it("refuses writers without news:write: a guest is sent to sign in, a member gets 403, an RPC or socket caller is unauthorized", async () => {
    const guest = await call("POST", "/news", "title=x&body=y", { "content-type": "application/x-www-form-urlencoded", accept: "text/html" });
    expect([302, 303, 401]).toContain(guest.status);
    const member = await browser("member");
    const res = await member.send("POST", "/news", { title: "Not mine", body: "nope" });
    expect(res.status).toBe(403);
    expect(await news().dispatch("publish", { title: "x", body: "y" }, { user: member.user.id })).toMatchObject({ ok: false, code: "unauthorized" });
    expect(await news().dispatch("publish", { title: "x", body: "y" })).toMatchObject({ ok: false, code: "unauthorized" });
    expect((await news().since(0)).some((s) => s.title === "Not mine")).toBe(false);
    // The editor form is only on an editor's page.
    expect(await (await member.send("GET", "/news")).text()).not.toContain('action="/news"');
  });

  it("rejects bad input with the form again (422) and an unknown story with 404", async () => {
    const editor = await browser("editor");
    const res = await editor.send("POST", "/news", { title: " ", body: "text" });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("Give the story a title.");
    expect((await editor.send("POST", `/news/${crypto.randomUUID()}/retract`, {})).status).toBe(404);
    expect((await call("GET", "/news/not-a-story", undefined, { accept: "text/html" })).status).toBe(404);
  });

  it("updates a story in place and retracts it: gone from the front page, retracted in D1, 410 on its page", async () => {
    const story = await publish("Tram strike called");
    const editor = await browser("editor");
    expect((await editor.send("POST", `/news/${story.id}`, { title: "Tram strike called off", body: "The unions agreed overnight." })).status).toBe(303);
    const updated = await news().story(story.id);
    expect(updated).toMatchObject({ id: story.id, title: "Tram strike called off", publishedAt: story.publishedAt });
    expect(updated!.seq).toBeGreaterThan(story.seq);
    await eventually(async () => (await d1Row(story.id))?.title === "Tram strike called off");
    expect((await editor.send("POST", `/news/${story.id}/retract`, {})).status).toBe(303);
    expect(await news().story(story.id)).toBeNull();
    expect(JSON.stringify((await news().currentRender()).dynamics)).not.toContain("Tram strike");
    await eventually(async () => (await d1Row(story.id))?.status === "retracted");
    expect((await call("GET", `/news/${story.id}`, undefined, { accept: "text/html" })).status).toBe(410);
  });

  it("comes back after eviction with its stories, and projection resumes from the watermark", async () => {
    const story = await publish("Library extends hours");
    await eventually(async () => (await d1Row(story.id))?.summary ?? undefined);
    const before = await news().head();
    await evictDurableObject(news());
    expect(await news().head()).toBe(before);
    expect((await news().story(story.id))?.title).toBe("Library extends hours");
    expect(await news().projected()).toBeGreaterThanOrEqual((await d1Row(story.id))!.seq);
    const next = await publish("Market moves indoors");
    await eventually(async () => (await d1Row(next.id)) ?? undefined);
  });
});

describe("News: D1 projection consistency", () => {
  it("is idempotent by seq: a redelivered or older job changes nothing, a newer one lands", async () => {
    const story = await publish("Harbour dredging starts");
    const settled = await eventually(async () => (await d1Row(story.id))?.summary ? await d1Row(story.id) : undefined);
    const live = (await news().story(story.id))!;
    const db = createDatabase(env.DB);
    // Redelivery of the same job, then an older one arriving late.
    expect(await projectStory(db, row(live))).toBe(false);
    expect(await projectStory(db, { ...row(live), seq: story.seq, title: "stale title", summary: null })).toBe(false);
    expect(await d1Row(story.id)).toEqual(settled);
    // The job body run again, as the queue does on redelivery: same row, same seq.
    const ctx = { env } as unknown as JobContext;
    await newsProjectionJob.handle(row(live), ctx);
    await newsProjectionJob.handle(row(live), ctx);
    expect(await d1Row(story.id)).toEqual(settled);
    expect(await projectStory(db, { ...row(live), seq: live.seq + 1000, title: "newer" })).toBe(true);
    expect((await d1Row(story.id))?.title).toBe("newer");
  });

  it("every story the object holds matches its D1 row once the queue drains", async () => {
    const mark = await news().head();
    await publish("Council votes budget");
    await publish("Park gets new trees");
    const stories = await news().since(mark);
    expect(stories.length).toBe(2);
    await eventually(async () => {
      for (const s of stories) {
        const r = await d1Row(s.id);
        if (!r || r.seq !== s.seq || r.title !== s.title || r.summary !== s.summary) return undefined;
      }
      return true;
    }, 15_000);
  });
});

describe("News: archive", () => {
  it("pages through D1 with keyset cursors, newest first, and refuses a bad cursor", async () => {
    for (let i = 0; i < 22; i++) await publish(`Archive story ${String(i).padStart(2, "0")}`);
    await eventually(async () => ((await env.DB.prepare("select count(*) as n from news_stories where status = 'published' and title like 'Archive story %'").first<{ n: number }>())!.n >= 22 ? true : undefined), 20_000);
    const first = await (await call("GET", "/news/archive", undefined, { accept: "text/html" })).text();
    expect(first).toContain("Archive story 21");
    const next = /href="\/news\/archive\?cursor=([^"]+)"/.exec(first)?.[1];
    expect(next).toBeDefined();
    const res2 = await call("GET", `/news/archive?cursor=${next}`, undefined, { accept: "text/html" });
    expect(res2.status).toBe(200);
    const second = await res2.text();
    const titles = (html: string) => [...html.matchAll(/>(Archive story \d+)</g)].map((m) => m[1]);
    expect(titles(first).filter((t) => titles(second).includes(t))).toEqual([]);
    expect(titles(second).length).toBeGreaterThan(0);
    expect((await call("GET", "/news/archive?cursor=garbage", undefined, { accept: "text/html" })).status).toBe(400);
  });
});
