// News and Workers AI (the stand-in): queued summaries that fail and are retried by the queue, a permanent
// failure that leaves the story without one, stale results ignored, and the streamed "what's new" digest.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { NewsStory } from "../../components/news/news";
import { standin } from "../support/ai";
import { eventually } from "../support/jobs";
import { call, seedUser } from "./support";

const news = () => env.NEWS.getByName("front");

async function publish(title: string, body: string): Promise<NewsStory> {
  const editor = await seedUser("editor", "Ed Itor");
  const r = await news().dispatch("publish", { title, body }, { user: editor.id });
  expect(r.ok).toBe(true);
  return (await news().since(0)).find((s) => s.title === title)!;
}

const summaryCalls = async (marker: string) => (await standin.__calls()).filter((c) => c.model.includes("bart") && JSON.stringify(c.inputs).includes(marker)).length;

describe("News summaries through queued inference", () => {
  it("a failed inference leaves the story published without a summary; the queue's retry brings it", { timeout: 60_000 }, async () => {
    // The stand-in refuses the first 3 calls carrying this key (capacity): the manager's own 3 attempts all fail.
    const story = await publish("Flood barrier test", "Engineers close the flood barrier for a test [429x3#flood-news] on Sunday.");
    await eventually(async () => ((await summaryCalls("flood-news")) >= 3 ? true : undefined), 15_000);
    const row = await eventually(() => env.DB.prepare("select status, summary from news_stories where id = ?").bind(story.id).first<{ status: string; summary: string | null }>().then((r) => r ?? undefined));
    expect(row).toEqual({ status: "published", summary: null });
    expect((await news().story(story.id))?.summary).toBeNull();
    // The job failed with a retryable error (502 after the manager's attempts): the queue runs it again.
    const summary = await eventually(async () => (await news().story(story.id))?.summary ?? undefined, 45_000);
    expect(summary).toContain("Flood barrier test.");
    expect(await summaryCalls("flood-news")).toBe(4);
    await eventually(async () => ((await env.DB.prepare("select summary from news_stories where id = ?").bind(story.id).first<{ summary: string | null }>())?.summary === summary ? true : undefined));
  });

  it("a permanent failure (delivered ok: false) or a result for older content changes nothing", async () => {
    const story = await publish("Ferry timetable", "The winter ferry timetable starts next week.");
    await eventually(async () => (await news().story(story.id))?.summary ?? undefined);
    const seq = await news().head();
    const failed = { ok: false, jobId: `news-summary:${story.id}:${story.contentSeq}`, alias: "summarize", error: { status: 400, detail: "bad input" } };
    expect(await news().receiveBroadcast({ id: `ai:${crypto.randomUUID()}`, name: "ai.result", payload: failed, at: Date.now() })).toMatchObject({ ok: true });
    const old = { ok: true, jobId: `news-summary:${story.id}:${story.contentSeq - 1}`, alias: "summarize", output: { summary: "old text" }, model: "m", cached: false, queuedMs: 1 };
    await news().receiveBroadcast({ id: `ai:${crypto.randomUUID()}`, name: "ai.result", payload: old, at: Date.now() });
    expect(await news().head()).toBe(seq);
    expect((await news().story(story.id))?.summary).not.toBe("old text");
  });
});

describe("What's new since I last visited?", () => {
  it("remembers the reader's last-seen seq and streams an AI digest of the stories after it", async () => {
    const first = await call("GET", "/news", undefined, { accept: "text/html" });
    const cookie = first.headers.getSetCookie().find((c) => c.startsWith("news_seen="))!.split(";")[0]!;
    const seen = Number(cookie.split("=")[1]);
    expect(await first.text()).not.toContain("What's new since I last visited?");
    await publish("Night buses return", "Night buses return to the east side from Friday.");
    // The front page is the root's published render, which follows a commit within its publish interval (1 s).
    const again = await eventually(async () => {
      const page = await (await call("GET", "/news", undefined, { accept: "text/html", cookie })).text();
      return page.includes(`/news/digest?since=${seen}`) ? page : undefined;
    }, 5000);
    expect(again).toContain("Night buses return");
    const res = await call("GET", `/news/digest?since=${seen}`, undefined, { accept: "text/html" });
    expect(res.headers.get("content-type")).toContain("text/html");
    const page = await res.text();
    expect(page).toContain("1 new story.");
    // The stand-in's chat echoes the prompt: the digest was generated from the new stories.
    expect(page).toContain("Night buses return");
    expect(page).not.toContain("Ferry timetable");
    const none = await (await call("GET", `/news/digest?since=${await news().head()}`, undefined, { accept: "text/html" })).text();
    expect(none).toContain("Nothing new since your last visit.");
    expect((await call("GET", "/news/digest?since=-4", undefined, { accept: "text/html" })).status).toBe(400);

  });
});
